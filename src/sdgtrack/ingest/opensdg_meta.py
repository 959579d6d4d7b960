"""National metadata of an Open SDG repository, read beside its data (issue 14, part 4).

Three forms, all per indicator file (``3-2-1``, ``1-3-1-a``, ``16-3-2-1``):

- ``meta/<id>.yml``: Open SDG metadata keys (``indicator_definition``, ``source_data_1``
  ...); a value such as ``sources.3-2-1-source_data_1`` is a key of the repository's
  ``translations/<lang>/sources.yml``, looked up in each language it has;
- ``meta/<id>.md`` and ``indicator_settings/<id>.md``: YAML front matter, and the page
  content (markdown) after it;
- ``meta/<id>.xlsx``, ``meta/<lang>/<id>.xlsx``: a workbook whose first column holds the
  row labels that ``metadata-mapping.csv`` maps to metadata keys (Kyrgyzstan's
  "Определение" -> ``definitions``); the workbooks at the top of ``meta/`` are in the
  repository's first language (``languages:`` of its config), the others in their folder's.

Each value is one row (indicator, lang, field, label, value, source_file); ``lang`` is empty
for text as published in a file that says no language. A file that cannot be read is a
``malformed_metadata`` warning naming the file, row or field and the fix: metadata never
stop the data from loading.
"""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import yaml

from sdgtrack.errors import DataError, Issue, IssueCode
from sdgtrack.ingest.base import strings

METADATA_COLUMNS = ("indicator", "lang", "field", "label", "value", "source_file")
#: ``3-2-1``, ``1-3-1-a``, ``16-3-2-1`` (the name of a metadata file without its suffix)
ID = re.compile(r"^(\d{1,2})-([0-9a-z]{1,2})-(\d{1,2}(?:-[0-9a-z]{1,2})*)$", re.IGNORECASE)
#: ``sources.3-2-1-source_data_1``: a key of translations/<lang>/sources.yml
TRANSLATION_KEY = re.compile(r"^([A-Za-z_]+)\.([\w\-]+)$")
#: Keys that configure the page or the chart, not describe the indicator.
NOT_METADATA = re.compile(
    r"^(source_active_\d+|data_non_statistical|data_show_map|graph_\w+|indicator_name|"
    r"indicator_sort_order|page_content|tags|layout|permalink|language|indicator|"
    r"indicator_number|target_id|sdg_goal|goal_meta_link_text|source_organisation_logo_\d+|"
    r"availability|classification|embedded_\w+|data_footnote|computation_units|"
    r"national_indicator_available|reporting_status|published|.*_display)$")
MAX_VALUE = 64 * 1024  # characters of one value; more is cut, and said
MAX_FILE = 4 * 1024 * 1024  # bytes of one YAML or markdown file


def metadata_files(root: Path) -> list[Path]:
    """The files ``read`` reads (their bytes go into the load's checksum), the translations
    that metadata look their text up in among them."""
    out: list[Path] = []
    if (root / "translations").is_dir():
        out += [p for p in (root / "translations").glob("*/*.yml") if p.is_file()]
    for folder in (root / "meta", root / "indicator_settings"):
        if folder.is_dir():
            out += [p for p in folder.rglob("*") if p.is_file()
                    and p.suffix.lower() in (".yml", ".yaml", ".md", ".xlsx")]
    mapping = root / "metadata-mapping.csv"
    return sorted(out + ([mapping] if mapping.is_file() else []))


def indicator_of(stem: str) -> str | None:
    """``16-3-2-1`` -> ``16.3.2.1``; None for a name that is no indicator.

    >>> indicator_of("1-3-1-a"), indicator_of("3-2-1"), indicator_of("notes")
    ('1.3.1.a', '3.2.1', None)
    """
    stem = stem.replace(".", "-")  # Kyrgyzstan names a few files 9.4.1
    return stem.replace("-", ".") if ID.match(stem) else None


def read(root: Path, issues: list[Issue]) -> pa.Table:
    """Every metadata value of the repository at ``root``, as rows of ``METADATA_COLUMNS``."""
    langs = _languages(root)
    tr = {lang: _translations(root, lang) for lang in langs}
    rows: list[tuple[str, str, str, str, str, str]] = []
    for path in metadata_files(root):
        name = path.relative_to(root).as_posix()
        if path.name == "metadata-mapping.csv" or name.startswith("translations/"):
            continue
        indicator = indicator_of(path.stem)
        if indicator is None:
            issues.append(_issue(name, None, None, path.name,
                                 "The name of this metadata file is not an indicator "
                                 "(such as 3-2-1); it was not read.",
                                 "Name it after its indicator: meta/<g>-<t>-<i>.yml."))
            continue
        try:
            if path.suffix.lower() == ".xlsx":
                found = _workbook(path, name, _mapping(root, issues), issues)
                lang = _folder_lang(path, root) or (langs[0] if _config_langs(root) else "")
                rows += [(indicator, lang, f, label, v, name) for f, label, v in found]
            else:
                found_yaml = _front_matter(path, name, issues)
                rows += _resolved(indicator, found_yaml, tr, _folder_lang(path, root), name)
        except DataError as exc:  # a refused workbook (a bomb): said, and skipped
            issues += exc.issues
    return strings(_cut(rows, issues), METADATA_COLUMNS)


def _issue(file: str, row: int | None, column: str | None, value: str | None, message: str,
           hint: str) -> Issue:
    return Issue(file, row, column, IssueCode.MALFORMED_METADATA, value, message, hint)


def _config_langs(root: Path) -> list[str]:
    """``languages:`` of the repository's Open SDG config, when it has one."""
    for config in sorted(root.glob("*config*.yml")):
        try:
            content = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        langs = content.get("languages") if isinstance(content, dict) else None
        if isinstance(langs, list) and all(isinstance(x, str) for x in langs):
            return list(langs)
    return []


def _languages(root: Path) -> list[str]:
    """The config's languages, else those of ``translations/``."""
    folder = root / "translations"
    found = sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    return _config_langs(root) or found


def _folder_lang(path: Path, root: Path) -> str:
    """``meta/en/1-1-1.xlsx`` -> ``en``; a file at the top of its folder -> ``""``."""
    parts = path.relative_to(root).parts
    return parts[1] if len(parts) == 3 and re.fullmatch(r"[a-z]{2}(-[A-Za-z]+)?", parts[1]) \
        else ""


def _translations(root: Path, lang: str) -> dict[str, dict[str, str]]:
    """``translations/<lang>/<file>.yml`` -> {file: {key: text}} (broken files skipped: the
    data reader reads the code lists among them)."""
    folder = root / "translations" / lang
    out: dict[str, dict[str, str]] = {}
    if folder.is_dir():
        for f in sorted(folder.glob("*.yml")):
            try:
                content = yaml.safe_load(f.read_text(encoding="utf-8")) or {}
            except (OSError, UnicodeDecodeError, yaml.YAMLError):
                continue
            if isinstance(content, dict):
                out[f.stem] = {str(k): _text(v) for k, v in content.items()}
    return out


def _text(value: Any) -> str:
    """A YAML value as text: a list one item a line; ``None`` empty."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(_text(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def _front_matter(path: Path, name: str, issues: list[Issue]) -> dict[str, str]:
    """The keys of a YAML file, or of a markdown file's front matter (with its body as
    ``page_content``); a file that cannot be parsed gives nothing and one issue."""
    text = _read_text(path, name, issues)
    if text is None:
        return {}
    body, offset = "", 0
    if path.suffix.lower() == ".md":
        m = re.match(r"^---[ \t]*\r?\n(.*?)^---[ \t]*\r?$\n?(.*)\Z", text, re.S | re.M)
        if m is None:
            issues.append(_issue(name, 1, None, None,
                                 "This markdown file has no YAML front matter (a block "
                                 "between two '---' lines at its top); it was not read.",
                                 "Begin the file with ---, the metadata keys, and ---."))
            return {}
        text, body, offset = m[1], m[2], 1
    try:
        content = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 + offset if mark is not None else None
        issues.append(_issue(name, row, None, None,
                             f"This metadata file is not valid YAML ({_problem(exc)}); "
                             "none of its values were read.",
                             "Fix the line named: each line is 'key: value', and a value "
                             "holding ': ' or starting with a quote is put in quotes."))
        return {}
    if content is None:
        content = {}
    if not isinstance(content, dict):
        issues.append(_issue(name, 1 + offset, None, None,
                             "This metadata file holds a "
                             f"{type(content).__name__}, not 'key: value' lines; it was "
                             "not read.", "Write one 'key: value' line per metadata field."))
        return {}
    out = {}
    for key, value in content.items():
        if isinstance(value, dict):
            issues.append(_issue(name, None, str(key), None,
                                 f"The field {key!r} holds a mapping, not text; it was "
                                 "left out.", f"Give {key} one text value."))
            continue
        out[str(key)] = _text(value)
    if body.strip():
        out["page_content"] = body.strip()
    return out


def _read_text(path: Path, name: str, issues: list[Issue]) -> str | None:
    if path.stat().st_size > MAX_FILE:
        issues.append(_issue(name, None, None, None,
                             f"This metadata file is over {MAX_FILE // 2**20} MiB; it was "
                             "not read.", "Keep one indicator's metadata in the file."))
        return None
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        issues.append(_issue(name, None, None, None,
                             f"This metadata file is not UTF-8 text ({exc.reason} at byte "
                             f"{exc.start}); it was not read.", "Save it as UTF-8."))
        return None


def _problem(exc: yaml.YAMLError) -> str:
    return str(getattr(exc, "problem", None) or exc).strip()


def _resolved(indicator: str, found: dict[str, str], tr: dict[str, dict[str, dict[str, str]]],
              lang: str, name: str) -> list[tuple[str, str, str, str, str, str]]:
    """Rows of a YAML file's keys: a translation key gives a row per language that has
    text for it (a key with none is left out: it is a placeholder); other text is one row
    as published. The label is the repository's ``metadata_fields`` translation, if any."""
    rows = []
    for key, value in found.items():
        if not value or (NOT_METADATA.match(key) and key != "page_content"):
            continue
        if key == "goal_meta_link" and found.get("goal_meta_link_text"):
            value = f"[{found['goal_meta_link_text']}]({value.strip()})"
        m = TRANSLATION_KEY.match(value)
        looked = {lg: t.get(m[1], {}).get(m[2], "") for lg, t in tr.items()} if m else {}
        if m and any(t.get(m[1]) is not None for t in tr.values()):
            rows += [(indicator, lg, key, _label(tr, lg, key), text, name)
                     for lg, text in looked.items() if text]
        elif not m or "/" in value:
            rows.append((indicator, lang, key, _label(tr, lang, key), value, name))
    return rows


def _label(tr: dict[str, dict[str, dict[str, str]]], lang: str, key: str) -> str:
    return tr.get(lang, {}).get("metadata_fields", {}).get(key, "")


def _mapping(root: Path, issues: list[Issue]) -> dict[str, str]:
    """``metadata-mapping.csv``: row label -> metadata key (read once per call of ``read``;
    a row that is not 'label,key' is said once and skipped)."""
    path = root / "metadata-mapping.csv"
    if not path.is_file():
        return {}
    out: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        issues.append(_issue("metadata-mapping.csv", None, None, None,
                             "The metadata mapping is not UTF-8 text; it was not read.",
                             "Save it as UTF-8: one 'row label,metadata key' per line."))
        return {}
    for n, row in enumerate(csv.reader(text.splitlines()), start=1):
        if len(row) != 2 or not row[0].strip() or not re.fullmatch(r"[A-Za-z_][\w]*",
                                                                     row[1].strip()):
            if any(c.strip() for c in row):
                issues.append(_issue("metadata-mapping.csv", n, None, ",".join(row)[:200],
                                     "This row of the metadata mapping is not 'row label,"
                                     "metadata key'; it was left out.",
                                     "Write the workbook's row label, a comma, and a key "
                                     "such as definitions (letters, digits, _)."))
            continue
        out[_norm(row[0])] = row[1].strip()
    return out


def _norm(label: str) -> str:
    return re.sub(r"\s+", " ", label).strip().rstrip(":").strip().casefold()


def _workbook(path: Path, name: str, mapping: dict[str, str], issues: list[Issue]
              ) -> list[tuple[str, str, str]]:
    """(field, label, value) of a metadata workbook: the first sheet's first column the
    row label, the next cell its value; a row with a label and no value is a heading."""
    import openpyxl

    from sdgtrack.ingest import limits

    try:
        limits.check_zip(path, name)
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        issues.append(_issue(name, None, None, None,
                             f"This metadata workbook cannot be opened ({exc}); it was not "
                             "read.", "Save it again as an .xlsx workbook."))
        return []
    out = []
    try:
        sheet = wb.worksheets[0]
        for n, row in enumerate(sheet.iter_rows(max_col=2, values_only=True), start=1):
            label = _text(row[0]) if row else ""
            value = _text(row[1]) if len(row) > 1 else ""
            if not label or not value:
                continue
            field = mapping.get(_norm(label))
            if field is None:
                field = "row_" + str(n)
                issues.append(_issue(name, n, "A", label[:200],
                                     f"The row label {label[:80]!r} is not in "
                                     "metadata-mapping.csv; its value is kept under the "
                                     "label as published.",
                                     "Add the label and its metadata key to "
                                     "metadata-mapping.csv."))
            out.append((field, label.rstrip(":").strip(), value))
    finally:
        wb.close()
    return out


def _cut(rows: list[tuple[str, str, str, str, str, str]], issues: list[Issue]
         ) -> list[tuple[str, str, str, str, str, str]]:
    """Values over ``MAX_VALUE`` characters cut there, each said; one row per indicator,
    language and field (the first file read gives it)."""
    out, seen = [], set()
    for r in rows:
        key = r[:3]
        if key in seen:
            continue
        seen.add(key)
        if len(r[4]) > MAX_VALUE:
            issues.append(_issue(r[5], None, r[2], None,
                                 f"The value of {r[2]!r} is {len(r[4]):,} characters; the "
                                 f"first {MAX_VALUE:,} are kept.",
                                 "Keep the metadata text short, and link to a document "
                                 "for the rest."))
            r = (*r[:4], r[4][:MAX_VALUE], r[5])
        out.append(r)
    return out
