"""Add the regional commissions ECA, ECE, ECLAC and ESCWA to framework/data/groups.csv and
group_members.csv (the ESCAP rows are kept as they are).

Run from the repository root, after scripts/build_framework_areas.py:
    python scripts/build_framework_commissions.py
Only used when the package data is refreshed. The membership lists and where each comes from
are in framework/data/SOURCES.md ("The regional commissions"); the checks below fail loudly
when a list drifts from the published count or names an area that is not a country/territory.
"""

from __future__ import annotations

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "src/sdgtrack/framework/data"
DATE = "2023-12"

#: ECA's 54 members are the African member States of the United Nations: every `country` of
#: M49 Africa (002) in areas.csv (its 6 `territory` areas are not members), so no list here.
#: The 56 ECE member States.
ECE = [8, 20, 31, 40, 51, 56, 70, 100, 112, 124, 191, 196, 203, 208, 233, 246, 250, 268, 276,
       300, 348, 352, 372, 376, 380, 398, 417, 428, 438, 440, 442, 470, 492, 498, 499, 528, 578,
       616, 620, 642, 643, 674, 688, 703, 705, 724, 752, 756, 762, 792, 795, 804, 807, 826, 840,
       860]
#: The 33 ECLAC member States of the region (the 13 members from outside the region, such as
#: Canada, France or Japan, are left out, as the four non-regional ESCAP members are).
ECLAC = [28, 32, 44, 52, 68, 76, 84, 152, 170, 188, 192, 212, 214, 218, 222, 308, 320, 328,
         332, 340, 388, 484, 558, 591, 600, 604, 659, 662, 670, 740, 780, 858, 862]
#: ECLAC's 14 associate members.
ECLAC_ASSOCIATES = [60, 92, 136, 254, 312, 474, 500, 531, 533, 534, 630, 660, 796, 850]
#: The 21 ESCWA member States.
ESCWA = [12, 48, 262, 275, 368, 400, 414, 422, 434, 478, 504, 512, 634, 682, 706, 729, 760,
         784, 788, 818, 887]

GROUPS = {
    "eca": ("Africa (ECA region)", 54,
            "ECA members: the 54 African States Members of the United Nations; taken as every "
            "kind=country area of M49 Africa (002) in areas.csv (UNSD M49, 2020 list); "
            "membership rule from general knowledge, not read from an ECA document"),
    "ece": ("Europe, North America and Central Asia (ECE region)", 56,
            "ECE member States (56) as listed by UNECE (unece.org, member States), from general "
            "knowledge; checked: the UN member States of M49 Europe but the Holy See, plus "
            "Canada, the United States, Israel, Cyprus, Türkiye, Armenia, Azerbaijan, Georgia "
            "and the five Central Asian States; not read from a UNECE document"),
    "eclac": ("Latin America and the Caribbean (ECLAC region)", 47,
              "ECLAC: the 33 member States of the region (the 13 non-regional members are left "
              "out, as for ESCAP) and 14 associate members; the 16 Caribbean members and 13 "
              "Caribbean associates as on caribbean.eclac.org/about (read via the search tool), "
              "French Guiana as 14th associate and the 33 regional members checked against the "
              "UN member States of M49 Latin America and the Caribbean (419)"),
    "escwa": ("Arab region (ESCWA region)", 21,
              "ESCWA member States (21): the 20 of 2021 (CEPEI infographic, cepei.org, April "
              "2021: Algeria and Somalia joined in 2020; Comoros and Djibouti not members) plus "
              "Djibouti as the 21st (UNVERIFIED: taken from general knowledge, no document "
              "read); the count 21 from the ESCWA Wikipedia article (read via the search tool)"),
}


def read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with (DATA / f"{name}.csv").open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def write(name: str, header: list[str], rows: list[dict[str, str]]) -> None:
    with (DATA / f"{name}.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, header)
        w.writeheader()
        w.writerows(rows)


def members() -> dict[str, list[tuple[int, str]]]:
    _, areas = read("areas")
    kind = {int(r["m49"]): r["kind"] for r in areas}
    _, gm = read("group_members")
    africa = [int(r["m49"]) for r in gm if r["group"] == "m49_2"]
    out = {
        "eca": [(c, "member") for c in africa if kind[c] == "country"],
        "ece": [(c, "member") for c in ECE],
        "eclac": [(c, "member") for c in ECLAC] + [(c, "associate") for c in ECLAC_ASSOCIATES],
        "escwa": [(c, "member") for c in ESCWA],
    }
    for group, rows in out.items():
        assert GROUPS[group][1] == len({c for c, _ in rows}) == len(rows), group
        for c, role in rows:
            assert kind[c] == ("country" if role == "member" else "territory"), (group, c)
    lac = {int(r["m49"]) for r in gm if r["group"] == "m49_419"}
    assert set(ECLAC) == {c for c in lac if kind[c] == "country"}
    assert set(ECLAC_ASSOCIATES) - lac == {60}  # Bermuda is in M49 Northern America
    return out


def main() -> None:
    new = members()
    header, groups = read("groups")
    groups = [g for g in groups if g["group"] not in GROUPS]
    at = max(i for i, g in enumerate(groups) if g["group"].startswith("escap")) + 1
    groups[at:at] = [{"group": g, "name": name, "kind": "regional_commission", "source": src,
                      "source_date": DATE, "m49": ""} for g, (name, _, src) in GROUPS.items()]
    write("groups", header, groups)
    order = {g["group"]: i for i, g in enumerate(groups)}
    mheader, gm = read("group_members")
    gm = [r for r in gm if r["group"] not in GROUPS]
    gm += [{"group": g, "m49": str(c), "role": role} for g, rows in new.items() for c, role in rows]
    gm.sort(key=lambda r: (order[r["group"]], int(r["m49"])))
    write("group_members", mheader, gm)
    print({g: len(rows) for g, rows in new.items()})


if __name__ == "__main__":
    main()
