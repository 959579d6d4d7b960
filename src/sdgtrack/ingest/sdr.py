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
CODEBOOK_COLUMNS = {"IndCode", "SDG", "Global", "OECD", "Spillover", "Trend_Global", "Indicator",
                    "Years Used for Trend Evaluation", "Optimum (= 100)", "Lower Bound (=0)",
                    "Green threshold", "Red threshold"}
#: The columns read from the larger CSV sheets; the others are documentation.
USECOLS = {"codebook": lambda c: c.strip() in CODEBOOK_COLUMNS,
           "values": ["ISO3", "IndCode", "Value", "Year"],
           "trends": lambda c: c not in ("Country", "Population")}


@dataclass
class SdrDatabase:
    codebook: pd.DataFrame  # indicator, goal, global_, oecd, spillover, trend years, ub, lb, ...
    values: pd.DataFrame  # iso3, indicator, value, year (rows without a value are ignored)
    countries: pd.DataFrame  # iso3, country, region
    trends: pd.DataFrame  # iso3, year, one column per indicator (wide, as published)
    scores_only: pd.DataFrame  # iso3, indicator, score


def read_sdr(path: Path) -> SdrDatabase:
    """A release folder of CSV sheets, or the ``.xlsx`` workbook itself."""
    if path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_sdr_workbook(path)
    missing = [name for name in FILES.values() if not (path / name).is_file()]
    if missing:
        raise DataError(f"{path}: not an SDR database release; missing {', '.join(missing)}. "
                        "Give the folder holding the SDR CSV sheets, or the SDR .xlsx workbook.")
    read = {k: pd.read_csv(path / f, encoding="utf-8", usecols=USECOLS.get(k))
            for k, f in FILES.items()}
    v = read["values"]
    values = pd.DataFrame({"iso3": v.ISO3, "indicator": v.IndCode.str.strip(),
                           "value": pd.to_numeric(v.Value, errors="coerce"),
                           "year": pd.to_numeric(v.Year, errors="coerce")})
    s = read["scores_only"]
    scores_only = pd.DataFrame({"iso3": s.ISO3, "indicator": s.IndCode,
                                "score": s.NormalizedScore.astype(float)})
    return SdrDatabase(_codebook(read["codebook"]), values,
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
    # about a hundred rows: a Python loop per column costs less than pandas' string methods
    cb = cb.set_axis([str(c).strip() for c in cb.columns], axis=1)
    if cb.IndCode.isna().any():
        cb = cb[cb.IndCode.notna()]

    def yes(name: str) -> list[bool]:
        return [str(v).strip() == "yes" for v in cb[name]]

    def number(name: str) -> np.ndarray:
        return cb[name].to_numpy(dtype=float)

    spans = [re.search(r"(\d{4})\s*-\s*(\d{4})", str(v))
             for v in cb["Years Used for Trend Evaluation"]]
    return pd.DataFrame({
        "indicator": [str(v).strip() for v in cb.IndCode], "goal": cb.SDG.to_numpy(dtype=int),
        "global_": yes("Global"), "oecd": yes("OECD"), "spillover": yes("Spillover"),
        "has_trend": yes("Trend_Global"), "title": cb.Indicator.to_numpy(),
        "y0": [float(m[1]) if m else np.nan for m in spans],
        "y1": [float(m[2]) if m else np.nan for m in spans],
        "ub": number("Optimum (= 100)"), "lb": number("Lower Bound (=0)"),
        "green": number("Green threshold"), "red": number("Red threshold")})


def _countries(c: pd.DataFrame, where: Path) -> pd.DataFrame:
    region = next((r for r in REGION_COLUMNS if r in c.columns), None)
    if region is None:
        raise DataError(f"{where}: no SDR region column ({' or '.join(REGION_COLUMNS)}); "
                        "the regional means need it.")
    out = pd.DataFrame({"iso3": c["Country Code ISO3"], "country": c["Country"],
                        "region": c[region]})
    return out.dropna(subset=["iso3"]).reset_index(drop=True)


def _trends(t: pd.DataFrame) -> pd.DataFrame:
    """The panel as SDSN lays it out, one row per country and year: iso3, year, then one
    column per indicator (codebook codes)."""
    gone = [c for c in ("Country", "Population") if c in t.columns]
    if gone:  # drop() takes a millisecond on this frame even with nothing to drop
        t = t.drop(columns=gone)
    names = {"id": "iso3", "Year": "year", **TREND_NAMES}
    t = t.set_axis([names.get(str(c).strip(), str(c).strip()) for c in t.columns], axis=1)
    if not all(pd.api.types.is_numeric_dtype(d) for c, d in t.dtypes.items()
               if c not in ("iso3", "year")):
        codes = [c for c in t.columns if c not in ("iso3", "year")]
        t[codes] = t[codes].apply(pd.to_numeric, errors="coerce")
    return t
