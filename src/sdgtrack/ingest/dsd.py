"""A data structure definition shipped with the data (``SDG_DSD.KG_1.8.xml``): the names of
its concepts and codes in every language it gives them.

A national DSD derived from the global SDG one names ``REF_AREA`` "Территория" and the code
``KG05`` "Баткенская область". With these names, a CSV of the same repository whose headers
and cells are written out in words maps to the SDMX codes through the repository's own
data, with nothing written for that country.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_STR = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure}"
_COM = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common}"
_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def fold(label: str) -> str:
    """A label as compared: case and spaces ignored ("г.Бишкек" is "г. Бишкек").

    >>> fold(" г. Бишкек "), fold("Urban or Rural")
    ('г.бишкек', 'urbanorrural')
    """
    return "".join(label.split()).casefold()


@dataclass(frozen=True)
class Structure:
    """Concept and code names of a DSD. ``concepts``: folded name -> concept id;
    ``codes``: concept id -> folded name -> code; ``names``: concept id -> code -> English
    name; ``ids``: concept id -> the codes of its code list; ``labels``: concept id -> code
    -> language -> name (what a page in that language shows); ``parents``: concept id ->
    code -> its parent code; ``annotations``: concept id -> code -> (type, text) of each of
    its annotations."""

    concepts: dict[str, str] = field(default_factory=dict)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    names: dict[str, dict[str, str]] = field(default_factory=dict)
    ids: dict[str, set[str]] = field(default_factory=dict)
    labels: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    parents: dict[str, dict[str, str]] = field(default_factory=dict)
    annotations: dict[str, dict[str, list[tuple[str, str]]]] = field(default_factory=dict)


def find(root: Path) -> Path | None:
    """The DSD a repository ships: the one its Open SDG config names (``dsd:``), else the
    last ``*DSD*.xml`` at its root by name (``SDG_DSD.KG_1.8.xml`` after ``..._1.7``)."""
    for config in sorted(root.glob("*config*.yml")):
        try:
            text = config.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        named = re.search(r"^\s*dsd:\s*['\"]?([^'\"\s]+)", text, re.MULTILINE)
        if named and (root / named[1]).is_file():
            return root / named[1]
    found = sorted(p for p in root.glob("*.xml") if "dsd" in p.name.lower())
    return found[-1] if found else None


def _names(element: object) -> dict[str, str]:
    return {n.get(_LANG) or "": (n.text or "").strip()
            for n in element.findall(_COM + "Name")}  # type: ignore[attr-defined]


Codelists = tuple[dict[str, list[tuple[str, dict[str, str]]]], dict[str, dict[str, str]],
                  dict[str, dict[str, list[tuple[str, str]]]]]


def _codelists(root: Any) -> Codelists:
    """Per code list: its (code, names) in order; code -> parent; code -> annotations."""
    lists: dict[str, list[tuple[str, dict[str, str]]]] = {}
    parents: dict[str, dict[str, str]] = {}
    notes: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for codelist in root.iter(_STR + "Codelist"):
        cl = codelist.get("id")
        lists[cl] = [(c.get("id"), _names(c)) for c in codelist.iter(_STR + "Code")]
        for c in codelist.iter(_STR + "Code"):
            parent = c.find(f"{_STR}Parent/Ref")
            if parent is not None and parent.get("id"):
                parents.setdefault(cl, {})[c.get("id")] = parent.get("id")
            found = [((a.findtext(_COM + "AnnotationType") or "").strip(),
                      (a.findtext(_COM + "AnnotationText") or "").strip())
                     for a in c.iter(_COM + "Annotation")]
            if found:
                notes.setdefault(cl, {})[c.get("id")] = found
    return lists, parents, notes


def read(path: Path) -> Structure:
    """The names in an SDMX-ML 2.1 structure message (entities never expanded)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    root = etree.parse(str(path), parser).getroot()
    lists, parents, notes = _codelists(root)
    out = Structure()
    for concept in root.iter(_STR + "Concept"):
        for name in _names(concept).values():
            out.concepts.setdefault(fold(name), concept.get("id"))
    for tag in ("Dimension", "Attribute"):
        for component in root.iter(_STR + tag):
            ref = component.find(f"{_STR}LocalRepresentation/{_STR}Enumeration/Ref")
            if ref is None or ref.get("id") not in lists:
                continue
            concept = component.get("id")
            codes = out.codes.setdefault(concept, {})
            out.parents.setdefault(concept, {}).update(parents.get(ref.get("id"), {}))
            out.annotations.setdefault(concept, {}).update(notes.get(ref.get("id"), {}))
            for code, names in lists[ref.get("id")]:
                for name in names.values():
                    codes.setdefault(fold(name), code)  # the first code of a shared name
                out.names.setdefault(concept, {})[code] = names.get("en") or code
                out.ids.setdefault(concept, set()).add(code)
                out.labels.setdefault(concept, {})[code] = {k: v for k, v in names.items()
                                                            if k and v}
    return out


def load(root: Path) -> Structure:
    """The names of the DSD ``root`` ships, or none when it ships none (or it is damaged:
    the data are still read, without the names)."""
    path = find(root)
    if path is None:
        return Structure()
    try:
        return read(path)
    except (OSError, ValueError, SyntaxError):
        return Structure()
