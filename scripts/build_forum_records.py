"""Build src/sdgtrack/records/data/apfsd8.yaml from the Chinese text of the report of the 8th
Asia-Pacific Forum on Sustainable Development (../shared/context/apfsd8-report-zh.txt) and
sdgtrack's own English renderings (scripts/forum_apfsd8_en.py).

Run once by hand: python scripts/build_forum_records.py [SOURCE.txt]. The Chinese text is
taken as published: the lines of each paragraph joined (Chinese is written without spaces;
the page layout's line ends are not text), page furniture, URLs and the footnote marker
dropped. tests/test_records.py checks the package data against the source again."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from forum_apfsd8_en import EN, EVENT_GOALS, EVENTS_EN  # noqa: E402

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent.parent / "shared" / "context" / "apfsd8-report-zh.txt"
OUT = HERE.parent / "src" / "sdgtrack" / "records" / "data" / "apfsd8.yaml"

#: Which roundtable each annex paragraph belongs to (annex 18-61); the report's own headings.
ROUNDTABLES = {1: (18, 24), 2: (25, 32), 3: (33, 38), 8: (39, 41), 10: (42, 49),
               12: (50, 50), 13: (51, 54), 16: (55, 55), 17: (56, 61)}
#: Indicators a priority action plainly concerns (judged by sdgtrack from its words).
INDICATORS = {
    "annex:20": ["1.3.1"], "annex:21": ["1.4.2", "5.a.1"], "annex:22": ["1.3.1"],
    "annex:23": ["1.5.1", "1.5.3", "13.1.2"], "annex:24": ["17.18.1"],
    "annex:30": ["1.3.1"], "annex:32": ["5.a.1"], "annex:34": ["3.8.1", "3.7.1"],
    "annex:37": ["3.c.1"], "annex:40": ["8.8.1", "8.8.2"], "annex:41": ["5.4.1", "8.5.1"],
    "annex:43": ["1.3.1"], "annex:44": ["8.5.1"], "annex:47": ["10.7.2"],
    "annex:48": ["17.18.1"], "annex:50(a)": ["12.5.1"], "annex:50(f)": ["12.c.1"],
    "annex:50(i)": ["12.1.1"], "annex:52": ["13.2.2", "12.c.1"], "annex:53(b)": ["13.1.3"],
    "annex:53(e)": ["4.7.1", "13.3.1"], "annex:55(a)": ["16.10.1", "16.10.2"],
    "annex:55(f)": ["16.2.1", "5.2.1"], "annex:55(g)": ["16.7.1", "5.5.1"],
    "annex:55(h)": ["16.9.1", "17.19.2"], "annex:59": ["17.19.2", "17.18.1"],
    "annex:60": ["17.1.1", "17.1.2"], "annex:61": ["17.11.1", "17.6.1"],
}


def _lines(text: str) -> list[str]:
    return [s.strip() for s in text.split("\n") if s.strip() and not s.strip().startswith(
        ("http", "____"))]


def paragraphs(lines: list[str]) -> dict[int, str]:
    """Numbered paragraphs in order: a line ``N. ...`` opens paragraph N only when N is the
    next number (the agenda's own ``1.`` to ``6.`` inside paragraph 6 do not)."""
    out: dict[int, list[str]] = {}
    current: list[str] | None = None
    for s in lines:
        m = re.match(r"^(\d{1,2})\.\s*(.*)$", s)
        if m and int(m[1]) == len(out) + 1:
            current = out.setdefault(int(m[1]), [m[2]])
        elif re.match(r"^[一二三四五六七八九十]+\.\s", s):
            current = None  # a section heading, up to the next paragraph
        elif current is not None:
            current.append(s)
    return {n: re.sub(r"(?<=。)1$", "", "".join(p)) for n, p in out.items()}


def split_items(text: str) -> tuple[str, list[tuple[str, str]]]:
    """A paragraph's lead and its lettered items ``(a) ...``."""
    parts = re.split(r"\(([a-k])\) ", text)
    return parts[0], [(parts[k], parts[k + 1]) for k in range(1, len(parts), 2)]


def parts(source: str) -> dict[str, dict[int, str]]:
    lines = source.split("\n")
    cut = next(k for k, s in enumerate(lines) if s.strip() == "附件")
    return {"report": paragraphs(_lines("\n".join(lines[:cut]))),
            "annex": paragraphs(_lines("\n".join(lines[cut + 1:])))}


def side_events(text: str) -> list[tuple[str, str]]:
    """(date, title) of the side events of report paragraph 15, by the day they were held."""
    events, date = [], "2021-03-22"
    for seg in re.split(r"(3 月 ?\d\d 日)", text):
        day = re.match(r"3 月 ?(\d\d) 日", seg)
        if day:
            date = f"2021-03-{day[1]}"
            continue
        events += [(date, t) for t in re.findall(r"“(.*?)”", seg)]
    return events


def goal_of(n: int) -> int | None:
    return next((g for g, (a, b) in ROUNDTABLES.items() if a <= n <= b), None)


def build(source: str) -> dict:
    p = parts(source)
    records: list[dict] = []
    agenda = {4: "1(a)", 5: "1(b)", 6: "1(c)", 7: "2", 8: "2", 9: "2", 10: "3", 11: "2",
              12: "3", 13: "4", 14: "5"}
    for n, item in agenda.items():
        records.append({"id": f"report-{n}", "kind": "session", "part": "report",
                        "paragraph": n, "agenda_item": item, "text_zh": p["report"][n],
                        "text_en": EN[f"report:{n}"]})
    for n in range(18, 62):
        lead, items = split_items(p["annex"][n])
        g = goal_of(n)
        base = {"kind": "roundtable", "part": "annex", "paragraph": n, "goals": [g],
                "agenda_item": "2"}
        records.append({"id": f"annex-{n}", **base, "text_zh": lead,
                        "text_en": EN[f"annex:{n}"],
                        "indicators": INDICATORS.get(f"annex:{n}", [])})
        for letter, text in items:
            key = f"annex:{n}({letter})"
            records.append({"id": f"annex-{n}{letter}", **base, "item": letter,
                            "text_zh": text, "text_en": EN[key],
                            "indicators": INDICATORS.get(key, [])})
    for n in range(65, 70):
        records.append({"id": f"annex-{n}", "kind": "vnr_panel", "part": "annex",
                        "paragraph": n, "agenda_item": "3", "text_zh": p["annex"][n],
                        "text_en": EN[f"annex:{n}"]})
    events = side_events(p["report"][15])
    panel = next(k for k, (_, t) in enumerate(events) if t.startswith("携手促进"))
    k = 0
    for i, (date, title) in enumerate(events):
        if i == panel:  # the high-level panel of 26 March is a session, not a side event
            records.append({"id": "report-15-panel", "kind": "session", "part": "report",
                            "paragraph": 15, "date": date, "title_zh": title,
                            "title_en": "Working together for the post-COVID-19 recovery of "
                                        "Asia and the Pacific: pathways to building back "
                                        "better together"})
            continue
        records.append({"id": f"side-event-{k + 1}", "kind": "side_event", "part": "report",
                        "paragraph": 15, "date": date, "title_zh": title,
                        "title_en": EVENTS_EN[k], "goals": EVENT_GOALS[k]})
        k += 1
    for r in records:
        for key in ("goals", "indicators"):
            if key in r and not r[key]:
                del r[key]
    return {
        "schema": "sdgtrack-records/1",
        "forum": {
            "id": "apfsd8",
            "title_zh": "亚太可持续发展论坛第八届会议报告",
            "title_en": "Report of the Asia-Pacific Forum on Sustainable Development on its "
                        "eighth session",
            "held": "2021-03-23/2021-03-26",
            "published_language": "zh",
            "translations": {"en": "translation by sdgtrack"},
            "source": "Note by the secretariat transmitting the report of the eighth session "
                      "of the Asia-Pacific Forum on Sustainable Development (23-26 March 2021) "
                      "to the high-level political forum on sustainable development (6-15 July "
                      "2021), Chinese; the Chair's summary is its annex. The roundtable "
                      "summaries are issued as ESCAP/RFSD/2021/4/Add.1 (annex, paragraph 17); "
                      "the copy read does not show the report's own symbol.",
            "licence": "United Nations official document, public; quoted as published, "
                       "with attribution. No other licence is stated in the context folder.",
        },
        "records": records,
    }


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE
    data = build(source.read_text(encoding="utf-8"))
    head = ("# Records of the 8th Asia-Pacific Forum on Sustainable Development (2021).\n"
            "# Built by scripts/build_forum_records.py; the schema is records/SCHEMA.md.\n"
            "# text_zh/title_zh: as published. text_en/title_en: translation by sdgtrack.\n")
    OUT.write_text(head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False,
                                         width=1000), encoding="utf-8")
    print(f"{OUT}: {len(data['records'])} records")


if __name__ == "__main__":
    main()
