"""A national repository's own words for its codes, in every language it gives them, so a
page in that language shows them: Open SDG's ``translations/<lang>/<CONCEPT>.yml``
(Kazakhstan's ``translations/ru/UNIT_MEASURE.yml``: ``PT: процент``), then the names of the
DSD it ships (Kyrgyzstan's ``SDG_DSD.KG_1.8.xml`` names its codes in English and Russian).
The codes stay as they are in the observations; these are only their labels."""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow as pa
import yaml

from sdgtrack.ingest import dsd
from sdgtrack.ingest.base import LABEL_COLUMNS, strings
from sdgtrack.model import DIMENSION_NAMES

#: The languages pages are made in (``publish.site.i18n.LANGUAGES``).
LANGS = ("en", "zh", "ru")
#: Concepts that are columns of their own besides the breakdown dimensions.
COLUMNS = {"unit_measure", "ref_area", "series", "nature", "obs_status"}
#: A translation file that is a code list: named by an SDMX concept id (SEX.yml), not
#: the site's other texts (global_indicators.yml, pages.yml).
_CONCEPT = re.compile(r"^[A-Z][A-Z0-9_]*$")


def dimension(concept: str, code: str) -> tuple[str, str]:
    """The observation column and code a concept's code is stored under.

    >>> dimension("SEX", "F"), dimension("COMPOSITE_BREAKDOWN", "_L_X")
    (('sex', 'F'), ('breakdown', 'COMPOSITE_BREAKDOWN=_L_X'))
    """
    column = concept.lower()
    if column in DIMENSION_NAMES and column != "breakdown" or column in COLUMNS:
        return column, code
    return "breakdown", f"{concept}={code}"


def _yaml(path: Path) -> dict[str, str]:
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}  # a damaged translation file costs only its labels
    if not isinstance(content, dict):
        return {}
    return {str(k): str(v) for k, v in content.items() if v is not None and str(v).strip()}


def _translated(root: Path) -> dict[tuple[str, str, str], str]:
    """(dimension, code, lang) -> label from ``translations/<lang>/<CONCEPT>.yml``."""
    found: dict[tuple[str, str, str], str] = {}
    for lang in LANGS:
        folder = root / "translations" / lang
        files = sorted(folder.glob("*.yml")) if folder.is_dir() else []
        for f in (f for f in files if _CONCEPT.match(f.stem)):
            for code, text in _yaml(f).items():
                if code != f.stem:  # SEX: Sex names the concept, not a code
                    found[(*dimension(f.stem, code), lang)] = text.strip()
    return found


def of(root: Path, structure: dsd.Structure) -> pa.Table:
    """(dimension, code, lang, label) for the repository at ``root``: its translations
    first, the DSD's names where they give none."""
    found = _translated(root)
    for concept, codes in structure.labels.items():
        for code, names in codes.items():
            for lang, text in names.items():
                if lang in LANGS:
                    found.setdefault((*dimension(concept, code), lang), text)
    return strings(sorted((d, c, lang, text) for (d, c, lang), text in found.items()),
                   LABEL_COLUMNS)
