"""SDMX-ML 2.1 structure-specific data for the SDG data structure (read by
``ingest.sdmx.SdmxMl``), the form national SDMX systems exchange (Kyrgyzstan's
``data/*.xml`` are written so, by the SDMX Converter).

One ``Series`` per series key (the SDG dimensions, and ``UNIT_MEASURE`` as the national
files have it), its ``Obs`` with ``TIME_PERIOD``, ``OBS_VALUE`` as published and the other
attributes. The cells are the SDMX-CSV writer's (``export.sdmx``), so both formats say the
same; a breakdown outside the SDG structure is written as a series attribute of its own
name (a national structure's extra dimension), which sdgtrack reads back as its breakdown.
A period that is not a year is written in SDMX's form (``2000-Q1``, ``2000-01``).

Codes the SDG code lists do not have (a country's sub-national areas, its national series)
are described in an SDMX-ML 2.1 structure message beside the data, ``<name>.dsd.xml``, as
a national DSD derived from the SDG one describes them: a ``CL_AREA`` with each area's name
and its country as parent, a ``CL_SERIES`` with each series' name and its indicators
(annotations of type ``SDG_INDICATOR``). ``ingest.sdmx.SdmxMl`` reads it with the data, so
the pair reads back to the same observations; the data file alone is still SDG SDMX-ML.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyarrow as pa

from sdgtrack import framework
from sdgtrack.ingest.sdmx import INDICATOR_ANNOTATION, structure_path
from sdgtrack.model import TOTAL
from sdgtrack.publish.export.base import (
    Catalogue,
    ExportResult,
    as_table,
    atomic_file,
    duplicate_note,
)
from sdgtrack.publish.export.sdmx import DATAFLOW, _cells

#: Concepts of the observation (everything else of the SDMX-CSV row is of the series).
OBS_LEVEL = ("TIME_PERIOD", "OBS_VALUE", "OBS_STATUS", "UNIT_MULT", "NATURE", "TIME_DETAIL",
             "COMMENT_OBS", "UPPER_BOUND", "LOWER_BOUND", "SOURCE_DETAIL", "BASE_PER")
#: Concepts of the message, not written on a series.
LEFT_OUT = {"DATAFLOW", "TIME_COVERAGE", "COMMENT_TS", "GEO_INFO_URL", "GEO_INFO_TYPE",
            "CUST_BREAKDOWN_LB", "DATA_LAST_UPDATE"}
NS = "urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=IAEG-SDGs:SDG(1.8)"
_V21 = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1"
HEAD = "".join([
    '<?xml version="1.0" encoding="UTF-8"?>\n<message:StructureSpecificData ',
    f'xmlns:ss="{_V21}/data/structurespecific" xmlns:ns1="{NS}:ObsLevelDim:TIME_PERIOD" ',
    f'xmlns:message="{_V21}/message" xmlns:common="{_V21}/common" ',
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n',
    "<message:Header><message:ID>SDGTRACK</message:ID><message:Test>false</message:Test>",
    "<message:Prepared>2000-01-01T00:00:00</message:Prepared>",
    '<message:Sender id="sdgtrack"/>\n',
    f'<message:Structure structureID="SDG" namespace="{NS}:ObsLevelDim:TIME_PERIOD" ',
    'dimensionAtObservation="TIME_PERIOD"><common:Structure>',
    '<Ref agencyID="IAEG-SDGs" id="SDG" version="1.8"/></common:Structure>',
    "</message:Structure></message:Header>\n",
    '<message:DataSet ss:dataScope="DataStructure" xsi:type="ns1:DataSetType" ',
    'ss:structureRef="SDG">\n'])
TAIL = "</message:DataSet>\n</message:StructureSpecificData>\n"


def _attrs(pairs: list[tuple[str, str]]) -> str:
    return " ".join(f"{k}={quoteattr(v)}" for k, v in pairs if v != "")


def sdmx_ml_text(table: pa.Table) -> tuple[str, list[str]]:
    """(the message, notes) for the canonical ``table``."""
    header, columns, notes = _cells(table, DATAFLOW, "1.0")
    cells = dict(zip(header, columns, strict=True))
    n = table.num_rows
    periods = table["period"].to_pylist() if "period" in table.column_names else [TOTAL] * n
    cells["TIME_PERIOD"] = [str(y) if p == TOTAL else p.replace("-FY", "")
                            for y, p in zip(cells["TIME_PERIOD"], periods, strict=True)]
    series_cols = [c for c in header if c not in OBS_LEVEL and c not in LEFT_OUT]
    obs_cols = [c for c in OBS_LEVEL if c in cells]
    groups: dict[tuple[str, ...], list[int]] = {}
    for i in range(n):
        groups.setdefault(tuple(cells[c][i] for c in series_cols), []).append(i)
    parts = [HEAD]
    for key, rows in groups.items():
        parts.append(f"<Series {_attrs(list(zip(series_cols, key, strict=True)))}>\n")
        parts += [f"<Obs {_attrs([(c, cells[c][i]) for c in obs_cols])}/>\n" for i in rows]
        parts.append("</Series>\n")
    parts.append(TAIL)
    if any(p != TOTAL and p.endswith("-FY") for p in periods):
        notes.append("Financial years are written as their first year's SDMX period; their "
                     "published form stays in TIME_DETAIL.")
    return "".join(parts), notes


def structure_text(table: pa.Table, catalogue: Catalogue) -> str | None:
    """The structure message describing the codes of ``table`` that the SDG code lists do
    not have (None when there are none): each sub-national area with its name and its
    country (a code of the list too, so that the parent is one of its codes), each national
    series with its name and indicators, from ``catalogue``.

    >>> t = pa.table({"series_code": ["KGZ_1_2_1", "SI_POV_DAY1"],
    ...               "ref_area": ["KG02", "417"]})
    >>> c = Catalogue(series={"KGZ_1_2_1": "Poverty <national>"},
    ...               indicators={"KGZ_1_2_1": ("1.2.1",)},
    ...               areas={"KG02": "Batken", "417": "Kyrgyzstan"}, parents={"KG02": "417"})
    >>> text = structure_text(t, c)
    >>> '<str:Code id="KG02"><com:Name xml:lang="en">Batken</com:Name>' in text
    True
    >>> '<com:AnnotationText xml:lang="en">1.2.1</com:AnnotationText>' in text
    True
    >>> "Poverty &lt;national&gt;" in text, "SI_POV_DAY1" in text  # a global series: not
    (True, False)
    >>> structure_text(t.slice(1), c) is None
    True
    """
    known_series = framework.known_series()
    known_areas = set(framework.area_names())
    series = sorted({s for s in table["series_code"].to_pylist() if s not in known_series})
    areas = sorted({a for a in table["ref_area"].to_pylist() if a not in known_areas})
    if not series and not areas:
        return None
    parents = {a: p for a in areas if (p := catalogue.parents.get(a))}
    area_codes = sorted(set(areas) | set(parents.values()))

    def name(text: str) -> str:
        return f'<com:Name xml:lang="en">{escape(text)}</com:Name>'

    def code(cid: str, label: str, inner: str = "", after: str = "") -> str:
        return f"<str:Code id={quoteattr(cid)}>{inner}{name(label or cid)}{after}</str:Code>"

    def indicators(s: str) -> str:
        found = catalogue.indicators.get(s, ())
        return "".join([
            "<com:Annotations>",
            *(f"<com:Annotation><com:AnnotationType>{INDICATOR_ANNOTATION}</com:AnnotationType>"
              f'<com:AnnotationText xml:lang="en">{escape(i)}</com:AnnotationText>'
              "</com:Annotation>" for i in found),
            "</com:Annotations>"]) if found else ""

    def parent(a: str) -> str:
        return f"<str:Parent><Ref id={quoteattr(parents[a])}/></str:Parent>" if a in parents \
            else ""

    area_list = [code(a, catalogue.areas.get(a, ""), after=parent(a)) for a in area_codes]
    series_list = [code(s, catalogue.series.get(s, ""), inner=indicators(s)) for s in series]
    lists = [("CL_AREA", "Areas", "REF_AREA", area_list), ("CL_SERIES", "Series", "SERIES",
                                                           series_list)]
    lists = [x for x in lists if x[3]]
    return "".join([
        '<?xml version="1.0" encoding="UTF-8"?>\n<mes:Structure ',
        f'xmlns:mes="{_V21}/message" xmlns:str="{_V21}/structure" xmlns:com="{_V21}/common">',
        "\n<mes:Header><mes:ID>SDGTRACK_DSD</mes:ID><mes:Test>false</mes:Test>",
        '<mes:Prepared>2000-01-01T00:00:00</mes:Prepared><mes:Sender id="sdgtrack"/>',
        "</mes:Header>\n<mes:Structures>\n<str:Codelists>\n",
        *(f'<str:Codelist id="{cl}" agencyID="SDGTRACK" version="1.0">{name(label)}\n'
          + "\n".join(codes) + "\n</str:Codelist>\n" for cl, label, _, codes in lists),
        "</str:Codelists>\n<str:DataStructures>\n",
        '<str:DataStructure id="SDG" agencyID="IAEG-SDGs" version="1.8">',
        name("SDG data structure, with the codes of these data outside its code lists"),
        '<str:DataStructureComponents><str:DimensionList id="DimensionDescriptor">\n',
        *(f'<str:Dimension id="{dim}"><str:LocalRepresentation><str:Enumeration>'
          f'<Ref id="{cl}" agencyID="SDGTRACK" version="1.0" class="Codelist" '
          'package="codelist"/></str:Enumeration></str:LocalRepresentation></str:Dimension>\n'
          for cl, _, dim, _ in lists),
        "</str:DimensionList></str:DataStructureComponents></str:DataStructure>\n",
        "</str:DataStructures>\n</mes:Structures>\n</mes:Structure>\n"])


def write_sdmx_ml(observations: Any, out: Path, catalogue: Catalogue | None = None
                  ) -> ExportResult:
    """Write the observations to ``out`` as SDMX-ML 2.1 structure-specific data, and the
    codes outside the SDG code lists to ``structure_path(out)`` (names from ``catalogue``,
    the framework's when None)."""
    table = as_table(observations)
    text, notes = sdmx_ml_text(table)
    structure = structure_text(table, catalogue or Catalogue.from_framework())
    beside = structure_path(out)
    with atomic_file(out) as tmp:  # the structure renamed into place first, then the data
        tmp.write_text(text, encoding="utf-8")
        if structure is not None:
            with atomic_file(beside) as tmp_beside:
                tmp_beside.write_text(structure, encoding="utf-8")
            notes.append(f"The codes outside the SDG code lists (sub-national areas, "
                         f"national series) are described in {beside.name} beside the data: "
                         "keep the two files together.")
    # rows written: one Obs per observation
    return ExportResult("sdmx-ml", out, table.num_rows, table.num_rows,
                        1 if structure is None else 2,
                        tuple(notes + duplicate_note(table)))
