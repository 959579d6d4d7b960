"""What became of a series code in a later vintage of the UN Global SDG Database.

The database is republished every quarter; its series are renamed, split, merged, replaced and
discontinued. ``data/series_successors.csv`` records, for every series of the October 2020
vintage that the December 2023 vintage lacks, what took its place (``data/SOURCES.md`` says how
it was built and how ``comparable`` was decided). Relations:

- ``renamed``: the same concept and unit under a new code;
- ``split``: one old series became several new ones (one row per new code);
- ``merged``: several old series became one new one (one row per old code);
- ``replaced``: a successor with another definition (population of reference, cause list ...);
- ``discontinued``: no successor (``new_code`` is empty).

``comparable`` says whether values of the old and the new code may be used as one time series.
A *family* is a chain of comparable renames; its id is its newest code, so a specification
keyed to an old code can find the data of the new one.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from sdgtrack.errors import Issue, IssueCode

FILE = "series_successors.csv"
RELATIONS = ("renamed", "split", "merged", "replaced", "discontinued")


@dataclass(frozen=True)
class Successor:
    """One row of the map: ``old_code`` became ``new_code`` (empty when discontinued)."""

    old_code: str
    new_code: str
    relation: str
    indicator: str
    comparable: bool
    since: str
    evidence: str


@cache
def _rows() -> tuple[dict[str, str], ...]:
    path = resources.files("sdgtrack.framework") / "data" / FILE
    with path.open(encoding="utf-8") as f:  # a resource is read as text: no newline=
        return tuple(csv.DictReader(f.read().splitlines()))


@cache
def _map() -> tuple[Successor, ...]:
    return tuple(
        Successor(r["old_code"], r["new_code"], r["relation"], r["indicator"],
                  r["comparable"] == "yes", r["since"], r["evidence"])
        for r in _rows())


def successors(code: str) -> tuple[Successor, ...]:
    """What ``code`` became: one row per successor, one ``discontinued`` row, or nothing when
    the map does not list the code (it was not changed, or is not known to have been).

    >>> [(s.new_code, s.relation, s.comparable) for s in successors("SH_STA_STUNT")]
    [('SH_STA_STNT', 'renamed', True)]
    >>> [s.new_code for s in successors("SG_PLN_MSTKSDG")]
    ['SG_PLN_MSTKSDG_P', 'SG_PLN_MSTKSDG_R']
    """
    return tuple(s for s in _map() if s.old_code == code)


def predecessors(code: str) -> tuple[Successor, ...]:
    """The rows whose ``new_code`` is ``code``.

    >>> [s.old_code for s in predecessors("SH_STA_STNT")]
    ['SH_STA_STUNT']
    """
    return tuple(s for s in _map() if s.new_code == code)


@cache
def _next_in_family() -> dict[str, str]:
    """old code -> new code, for the codes with exactly one successor, a comparable rename."""
    out: dict[str, str] = {}
    for s in _map():
        if s.relation == "renamed" and s.comparable and len(successors(s.old_code)) == 1:
            out[s.old_code] = s.new_code
    return out


def series_family(code: str) -> str:
    """The family id of a series: the newest code of its chain of comparable renames (the
    code itself when it has no comparable rename).

    >>> series_family("SH_STA_STUNT"), series_family("SH_STA_STNT"), series_family("SH_STA_MMR")
    ('SH_STA_STNT', 'SH_STA_STNT', 'SH_STA_MMR')
    """
    seen = {code}
    nxt = _next_in_family()
    while code in nxt and nxt[code] not in seen:
        code = nxt[code]
        seen.add(code)
    return code


def family_members(code: str) -> tuple[str, ...]:
    """Every code of the family of ``code``, oldest first, the family id last.

    >>> family_members("SH_STA_STNT")
    ('SH_STA_STUNT', 'SH_STA_STNT')
    """
    family = series_family(code)
    members = [family]
    previous = {new: old for old, new in _next_in_family().items()}
    while members[0] in previous and previous[members[0]] not in members:
        members.insert(0, previous[members[0]])
    return tuple(members)


def check_successors(rows: Iterable[Mapping[str, str]], known_series: set[str],
                     file: str = FILE) -> list[Issue]:
    """An ``unknown_series`` issue for every code of the map that is not a known series.

    ``rows`` are the map's rows as ``csv.DictReader`` gives them (line 2 is the first row);
    ``known_series`` is typically ``framework.known_series()``.
    """
    issues = []
    for line, row in enumerate(rows, start=2):
        for column in ("old_code", "new_code"):
            code = (row.get(column) or "").strip()
            if not code or code in known_series:
                continue
            issues.append(Issue(
                file, line, column, IssueCode.UNKNOWN_SERIES, code,
                f"Series {code!r} is in neither the framework's series list nor CL_SERIES.",
                f"Correct the code in {column} against the UN SDG database's series list, or "
                "add the series to framework/data/series.csv first"
                + (", or leave new_code empty for a discontinued series." if column == "new_code"
                   else ".")))
    return issues


@cache
def successor_codes(relations: tuple[str, ...] = ("renamed", "replaced", "split", "merged")
                    ) -> dict[str, tuple[str, ...]]:
    """Old code -> its successors' codes, for the given relations (not ``discontinued``):
    what a specification keyed to an old code moves to when the data have only the new one.

    >>> successor_codes()["SH_STA_STUNT"], successor_codes()["SG_PLN_MSTKSDG"]
    (('SH_STA_STNT',), ('SG_PLN_MSTKSDG_P', 'SG_PLN_MSTKSDG_R'))
    """
    out: dict[str, list[str]] = {}
    for s in _map():
        if s.relation in relations and s.new_code:
            out.setdefault(s.old_code, []).append(s.new_code)
    return {k: tuple(v) for k, v in out.items()}


def renamed_codes() -> dict[str, str]:
    """Old code -> new code for one-to-one renames (the same concept and unit): the series a
    vintage's diff compares under the new code.

    >>> renamed_codes()["EG_ELC_ACCS"]
    'EG_ACS_ELEC'
    """
    return {k: v[0] for k, v in successor_codes(("renamed",)).items() if len(v) == 1}


def newest_present(code: str, present: set[str] | frozenset[str],
                   mapping: Mapping[str, Sequence[str]] | None = None) -> tuple[str, ...]:
    """The newest codes of the data that a (possibly old) ``code`` stands for: the code itself
    when the data have it, else its successors' (``mapping``: old -> new codes, by default
    ``successor_codes()``), followed down the chain; nothing when none is present.

    >>> newest_present("SH_STA_STUNT", {"SH_STA_STNT"}), newest_present("X", {"Y"})
    (('SH_STA_STNT',), ())
    """
    mapping = successor_codes() if mapping is None else mapping

    def walk(c: str, seen: frozenset[str]) -> list[str]:
        if c in present:
            return [c]
        if c in seen:
            return []
        return [x for nxt in mapping.get(c, ()) for x in walk(nxt, seen | {c})]

    return tuple(dict.fromkeys(walk(code, frozenset())))
