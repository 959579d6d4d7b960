"""ESCAP_SPEC.md and escap_spec.csv say the same thing: every judgement call the document
states in a bold heading ("**Hunger, 2.1.1 (`SN_ITK_DEFC`): value 2.5.**") holds for the
rows it names, and the counts it gives are the file's. The document once gave the hunger
target as 0 while the file said 2.5."""

import csv
import re
from importlib import resources

SPEC = resources.files("sdgtrack.assess") / "data"
SERIES = re.compile(r"`([A-Z][A-Z0-9]*_[A-Z0-9_]+)`")
INDICATOR = re.compile(r"\b(\d{1,2}\.[0-9a-z]{1,2}\.\d)\b")


def _rows():
    with (SPEC / "escap_spec.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _claims(text):
    """(codes, expectations) from each bold heading's "what: rule" sentences."""
    for heading in re.findall(r"^- \*\*(.+?)\*\*", text, flags=re.M):
        for sentence in re.split(r"\.\s+(?=[A-Z\"`])", heading.rstrip(".")):
            if ":" not in sentence:
                continue
            what, rule = sentence.split(":", 1)
            codes = SERIES.findall(what) or INDICATOR.findall(what)
            expect = {}
            if "best performers" in rule:
                expect["target_rule"] = "best_performers"
            elif m := re.search(r"relative\s+(\d+(?:\.\d+)?)", rule):
                expect |= {"target_rule": "relative", "target_factor": float(m.group(1))}
            elif m := re.search(r"`parity`\s+at\s+(\d+(?:\.\d+)?)", rule):
                expect |= {"direction": "parity", "target_value": float(m.group(1))}
            elif m := re.match(r"\s*(?:value\s+)?(\d+(?:\.\d+)?)\b", rule):
                expect |= {"target_rule": "value", "target_value": float(m.group(1))}
            if m := re.match(r"\s*(increase|decrease)\b", rule):
                expect["direction"] = m.group(1)
            if codes and expect:
                yield sentence, codes, expect


def _value(row, key):
    return float(row[key]) if key in ("target_value", "target_factor") else row[key]


def test_every_judgement_call_of_the_document_holds_in_the_file():
    rows = [r for r in _rows() if r["target_rule"] != "exclude"]
    text = (SPEC / "ESCAP_SPEC.md").read_text(encoding="utf-8")
    checked, wrong = 0, []
    for sentence, codes, expect in _claims(text):
        for code in codes:
            named = [r for r in rows if code in (r["series_code"], r["indicator"])]
            assert named, f"{sentence!r} names {code}, which has no assessed row"
            for r in named:
                checked += 1
                got = {k: _value(r, k) for k in expect}
                if got != expect:
                    wrong.append((sentence, r["series_code"], r["selection"], got, expect))
    assert [] == wrong
    # 14 headings (hunger, stunting, NCD, suicide ... agriculture orientation) name 25 rows
    assert checked >= 25


def test_the_counts_the_document_gives_are_the_file_s():
    rows = _rows()
    text = (SPEC / "ESCAP_SPEC.md").read_text(encoding="utf-8")
    # the latest version's row count ("version 3 has **180**")
    total = re.findall(r"version \d+ has \*\*(\d+)\*\*", text)[-1]
    excluded = re.search(r"There are (\d+) rows of this kind", text)
    assert (len(rows), sum(r["target_rule"] == "exclude" for r in rows)) == (
        int(total), int(excluded.group(1)))
    version = re.search(r"\*\*Status — version (\d+)", text).group(1)
    from sdgtrack.assess.spec import SPEC_VERSION

    assert SPEC_VERSION == version


def test_an_unknown_indicator_in_also_indicators_is_named_with_its_row(tmp_path):
    from sdgtrack.assess.spec import load_spec
    from sdgtrack.errors import DataError

    mine = tmp_path / "national.csv"
    rows = _rows()
    header = list(rows[0])
    row = next(r for r in rows if r["series_code"] == "VC_DSR_MTMP")
    with mine.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, header)
        w.writeheader()
        w.writerow(row | {"also_indicators": "1.5.1;13.9.9"})
    try:
        load_spec(mine)
    except DataError as exc:
        (issue,) = exc.issues
        assert ("national.csv", 2, "also_indicators", "1.5.1;13.9.9") == (
            issue.file, issue.row, issue.column, issue.value)
        assert "'13.9.9' is not an SDG indicator" in issue.message
    else:
        raise AssertionError("13.9.9 was taken for an indicator")
