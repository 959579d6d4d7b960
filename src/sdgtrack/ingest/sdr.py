"""An SDSN Sustainable Development Report database release, as the CSV sheets of the SDR
2021 workbook (``shared/data/sdsn-sdr2021-indicators/``): codebook, values with years,
countries with their SDR regions, the trend panel, and the indicators published only as
scores. Its licence forbids redistributing derivatives: sdgtrack reads it where it lies."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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


@dataclass
class SdrDatabase:
    codebook: pd.DataFrame  # indicator, goal, global_, oecd, trend years, ub, lb, green, red
    values: pd.DataFrame  # iso3, indicator, value, year
    countries: pd.DataFrame  # iso3, country, region
    trends: pd.DataFrame  # iso3, year, indicator, value (long)
    scores_only: pd.DataFrame  # iso3, indicator, score


def read_sdr(folder: Path) -> SdrDatabase:
    missing = [name for name in FILES.values() if not (folder / name).is_file()]
    if missing:
        raise DataError(f"{folder}: not an SDR database release; missing {', '.join(missing)}. "
                        "Give the folder holding the SDR CSV sheets.")
    read = {k: pd.read_csv(folder / f, encoding="utf-8") for k, f in FILES.items()}
    cb = read["codebook"].rename(columns=lambda c: c.strip())
    years = cb["Years Used for Trend Evaluation"].fillna("").astype(str).str.extract(
        r"(\d{4})\s*-\s*(\d{4})")
    codebook = pd.DataFrame({
        "indicator": cb.IndCode.str.strip(), "goal": cb.SDG.astype(int),
        "global_": cb.Global.eq("yes"), "oecd": cb.OECD.eq("yes"),
        "has_trend": cb.Trend_Global.eq("yes"), "title": cb.Indicator,
        "y0": pd.to_numeric(years[0]), "y1": pd.to_numeric(years[1]),
        "ub": cb["Optimum (= 100)"].astype(float), "lb": cb["Lower Bound (=0)"].astype(float),
        "green": cb["Green threshold"].astype(float), "red": cb["Red threshold"].astype(float),
    })
    v = read["values"]
    values = pd.DataFrame({"iso3": v.ISO3, "indicator": v.IndCode.str.strip(),
                           "value": pd.to_numeric(v.Value, errors="coerce"),
                           "year": pd.to_numeric(v.Year, errors="coerce")}).dropna(
        subset=["value"])
    c = read["countries"]
    countries = pd.DataFrame({"iso3": c["Country Code ISO3"], "country": c.Country,
                              "region": c["Regions used for the SDR"]})
    t = read["trends"].rename(columns=lambda x: TREND_NAMES.get(x.strip(), x.strip()))
    trends = t.drop(columns=["Country", "Population"]).rename(columns={"id": "iso3",
                                                                       "Year": "year"})
    trends = trends.melt(id_vars=["iso3", "year"], var_name="indicator",
                         value_name="value").dropna(subset=["value"])
    s = read["scores_only"]
    scores_only = pd.DataFrame({"iso3": s.ISO3, "indicator": s.IndCode,
                                "score": s.NormalizedScore.astype(float)})
    return SdrDatabase(codebook, values, countries, trends, scores_only)
