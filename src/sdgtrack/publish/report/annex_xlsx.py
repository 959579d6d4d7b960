"""The annex as an Excel workbook: a Summary sheet, one sheet per goal (title rows, a frozen
header, filters, widths and number formats) and an About sheet with the provenance. Nothing is
protected: the national team edits it for their VNR."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sdgtrack.model import json_value
from sdgtrack.publish.charts import CLASS_STYLE
from sdgtrack.publish.report.annex_cells import COLUMNS, class_text, nature_text
from sdgtrack.publish.report.common import CLASSES
from sdgtrack.publish.report.messages import translator

#: Column widths (characters) and number formats, by column key.
WIDTHS = {"indicator": 9, "indicator_title": 44, "series_code": 18, "description": 46,
          "breakdown": 14, "latest_value": 12, "latest_year": 8, "unit": 14, "source": 22,
          "nature": 20, "since_value": 12, "since_year": 8, "change": 12, "class": 30}
FORMATS = {"latest_value": "#,##0.####", "since_value": "#,##0.####",
           "change": "+#,##0.####;-#,##0.####;0", "latest_year": "0", "since_year": "0"}
#: Light tints of the class colours, so the words stay readable in black.
TINTS = {"maintain": "D5ECD7", "accelerate": "FCEBC0", "reverse": "F7CFCF",
         "insufficient_data": "EEEEEE"}
HEADER = PatternFill("solid", fgColor="0B4F8A")
BOLD, WHITE = Font(bold=True), Font(bold=True, color="FFFFFF")
FIRST_ROW = 4  # two title rows and a blank before the header


def _cell_value(key: str, value: Any, _: Any, lang: str) -> Any:
    value = json_value(value)
    if value is None:
        return None
    if key == "class":
        return class_text(value, _, lang)
    if key == "nature":
        return nature_text(value, _)
    return value


def _header(ws: Worksheet, row: int, headers: list[str]) -> None:
    for k, text in enumerate(headers, start=1):
        cell = ws.cell(row=row, column=k, value=text)
        cell.font, cell.fill = WHITE, HEADER
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")


def _goal_sheet(ws: Worksheet, rows: pd.DataFrame, heading: str, subtitle: str,
                _: Any, lang: str) -> None:
    ws["A1"], ws["A2"] = heading, subtitle
    ws["A1"].font = Font(bold=True, size=13)
    _header(ws, FIRST_ROW - 1, [_(h) for _k, h in COLUMNS])
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, r in enumerate(rows.to_dict("records"), start=FIRST_ROW):
        for k, (key, _h) in enumerate(COLUMNS, start=1):
            cell = ws.cell(row=i, column=k, value=_cell_value(key, r.get(key), _, lang))
            cell.alignment = wrap
            if key in FORMATS:
                cell.number_format = FORMATS[key]
        if r.get("series_code") is None or r.get("series_code") != r.get("series_code"):
            ws.cell(row=i, column=3, value=_("no data")).font = Font(italic=True,
                                                                     color="666666")
        klass = str(r.get("class") or "").split(";")[0].split("|")[0]
        if klass in TINTS:
            ws.cell(row=i, column=len(COLUMNS)).fill = PatternFill("solid",
                                                                   fgColor=TINTS[klass])
    for k, (key, _h) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(k)].width = WIDTHS[key]
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=3)
    last = FIRST_ROW + max(len(rows), 1) - 1
    ws.auto_filter.ref = f"A{FIRST_ROW - 1}:{get_column_letter(len(COLUMNS))}{last}"
    ws.print_title_rows = f"{FIRST_ROW - 1}:{FIRST_ROW - 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _summary_sheet(ws: Worksheet, context: dict[str, Any], _: Any) -> None:
    area = context["area"]
    ws["A1"] = f"{area['name']}: {_('Statistical annex to the Voluntary National Review')}"
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = _("Value at the review year %(since)s or the closest earlier year.",
                 since=context["since"])
    headers = [_("Goal"), _("Indicators"), _("Indicators with data"), _("Rows with data"),
               *[f"{CLASS_STYLE[c][2]} {_(CLASS_STYLE[c][0])}" for c in CLASSES]]
    _header(ws, FIRST_ROW - 1, headers)
    for i, s in enumerate(context["summary"], start=FIRST_ROW):
        values = [f"{s['goal']}. {s['title']}", s["indicators"], s["with_data"], s["rows"],
                  *[s[c] for c in CLASSES]]
        for k, v in enumerate(values, start=1):
            ws.cell(row=i, column=k, value=v)
    total = FIRST_ROW + len(context["summary"])
    ws.cell(row=total, column=1, value=_("Total")).font = BOLD
    for k in range(2, len(headers) + 1):
        col = get_column_letter(k)
        cell = ws.cell(row=total, column=k, value=f"=SUM({col}{FIRST_ROW}:{col}{total - 1})")
        cell.font = BOLD
    ws.column_dimensions["A"].width = 44
    for k in range(2, len(headers) + 1):
        ws.column_dimensions[get_column_letter(k)].width = 16
    ws.row_dimensions[FIRST_ROW - 1].height = 45
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=2)


def _about_sheet(ws: Worksheet, context: dict[str, Any], _: Any) -> None:
    prov, method = context["prov"], context["prov"]["method"]
    lines: list[list[Any]] = [
        [_("About")], [],
        [_("Area"), f"{context['area']['name']} ({context['area']['iso3']}, M49 "
                    f"{context['area']['m49']})"],
        [_("Review year"), context["since"]],
        [_("Method"), f"{method['name']} ({method['version']})"],
        [_("Specification version"), prov["spec_version"]],
        [_("Framework version"), prov["framework_version"]],
        [_("Parameters digest"), prov["digest"]], [],
        [_("Sources")], [_("Load"), _("Dataset"), _("Rows"), _("Loaded"),
                         _("Checksum") + " (sha256)", "Reader", "sdgtrack"],
        *[[s["load_id"], s["dataset"], s["rows_loaded"], s["loaded"], s["checksum"],
           s["reader"], s["sdgtrack_version"]] for s in prov["datasets"]], [],
        [_("Parameters used")],
        *[[k, "" if v is None else str(v)] for k, v in method["parameters"].items()],
    ]
    for line in lines:
        ws.append(line)
    for row in ws.iter_rows():
        if len(row) and row[0].value in (_("About"), _("Sources"), _("Parameters used")):
            row[0].font = Font(bold=True, size=12)
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 60
    for col in "CDEFG":
        ws.column_dimensions[col].width = 16


def _methods_sheet(ws: Worksheet, context: dict[str, Any], _: Any) -> None:
    """ESCAP, the UNSD Progress Chart and the SDSN arrow on each assessed series
    (``pages_methods.rows``), with what decides a disagreement."""
    ws["A1"] = f"{context['area']['name']}: {_('Three methods, one series')}"
    ws["A1"].font = Font(bold=True, size=13)
    from sdgtrack.publish.site.pages_methods import NOTE

    ws["A2"] = _(NOTE)  # the page's note, translated in the site's catalogue
    headers = [_("Indicator"), _("Series"), "ESCAP", _("UNSD Progress Chart"), "SDSN",
               _("Decided by")]
    _header(ws, FIRST_ROW - 1, headers)
    for i, r in enumerate(context["methods"], start=FIRST_ROW):
        for k, v in enumerate([r["indicator"], r["series_code"], r["escap"], r["unsd"],
                               r["sdsn"], r["decided_by"] or ""], start=1):
            ws.cell(row=i, column=k, value=v)
    for col, width in zip("ABCDEF", (11, 22, 20, 20, 20, 60)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=3)


def workbook(context: dict[str, Any], lang: str) -> bytes:
    """The annex as .xlsx bytes."""
    _ = translator(lang)
    wb = Workbook()
    summary_ws = wb.active
    summary_ws.title = _("Summary")[:31]
    _summary_sheet(summary_ws, context, _)
    rows, area = context["rows"], context["area"]
    for s in context["summary"]:
        ws = wb.create_sheet(_("Goal %(goal)s", goal=s["goal"])[:31])
        subtitle = _("Value at the review year %(since)s or the closest earlier year.",
                     since=context["since"])
        heading = _("Goal %(goal)s: %(title)s", goal=s["goal"], title=s["title"])
        _goal_sheet(ws, rows[rows.goal == str(s["goal"])], f"{area['name']} · {heading}",
                    subtitle, _, lang)
    if context.get("methods"):
        _methods_sheet(wb.create_sheet(_("Three methods, one series")[:31]), context, _)
    _about_sheet(wb.create_sheet(_("About")[:31]), context, _)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
