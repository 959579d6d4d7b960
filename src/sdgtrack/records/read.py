"""Read a forum's records from YAML or CSV, checking every row; a file with a problem is
refused whole (``DataError`` with one ``Issue`` per problem: file, row, field and the fix)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import yaml

from sdgtrack import framework
from sdgtrack.errors import DataError, Issue, IssueCode
from sdgtrack.records.schema import FORUM_FIELDS, KINDS, LANGS, RECORD_FIELDS, Forum, Record

SCHEMA = "sdgtrack-records/1"
_ID = re.compile(r"^[a-z0-9][a-z0-9_.\-]{0,63}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def read(path: Path) -> tuple[Forum, tuple[Record, ...]]:
    """The forum and its records in ``path`` (``.yaml``/``.yml`` or ``.csv``)."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such file.", [Issue(
            str(path), None, None, IssueCode.FILE_NOT_FOUND, None, "No such file.",
            "Give the path of a records file (YAML or CSV, see records/SCHEMA.md).")])
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text.", [Issue(
            str(path), None, None, IssueCode.ENCODING_ERROR, None, f"Not UTF-8 ({exc.reason}).",
            "Save the file as UTF-8.")]) from exc
    return read_text(text, path.name, csv_format=path.suffix.lower() == ".csv")


def read_text(text: str, name: str, csv_format: bool = False
              ) -> tuple[Forum, tuple[Record, ...]]:
    forum_raw, rows = _csv(text, name) if csv_format else _yaml(text, name)
    issues: list[Issue] = []
    forum = _forum(forum_raw, name, issues)
    records, seen = [], set()
    for line, row in rows:
        rec = _record(row, forum.id if forum else "", name, line, issues)
        if rec is None:
            continue
        if rec.id in seen:
            issues.append(Issue(name, line, "id", IssueCode.DUPLICATE_KEY, rec.id,
                                f"The id {rec.id!r} is used twice.",
                                "Give every record its own id (e.g. annex-52, annex-50a)."))
        seen.add(rec.id)
        records.append(rec)
    if not rows:
        issues.append(Issue(name, None, "records", IssueCode.NO_ROWS, None,
                            "The file holds no records.", "Add at least one record."))
    if issues or forum is None:
        raise DataError(f"{name}: {len(issues)} problem(s); nothing was added.\n"
                        + "\n".join(f"  {i}" for i in issues[:20]), issues)
    return forum, tuple(records)


def _refuse(name: str, message: str, hint: str, code: IssueCode = IssueCode.NOT_TABULAR
            ) -> DataError:
    return DataError(f"{name}: {message} {hint}", [Issue(name, None, None, code, None,
                                                         message, hint)])


def _yaml(text: str, name: str) -> tuple[dict[str, Any], list[tuple[int | None, Any]]]:
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise _refuse(name, f"Not valid YAML{where}: {getattr(exc, 'problem', exc)}.",
                      "Check the indentation and quoting there (records/SCHEMA.md has an "
                      "example).", IssueCode.MALFORMED_ROW) from exc
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
        raise _refuse(name, f"Not a records file: the first key must be 'schema: {SCHEMA}'.",
                      "Start from the example in records/SCHEMA.md.")
    records = doc.get("records")
    if not isinstance(records, list) or not isinstance(doc.get("forum"), dict):
        raise _refuse(name, "A records file needs a 'forum:' mapping and a 'records:' list.",
                      "See records/SCHEMA.md.", IssueCode.MISSING_COLUMN)
    # YAML keeps no line per list item here: the row is the record's place in the list
    return doc["forum"], [(k + 1, r) for k, r in enumerate(records)]


def _csv(text: str, name: str) -> tuple[dict[str, Any], list[tuple[int | None, Any]]]:
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    wanted = {"forum_id", "id", "kind"}
    if not wanted <= set(header):
        missing = ", ".join(sorted(wanted - set(header)))
        raise _refuse(name, f"The CSV lacks the column(s) {missing}.",
                      "The header is forum_id, id, kind, then any of the other fields of "
                      "records/SCHEMA.md.", IssueCode.MISSING_COLUMN)
    known = {f"forum_{f}" for f in FORUM_FIELDS} | set(RECORD_FIELDS)
    unknown = [h for h in header if h not in known]
    if unknown:
        raise _refuse(name, f"Unknown column(s): {', '.join(unknown)}.",
                      "Use the field names of records/SCHEMA.md.", IssueCode.UNKNOWN_COLUMN)
    rows = list(reader)
    forum: dict[str, Any] = {}
    for k, row in enumerate(rows):
        for f in FORUM_FIELDS:
            value = row.get(f"forum_{f}") or ""
            if value and forum.setdefault(f, value) != value:
                raise _refuse(name, f"Row {k + 2}: forum_{f} differs from the rows above.",
                              "A file holds one forum: give every row the same forum_ "
                              "values (or leave them empty after the first row).",
                              IssueCode.MALFORMED_ROW)
    if isinstance(forum.get("translations"), str):  # "en=translation by sdgtrack; ru=..."
        forum["translations"] = dict(part.split("=", 1) for part in
                                     forum["translations"].split(";") if "=" in part)
    out: list[tuple[int | None, Any]] = []
    for k, row in enumerate(rows):
        r: dict[str, Any] = {f: row.get(f) or "" for f in RECORD_FIELDS}
        r["goals"] = [g.strip() for g in r["goals"].split(",") if g.strip()]
        r["indicators"] = [i.strip() for i in r["indicators"].split(",") if i.strip()]
        out.append((k + 2, r))  # the header is line 1
    return forum, out


def _forum(raw: dict[str, Any], name: str, issues: list[Issue]) -> Forum | None:
    def need(f: str, hint: str) -> str:
        value = str(raw.get(f) or "").strip()
        if not value:
            issues.append(Issue(name, None, f"forum.{f}", IssueCode.MISSING_REQUIRED_VALUE,
                                None, f"The forum has no {f}.", hint))
        return value

    fid = need("id", "Give the forum a short id such as apfsd9.")
    if fid and not _ID.match(fid):
        issues.append(Issue(name, None, "forum.id", IssueCode.MALFORMED_ROW, fid,
                            "A forum id is lower-case letters, digits, '-', '_' or '.'.",
                            "Write it like apfsd9."))
    title = need("title_en", "Give the report's title in English.")
    lang = need("published_language", "Say which language the text is published in: zh, "
                "en or ru.")
    if lang and lang not in LANGS:
        issues.append(Issue(name, None, "forum.published_language", IssueCode.MALFORMED_ROW,
                            lang, "Unknown language.", "Use zh, en or ru."))
    source = need("source", "Name the document: its title, symbol and date.")
    translations = raw.get("translations") or {}
    if not isinstance(translations, dict):
        issues.append(Issue(name, None, "forum.translations", IssueCode.MALFORMED_ROW,
                            str(translations), "translations must map a language to who "
                            "translated it.", "Write it as {en: translation by sdgtrack}."))
        translations = {}
    if issues:
        return None
    return Forum(id=fid, title_en=title, published_language=lang, source=source,
                 title_zh=str(raw.get("title_zh") or ""), title_ru=str(raw.get("title_ru") or ""),
                 held=str(raw.get("held") or ""), licence=str(raw.get("licence") or ""),
                 translations={str(k): str(v) for k, v in translations.items()})


def _record(row: Any, forum: str, name: str, line: int | None, issues: list[Issue]
            ) -> Record | None:
    before = len(issues)

    def bad(field: str, value: Any, message: str, hint: str,
            code: IssueCode = IssueCode.MALFORMED_ROW) -> None:
        issues.append(Issue(name, line, field, code, None if value is None else str(value),
                            message, hint))

    if not isinstance(row, dict):
        bad("records", row, "A record must be a mapping of fields.", "See records/SCHEMA.md.")
        return None
    unknown = sorted(set(row) - set(RECORD_FIELDS))
    if unknown:
        bad(unknown[0], None, f"Unknown field(s): {', '.join(unknown)}.",
            "Use the field names of records/SCHEMA.md.", IssueCode.UNKNOWN_COLUMN)
    rid, kind = _id_and_kind(row, bad)
    paragraph = _paragraph(row.get("paragraph"), kind, bad)
    goals = _goals(row.get("goals"), kind, bad)
    indicators = tuple(str(i).strip() for i in (row.get("indicators") or []))
    for i in indicators:
        if i not in framework.known_indicators():
            bad("indicators", i, f"{i!r} is not an SDG indicator.",
                "Write an indicator of the global framework, like 13.2.2.",
                IssueCode.UNKNOWN_INDICATOR)
    date = str(row.get("date") or "").strip()
    if date and not _DATE.match(date):
        bad("date", date, "A date is written YYYY-MM-DD.", "Write it like 2021-03-24.")
    texts = _texts(row, bad)
    if len(issues) > before:
        return None
    return Record(forum=forum, id=rid, kind=kind, part=str(row.get("part") or ""),
                  paragraph=paragraph, item=str(row.get("item") or ""),
                  agenda_item=str(row.get("agenda_item") or ""), date=date, goals=goals,
                  indicators=indicators, **texts)


def _id_and_kind(row: dict[str, Any], bad: Any) -> tuple[str, str]:
    rid = str(row.get("id") or "").strip()
    if not _ID.match(rid):
        bad("id", rid or None, "Every record needs an id of lower-case letters, digits, "
            "'-', '_' or '.'.", "Write it like annex-52 or side-event-3.",
            IssueCode.MISSING_REQUIRED_VALUE if not rid else IssueCode.MALFORMED_ROW)
    kind = str(row.get("kind") or "").strip()
    if kind not in KINDS:
        bad("kind", kind or None, f"Unknown kind {kind!r}.", f"Use one of {', '.join(KINDS)}.")
    return rid, kind


def _texts(row: dict[str, Any], bad: Any) -> dict[str, str]:
    texts = {f: str(row.get(f) or "").strip() for f in RECORD_FIELDS
             if f.startswith(("title_", "text_"))}
    if not any(texts.values()):
        bad("text_en", None, "The record has no text and no title.",
            "Give text_<lang> (a paragraph) or title_<lang> (a side event) in at least one "
            "language.", IssueCode.MISSING_REQUIRED_VALUE)
    return texts


def _paragraph(value: Any, kind: str, bad: Any) -> int | None:
    if value in (None, ""):
        if kind in ("roundtable", "vnr_panel"):
            bad("paragraph", None, f"A {kind} record needs the report's paragraph number.",
                "Give paragraph: the number the report prints (e.g. 52).",
                IssueCode.MISSING_REQUIRED_VALUE)
        return None
    try:
        number = int(str(value))
    except ValueError:
        bad("paragraph", value, "A paragraph number is a whole number.", "Write it like 52.")
        return None
    if number < 1:
        bad("paragraph", value, "Paragraph numbers start at 1.", "Write it like 52.")
    return number


def _goals(value: Any, kind: str, bad: Any) -> tuple[int, ...]:
    goals: list[int] = []
    for g in value or []:
        try:
            number = int(str(g))
        except ValueError:
            number = 0
        if not 1 <= number <= 17:
            bad("goals", g, f"{g!r} is not a goal.", "Goals are numbered 1 to 17.")
        goals.append(number)
    if kind == "roundtable" and not goals:
        bad("goals", None, "A roundtable record needs the goal it discussed.",
            "Give goals: [13].", IssueCode.MISSING_REQUIRED_VALUE)
    return tuple(goals)
