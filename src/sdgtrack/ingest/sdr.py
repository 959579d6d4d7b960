"""An SDSN Sustainable Development Report database release: the workbook as SDSN publishes it
(``SDR2021Database.xlsx``: sheets ``Codebook``, ``SDR2021 Data``, ``Data for Trends``) or its
sheet-by-sheet CSV conversion (``shared/data/sdsn-sdr2021-indicators/``). Its licence forbids
redistributing derivatives: sdgtrack reads it where it lies.

The workbook's data sheet ``SDR2021 Data`` is wide: per indicator a raw-value column headed
with the indicator's title (cut at 80 characters), then ``Year: <code>``, ``Imputation:
<code>``, ``Normalized Score: <code>``, ``Dashboard Color: <code>`` and ``Trend: <code>``
(layout as in github.com/jacubero/SDG ``data/data2021.csv``, an export of that sheet). The raw
value is the column just before ``Year: <code>``. An indicator with a score but no raw value
(2021: ``sdg16_safe``, Gallup data) is taken at its published score."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sdgtrack.errors import DataError

FILES = {
    "codebook": "sdr2021_codebook.csv",
    "values": "sdr2021_indicator_values_long.csv",
    "countries": "sdr2021_countries.csv",
    "trends": "sdr2021_data_for_trends_2000_2020.csv",
    "scores_only": "sdr2021_scores_only_indicators.csv",
}
#: The trend panel names three indicators differently from the codebook (METHODS §2.3).
TREND_NAMES = {"sdg2_stuntihme": "sdg2_stunting", "sdg2_wasteihme": "sdg2_wasting",
               "sdg5_fplmodel": "sdg5_familypl"}
REGION_COLUMNS = ("Regions used for the SDR", "Regions used for the SDG Index & Dashboard")


@dataclass
class SdrDatabase:
    codebook: pd.DataFrame  # indicator, goal, global_, oecd, spillover, trend years, ub, lb, ...
    values: pd.DataFrame  # iso3, indicator, value, year
    countries: pd.DataFrame  # iso3, country, region
    trends: pd.DataFrame  # iso3, year, indicator, value (long)
    scores_only: pd.DataFrame  # iso3, indicator, score


def read_sdr(path: Path) -> SdrDatabase:
    """A release folder of CSV sheets, or the ``.xlsx`` workbook itself."""
    if path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_sdr_workbook(path)
    missing = [name for name in FILES.values() if not (path / name).is_file()]
    if missing:
        raise DataError(f"{path}: not an SDR database release; missing {', '.join(missing)}. "
                        "Give the folder holding the SDR CSV sheets, or the SDR .xlsx workbook.")
    read = {k: pd.read_csv(path / f, encoding="utf-8") for k, f in FILES.items()}
    v = read["values"]
    values = pd.DataFrame({"iso3": v.ISO3, "indicator": v.IndCode.str.strip(),
                           "value": pd.to_numeric(v.Value, errors="coerce"),
                           "year": pd.to_numeric(v.Year, errors="coerce")})
    s = read["scores_only"]
    scores_only = pd.DataFrame({"iso3": s.ISO3, "indicator": s.IndCode,
                                "score": s.NormalizedScore.astype(float)})
    return SdrDatabase(_codebook(read["codebook"]), values.dropna(subset=["value"]),
                       _countries(read["countries"], path / FILES["countries"]),
                       _trends(read["trends"]), scores_only)


def read_sdr_workbook(path: Path) -> SdrDatabase:
    sheets = pd.read_excel(path, sheet_name=None)
    cb = _sheet(sheets, path, r"codebook")
    data = _sheet(sheets, path, r"sdr\s*\d{4}\s*data")
    trends = _sheet(sheets, path, r"data for trends")
    codebook = _codebook(cb)
    data = data.rename(columns=lambda c: str(c).strip())
    lower = {c.lower(): c for c in data.columns}
    iso = lower.get("country code iso3") or lower.get("id")
    if iso is None:
        raise DataError(f"{path}: the data sheet has no 'Country Code ISO3' column; is this "
                        "an SDR database workbook?")
    values, scores = [], []
    columns = list(data.columns)
    for code in codebook.indicator:
        year = lower.get(f"year: {code.lower()}")
        score = lower.get(f"normalized score: {code.lower()}")
        raw = _raw_column(columns, year) if year else None
        if raw is not None:
            values.append(pd.DataFrame({
                "iso3": data[iso], "indicator": code,
                "value": pd.to_numeric(data[raw], errors="coerce"),
                "year": pd.to_numeric(data[year], errors="coerce") if year else float("nan")}))
        elif score is not None:
            scores.append(pd.DataFrame({"iso3": data[iso], "indicator": code,
                                        "score": pd.to_numeric(data[score], errors="coerce")}))
    countries = data.rename(columns={iso: "Country Code ISO3"})
    return SdrDatabase(codebook, pd.concat(values).dropna(subset=["value"]),
                       _countries(countries, path), _trends(trends),
                       pd.concat(scores).dropna(subset=["score"]) if scores else
                       pd.DataFrame(columns=["iso3", "indicator", "score"]))


def _raw_column(columns: list[str], year: str) -> str | None:
    """The column before ``Year: <code>``, unless that belongs to another indicator."""
    k = columns.index(year)
    before = columns[k - 1] if k else None
    if before is None or re.match(r"(year|imputation|normalized score|dashboard color|trend)"
                                  r"\s*:", before, flags=re.IGNORECASE):
        return None
    return before


def _sheet(sheets: dict[str, pd.DataFrame], path: Path, pattern: str) -> pd.DataFrame:
    for name, frame in sheets.items():
        if re.fullmatch(pattern, name.strip(), flags=re.IGNORECASE):
            return frame
    raise DataError(f"{path}: no sheet matching {pattern!r} (sheets: {', '.join(sheets)}). "
                    "Give the SDR database workbook as SDSN publishes it.")


def _codebook(cb: pd.DataFrame) -> pd.DataFrame:
    cb = cb.rename(columns=lambda c: str(c).strip()).dropna(subset=["IndCode"])
    years = cb["Years Used for Trend Evaluation"].fillna("").astype(str).str.extract(
        r"(\d{4})\s*-\s*(\d{4})")
    return pd.DataFrame({
        "indicator": cb.IndCode.str.strip(), "goal": cb.SDG.astype(int),
        "global_": cb.Global.eq("yes"), "oecd": cb.OECD.eq("yes"),
        "spillover": cb.Spillover.fillna("").astype(str).str.strip().eq("yes"),
        "has_trend": cb.Trend_Global.eq("yes"), "title": cb.Indicator,
        "y0": pd.to_numeric(years[0]), "y1": pd.to_numeric(years[1]),
        "ub": cb["Optimum (= 100)"].astype(float), "lb": cb["Lower Bound (=0)"].astype(float),
        "green": cb["Green threshold"].astype(float), "red": cb["Red threshold"].astype(float),
    }).reset_index(drop=True)


def _countries(c: pd.DataFrame, where: Path) -> pd.DataFrame:
    region = next((r for r in REGION_COLUMNS if r in c.columns), None)
    if region is None:
        raise DataError(f"{where}: no SDR region column ({' or '.join(REGION_COLUMNS)}); "
                        "the regional means need it.")
    out = pd.DataFrame({"iso3": c["Country Code ISO3"], "country": c["Country"],
                        "region": c[region]})
    return out.dropna(subset=["iso3"]).reset_index(drop=True)


def _trends(t: pd.DataFrame) -> pd.DataFrame:
    """The wide panel (id, Year, one column per indicator) as long rows with a value."""
    t = t.rename(columns=lambda x: TREND_NAMES.get(str(x).strip(), str(x).strip()))
    t = t.drop(columns=["Country", "Population"], errors="ignore")
    codes = [c for c in t.columns if c not in ("id", "Year")]
    block = t[codes]
    if not all(pd.api.types.is_numeric_dtype(d) for d in block.dtypes):
        block = block.apply(pd.to_numeric, errors="coerce")
    wide = block.to_numpy(dtype=float)
    rows, cols = np.nonzero(~np.isnan(wide))  # numpy, not melt: 20x faster on this panel
    return pd.DataFrame({"iso3": t["id"].to_numpy()[rows],
                         "year": t["Year"].to_numpy()[rows],
                         "indicator": np.asarray(codes, dtype=object)[cols],
                         "value": wide[rows, cols]})
