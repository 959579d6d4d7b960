"""Labels of the SDMX codes a person sees: sex, age, location, quantile, education level,
disability and migratory status, activity, occupation, product, unit, nature and any other
breakdown, in English, Chinese and Russian (``data/codelists.csv``, after the SDG data
structure's code lists CL_SEX, CL_AGE, CL_URBANISATION, CL_UNIT_MEASURE ...). Age codes are
read from their pattern (``Y15T24`` is 15-24 years); a breakdown ``CONCEPT=VALUE`` reads
"Concept: value". The codes themselves stay in the JSON twins and downloads."""

from __future__ import annotations

import csv
import re
from functools import cache

from sdgtrack.framework import data_dir

LANGS = ("en", "zh", "ru")
_AGE = re.compile(r"^([YM])(?:(\d+)(?:T(\d+))?|_GE(\d+))$")
_ISCO = re.compile(r"^isco(08|88)-(\d|X)$")
AGE_WORDS = {  # unit -> (range, from, under) per language
    "en": {"Y": ("%s–%s years", "%s years and older", "under %s years", "under 1 year"),
           "M": ("%s–%s months", "%s months and older", "under %s months", "under 1 month")},
    "zh": {"Y": ("%s–%s岁", "%s岁及以上", "%s岁以下", "1岁以下"),
           "M": ("%s–%s个月", "%s个月及以上", "%s个月以下", "1个月以下")},
    "ru": {"Y": ("%s–%s лет", "%s лет и старше", "до %s лет", "до 1 года"),
           "M": ("%s–%s месяцев", "%s месяцев и старше", "до %s месяцев", "до 1 месяца")},
}
ISCO_WORDS = {"en": "ISCO-%s major group %s", "zh": "ISCO-%s 大类 %s",
              "ru": "МСКЗ-%s, основная группа %s"}
NOT_CLASSIFIED = {"en": "not classified", "zh": "未分类", "ru": "не классифицировано"}


@cache
def _labels() -> dict[tuple[str, str], dict[str, str]]:
    with (data_dir() / "codelists.csv").open(newline="", encoding="utf-8") as f:
        return {(r["dimension"], r["code"]): {k: r[f"label_{k}"] for k in LANGS}
                for r in csv.DictReader(f)}


@cache
def _iso2_names() -> dict[str, str]:
    """ISO 3166 alpha-2 code -> the area's name (a counterpart country, ``CA``)."""
    from sdgtrack.framework import table

    areas = table("areas").to_pylist()
    return {a["iso2"]: a["name"] for a in areas if a["iso2"]}


def age_label(code: str, lang: str = "en") -> str | None:
    """An SDMX age code in words, or None when it is not one.

    >>> [age_label(c) for c in ["Y15T24", "Y_GE65", "Y0T4", "Y0", "AGE"]]
    ['15–24 years', '65 years and older', 'under 5 years', 'under 1 year', None]
    >>> age_label("M0"), age_label("M36T59")
    ('under 1 month', '36–59 months')
    >>> age_label("Y15T24", "zh"), age_label("Y0T4", "ru")
    ('15–24岁', 'до 5 лет')
    """
    m = _AGE.match(code)
    if m is None:
        return None
    unit, start, end, over = m.groups()
    span, older, under, under_one = AGE_WORDS.get(lang, AGE_WORDS["en"])[unit]
    if over is not None:
        return older % over
    if end is None:
        return under_one if start == "0" else span % (start, start)
    if start == "0":
        return under % (int(end) + 1)
    return span % (start, end)


def _humane(code: str) -> str:
    """A code without a label, readable: ``SKILL_MATH`` -> 'Skill math'; an acronym of four
    letters or fewer (``IMF``, ``UNGA``) is kept."""
    if re.fullmatch(r"[A-Z]{1,4}", code):
        return code
    words = code.replace("_", " ").strip()
    return words[:1].upper() + words[1:].lower()


def label(dimension: str, code: str | None, lang: str = "en") -> str:
    """The words for ``code`` of ``dimension`` in ``lang`` (English where the code list has
    no translation); an empty string for no code.

    >>> label("sex", "F"), label("sex", "_T", "zh"), label("unit_measure", "PERCENT", "ru")
    ('Female', '男女合计', 'Процент')
    >>> label("age", "Y15T24"), label("age", "_T"), label("occupation", "isco08-2")
    ('15–24 years', 'Total', 'ISCO-08 major group 2')
    >>> label("breakdown", "TYPE_OF_RENEWABLE_TECHNOLOGY=SOLAR")
    'Type of renewable technology: Solar'
    >>> label("breakdown", "COUNTERPART=PH")
    'Counterpart: Philippines'
    """
    if code is None or code == "":
        return ""
    lang = lang if lang in LANGS else "en"
    table = _labels()
    for key in ((dimension, code), ("*", code)):
        if key in table:
            return table[key][lang]
    if dimension == "age" and (words := age_label(code, lang)) is not None:
        return words
    if dimension == "counterpart" and code in _iso2_names():
        return _iso2_names()[code]  # the other country of a flow, by its ISO code
    if dimension == "occupation" and (m := _ISCO.match(code)):
        group = NOT_CLASSIFIED[lang] if m[2] == "X" else m[2]
        return ISCO_WORDS[lang] % (m[1], group)
    if "=" in code:
        concept, _eq, value = code.partition("=")
        return f"{_humane(concept)}: {label(concept.lower(), value, lang)}"
    if dimension != "unit_measure" and re.fullmatch(
            r"[A-Za-z0-9]+(_[A-Za-z0-9]+)+|[A-Z][A-Z0-9]{4,}", code):
        return _humane(code)  # a breakdown's code no list has: at least not shouted
    return code  # a national code (a unit "M_USD" read as "M usd" would mislead)


def concept_label(concept: str) -> str:
    """A breakdown concept outside the SDG code lists, in words (``CAUSE_OF_DEATH`` ->
    'Cause of death')."""
    return _humane(concept)


def listed(dimension: str, code: str) -> bool:
    """Whether the SDG code lists name ``code`` (a national repository's own words are shown
    for the codes they do not).

    >>> listed("sex", "F"), listed("age", "Y15T24"), listed("unit_measure", "PT")
    (True, True, False)
    >>> listed("breakdown", "COUNTERPART=PH"), listed("breakdown", "X=Y")
    (True, False)
    """
    if (dimension, code) in _labels() or ("*", code) in _labels():
        return True
    if dimension == "age":
        return age_label(code) is not None
    if dimension == "occupation":
        return _ISCO.match(code) is not None
    if dimension == "counterpart":
        return code in _iso2_names()
    if "=" in code:
        concept, _eq, value = code.partition("=")
        return listed(concept.lower(), value)
    return False


def labelled(dimension: str, codes: list[str], lang: str = "en") -> str:
    """Several codes' labels, comma-separated (a figure caption's selection)."""
    return ", ".join(label(dimension, c, lang) for c in codes)


def selection_label(selection: str | None, lang: str = "en") -> str:
    """An assessment specification's breakdown (``age=Y15T19``, several joined by ``;``)
    in words.

    >>> selection_label("age=Y15T19"), selection_label("breakdown=TYPE_OF_SPEED=ANYS")
    ('15–19 years', 'Type of speed: Any speed')
    """
    if not selection:
        return ""
    parts = [p.partition("=") for p in selection.split(";") if p]
    return "; ".join(label(dim, code, lang) for dim, _eq, code in parts)
