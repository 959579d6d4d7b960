"""National series assessed for their global indicator.

A national repository names its series after the indicator (``KAZ_3_2_1``,
``KAZ_2_2_1:_L_KZ_DD_MSD``, ``KGZ_4_1_2:L1``, SDMX's ``_L_KG_010A02_1``) and no
specification row names them, so
without this step they are stored but never assessed. Each one counts for its global
indicator (from its code: 3.2.1; a national sub-indicator 17.3.1.2 for 17.3.1), and takes
that indicator's specification row:

- the direction is the global series' (the one rule the method cannot do without);
- the target: a ``relative`` target (a change from the baseline) holds in any unit; a
  ``value`` target only when the national unit is the global series' unit (``PT`` and the
  UN database's ``PERCENT`` are one unit); a ``best_performers`` target needs other
  countries' values of the same series, which a national series has not.

A national series that finds no row is kept with its reason in words (``given_reason``): no
direction known, no target in its unit. A national targets file (``assess/targets.py``) can
give it both.
"""

from __future__ import annotations

import re

import pandas as pd

from sdgtrack import framework

#: ``<ISO3>_<goal>_<target>_<indicator>[_<sub>...][:<local code>]``
NATIONAL = re.compile(r"^[A-Z]{3}_(\d+)_([0-9a-z]+)_(\d+)(?:_\d+)*(?::.*)?$")
#: The SDMX convention for national series codes: ``_L_<ISO2>_<gg><tt><ii>...`` (Kyrgyzstan's
#: ``_L_KG_010A02_1`` is of 1.a.2, Kazakhstan's ``_L_KZ_090102_1`` of 9.1.2).
LOCAL = re.compile(r"^_L_[A-Z]{2}_(\d{2})(\d{2}|0[A-Z])(\d{2})")
#: Unit codes that are one unit under two names (SDMX code lists and the UN SDG API).
SAME_UNIT = {"PT": "PERCENT"}


def indicator_of(series_code: str) -> str | None:
    """The global indicator a national series counts for.

    >>> [indicator_of(c) for c in ("KAZ_2_2_1:_L_KZ_DD_MSD", "KAZ_17_3_1_2", "SI_POV_DAY1")]
    ['2.2.1', '17.3.1', None]
    >>> indicator_of("_L_KG_010A02_1"), indicator_of("_L_KG_120401_1")
    ('1.a.2', '12.4.1')
    """
    if m := NATIONAL.match(series_code):
        return f"{m[1]}.{m[2]}.{m[3]}"
    if m := LOCAL.match(series_code):
        target = str(int(m[2])) if m[2].isdigit() else m[2][1].lower()
        return f"{int(m[1])}.{target}.{int(m[3])}"
    return None


def _unit(code: str | None) -> str:
    return SAME_UNIT.get(code or "", code or "")


def _row(spec: pd.DataFrame, code: str, indicator: str, direction: str, reason: str
         ) -> pd.Series:
    """A row for a national series that no global row assesses: its indicator, the
    direction if known, no target, and the reason in words."""
    ind = framework.table("indicators").to_pandas().drop_duplicates("indicator")
    known = ind[ind.indicator == indicator]
    row = pd.Series({c: "" for c in spec.columns}, dtype=object)
    row["series_code"] = row["spec_series_code"] = code
    row["indicator"], row["direction"] = indicator, direction
    row["target"] = known.target.iloc[0] if len(known) else ""
    row["goal"] = indicator.split(".")[0]
    row["target_rule"], row["target_value"], row["target_factor"] = "value", None, None
    row["note"], row["given_reason"] = reason, reason
    for c in spec.columns:
        if c.startswith("sel_"):
            row[c] = None
    return row


def national_rows(spec: pd.DataFrame, units: dict[str, str],
                  directions: dict[str, str] | None = None
                  ) -> tuple[pd.DataFrame, dict[str, str]]:
    """Specification rows for the national series in ``units`` (series code -> its unit in
    the data), and the reason each other national series is not assessed. ``directions``
    (series code -> direction, from a national targets file) gives a direction the
    specification lacks."""
    global_units = dict(zip(framework.table("series")["series_code"].to_pylist(),
                            framework.table("series")["unit_measure"].to_pylist()))
    directions = directions or {}
    rows, reasons = [], {}
    for code, unit in sorted(units.items()):
        indicator = indicator_of(code)
        if indicator is None or code in set(spec.series_code):
            continue
        candidates = spec[(spec.indicator == indicator) & (spec.selection == "")]
        if candidates.empty:
            reasons[code] = ("no direction known: its indicator is not in the assessment "
                             f"specification ({indicator})")
            continue
        usable = [r for _, r in candidates.iterrows() if r.target_rule == "relative" or (
            r.target_rule == "value" and _unit(unit) == _unit(global_units.get(r.series_code)))]
        if not usable:
            said = "; ".join(f"{r.series_code} has a {r.target_rule} target in "
                             f"{global_units.get(r.series_code) or 'its own unit'}"
                             for _, r in candidates.iterrows())
            reasons[code] = (f"no target in its unit {unit or '(none)'}: of indicator "
                             f"{indicator}'s series, {said}")
            continue
        row = usable[0].copy()
        row["note"] = (f"National series of indicator {indicator}, assessed with the direction "
                       f"and target of {row.series_code}.")
        row["spec_series_code"] = row.series_code
        row["series_code"] = code
        rows.append(row)
    # the others are kept, unassessed, with their reason (a national target may set one)
    for code, reason in reasons.items():
        indicator = indicator_of(code) or ""
        got = spec[(spec.indicator == indicator) & (spec.selection == "")]
        direction = directions.get(code) or (got.direction.iloc[0] if len(got) else "")
        if direction and reason.startswith("no direction known"):
            reason = ("no target: its indicator is not in the assessment specification "
                      f"({indicator})")
        rows.append(_row(spec, code, indicator, direction, reason))
    return (pd.DataFrame(rows) if rows else spec.iloc[0:0]), reasons


def with_national_series(spec: pd.DataFrame, units: dict[str, str],
                         directions: dict[str, str] | None = None) -> pd.DataFrame:
    """``spec`` with a row for every national series (``national`` true): assessed with
    its indicator's direction and target, or, where it cannot be, with its reason in
    ``given_reason``; ``sub_id`` numbered again."""
    spec = spec.assign(national=False, given_reason="")
    extra, _ = national_rows(spec, units, directions)
    if extra.empty:
        return spec
    extra = extra.assign(national=True)
    out = pd.concat([spec, extra], ignore_index=True)
    out["given_reason"] = out.given_reason.fillna("")
    for c in ("target_value", "target_factor"):
        out[c] = pd.to_numeric(out[c], errors="coerce")
    out["sub_id"] = range(len(out))
    return out
