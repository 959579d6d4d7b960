"""The Excel data-entry template: one row per observation on the ``Data`` sheet.

Shared by the reader (``ingest.excel``) and the writer (``publish.template``), so the two
cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

TEMPLATE_VERSION = "1"
DATA_SHEET = "Data"
MARKER_SHEET = "sdgtrack"


@dataclass(frozen=True)
class TemplateColumn:
    header: str
    field: str
    required: bool
    help: str


COLUMNS: tuple[TemplateColumn, ...] = (
    TemplateColumn("Series code", "series_code", True, "SDG series code, e.g. SH_STA_STNT"),
    TemplateColumn("Area code", "ref_area", True, "UN M49 (398) or ISO3 (KAZ) code"),
    TemplateColumn("Year", "time_period", True, "four-digit reference year"),
    TemplateColumn("Value", "value_raw", True, "the number; <5 or >95 as published; NV if none"),
    TemplateColumn("Unit", "unit_measure", False, "unit code, e.g. PERCENT"),
    TemplateColumn("Unit multiplier", "unit_mult", False, "power of ten, e.g. 3 for thousands"),
    TemplateColumn("Nature", "nature", False, "C, CA, E, G, M, N or NA"),
    TemplateColumn("Sex", "sex", False, "F, M or empty for both sexes"),
    TemplateColumn("Age", "age", False, "e.g. Y15T24; empty for all ages"),
    TemplateColumn("Urbanisation", "urbanisation", False, "U, R or empty for all areas"),
    TemplateColumn("Wealth quantile", "income_wealth_quantile", False, "Q1..Q5, B40; empty = all"),
    TemplateColumn("Education level", "education_lev", False, "education level code"),
    TemplateColumn("Disability status", "disability_status", False, "PD, PWD; empty = all"),
    TemplateColumn("Migratory status", "migratory_status", False, "MIGPER, NONMIG; empty = all"),
    TemplateColumn("Lower bound", "lower_bound", False, "lower confidence bound"),
    TemplateColumn("Upper bound", "upper_bound", False, "upper confidence bound"),
    TemplateColumn("Time detail", "time_detail", False, "e.g. 2014-2016"),
    TemplateColumn("Source", "source_detail", False, "survey or agency"),
    TemplateColumn("Footnote", "footnote", False, "footnote as published"),
)

REQUIRED_HEADERS = tuple(c.header for c in COLUMNS if c.required)
