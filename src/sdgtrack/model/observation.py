"""The canonical observation: one long table, one row per published number.

Keyed by series, reference area, year and an explicit set of breakdown dimensions. Every
dimension always has a code: ``_T`` is the total, never an empty cell ("blank means total"
is a convention of some sources that the readers translate away). Names follow the SDMX
concepts of the global SDG data structure (``IAEG-SDGs:DF_SDG_GLH``), in lower case.
"""

from __future__ import annotations

from dataclasses import dataclass

TOTAL = "_T"


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # "string" | "int32" | "int64" | "float64"
    role: str  # "key" | "dimension" | "attribute" | "provenance"
    sdmx: str | None
    doc: str


#: Breakdown dimensions, in the order the SDG data structure gives them. ``breakdown`` holds any
#: other dimension a source carries, as ``CONCEPT=CODE`` pairs sorted by concept and joined by
#: ``;`` (``_T`` when there is none), so that no published breakdown is lost.
DIMENSIONS: tuple[Column, ...] = (
    Column("reporting_type", "string", "dimension", "REPORTING_TYPE",
           "G global (UN database), N national, R regional"),
    Column("sex", "string", "dimension", "SEX", "F, M, _T ..."),
    Column("age", "string", "dimension", "AGE", "SDMX age codes: Y15T24, Y_GE15, Y0T4 ..."),
    Column("urbanisation", "string", "dimension", "URBANISATION", "U urban, R rural, _T"),
    Column("income_wealth_quantile", "string", "dimension", "INCOME_WEALTH_QUANTILE",
           "Q1..Q5 quintiles, B40 bottom 40% ..."),
    Column("education_lev", "string", "dimension", "EDUCATION_LEV", "education level"),
    Column("disability_status", "string", "dimension", "DISABILITY_STATUS",
           "PD persons with disability, PWD without"),
    Column("migratory_status", "string", "dimension", "MIGRATORY_STATUS",
           "MIGPER migrants, NONMIG non-migrants"),
    Column("occupation", "string", "dimension", "OCCUPATION", "type of occupation"),
    Column("activity", "string", "dimension", "ACTIVITY", "economic activity (ISIC)"),
    Column("product", "string", "dimension", "PRODUCT", "type of product"),
    Column("breakdown", "string", "dimension", None,
           "any other dimension, as CONCEPT=CODE;CONCEPT=CODE, or _T"),
    Column("period", "string", "dimension", None,
           "the period when it is not the calendar year time_period: 2000-Q1, 2000-01, "
           "2000-FY (financial or school year from 2000), 2014/2016 (a range); _T for the "
           "year (ingest/periods.py)"),
)

KEY: tuple[Column, ...] = (
    Column("series_code", "string", "key", "SERIES", "SDG series code, e.g. SI_POV_DAY1"),
    Column("ref_area", "string", "key", "REF_AREA",
           "M49 code without zero padding (4 = Afghanistan) or a sub-national code"),
    Column("time_period", "int32", "key", "TIME_PERIOD", "reference year"),
)

ATTRIBUTES: tuple[Column, ...] = (
    Column("value_raw", "string", "attribute", "OBS_VALUE", "the value exactly as published"),
    Column("value", "float64", "attribute", None, "the number, or null (e.g. for N, NV)"),
    Column("value_qualifier", "string", "attribute", None,
           "<, >, <= or >= when the published value was bounded, like '<5'"),
    Column("unit_measure", "string", "attribute", "UNIT_MEASURE", "unit code, e.g. PERCENT"),
    Column("unit_mult", "int32", "attribute", "UNIT_MULT", "power of ten the value is in"),
    Column("nature", "string", "attribute", "NATURE", "C, CA, E, G, M, N, NA ..."),
    Column("obs_status", "string", "attribute", "OBS_STATUS", "A normal, E estimated, I ..."),
    Column("source_detail", "string", "attribute", "SOURCE_DETAIL", "source as published"),
    Column("footnote", "string", "attribute", "COMMENT_OBS", "footnote as published"),
    Column("time_detail", "string", "attribute", "TIME_DETAIL", "e.g. 2014-2016"),
    Column("freq", "string", "attribute", None,
           "frequency of the period: A year, Q quarter, M month, FY financial or school "
           "year, R range of years"),
    Column("time_text", "string", "attribute", None,
           "the period as published when it is not a plain year: 2000/01, 2000 Q1"),
    Column("lower_bound", "float64", "attribute", "LOWER_BOUND", "lower confidence bound"),
    Column("upper_bound", "float64", "attribute", "UPPER_BOUND", "upper confidence bound"),
    Column("base_period", "string", "attribute", "BASE_PER", "base period of an index"),
)

PROVENANCE: tuple[Column, ...] = (
    Column("dataset", "string", "provenance", None, "name of the dataset the row was loaded with"),
    Column("load_id", "int64", "provenance", None, "the load that stored the row"),
    Column("source_file", "string", "provenance", None, "file the row was read from"),
    Column("source_row", "int64", "provenance", None, "row of that file (header = row 1)"),
)

COLUMNS: tuple[Column, ...] = KEY + DIMENSIONS + ATTRIBUTES + PROVENANCE
KEY_NAMES: tuple[str, ...] = tuple(c.name for c in KEY + DIMENSIONS)
DIMENSION_NAMES: tuple[str, ...] = tuple(c.name for c in DIMENSIONS)
#: Dimensions that describe a population group (the leave-no-one-behind breakdowns).
GROUP_DIMENSIONS: tuple[str, ...] = (
    "sex", "age", "urbanisation", "income_wealth_quantile", "education_lev",
    "disability_status", "migratory_status",
)
