"""Survey microdata: reading CSV, Parquet, Stata or SPSS records (DHS, MICS) under a
``SurveySpec`` (the outcome as a 0/1 column or a column and a rule such as ``zscore < -2``,
whether it is a barrier, the circumstances, the weight), with every bad row reported.
``read_survey`` returns one row per usable record: the circumstances (categorical),
``outcome`` (1 when the outcome as declared holds) and ``weight``."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sdgtrack.errors import DataError, Issue, IssueCode, UnknownFormatError, UsageError
from sdgtrack.lnob.tree import OUTCOME, WEIGHT

#: A circumstance with more categories than this is probably continuous: bin it first.
MAX_CATEGORIES = 60
#: Column names of the prepared records and of the cells, which no circumstance may take.
RESERVED = frozenset({OUTCOME, WEIGHT, "n", "wy", "wy2", "rate", "access"})
_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "<=": operator.le, ">=": operator.ge, "==": operator.eq, "!=": operator.ne,
    "<": operator.lt, ">": operator.gt}
_EXPRESSION = re.compile(r"^\s*(.+?)\s*(<=|>=|==|!=|<|>)\s*(.+?)\s*$")


_RULE = re.compile(r"^\s*(<=|>=|==|!=|<|>)\s*(\S.*?)\s*$")


def _parse_rule(rule: str) -> tuple[str, float | str]:
    """``"< -2"`` -> ``("<", -2.0)``; ``"== 'yes'"`` -> ``("==", "yes")``."""
    m = _RULE.match(rule)
    if m is None:
        raise UsageError(f"Outcome rule {rule!r} is not '<op> <value>' with <op> one of "
                         f"{', '.join(_OPS)}, e.g. '< -2'.")
    try:
        return m.group(1), float(m.group(2))
    except ValueError:
        return m.group(1), m.group(2).strip("'\"")


@dataclass(frozen=True)
class SurveySpec:
    """What to read from a microdata file.

    ``outcome`` is a column; with ``rule`` None it must hold 0/1 (or True/False), otherwise
    the outcome is ``outcome <rule>``, e.g. ``rule="< -2"`` on a height-for-age z-score for
    stunting. ``barrier`` marks an outcome nobody should have (stunting, child marriage): its
    D-index and HOI are computed on the non-barrier complement 1 − y (METHODS §3.1).
    ``weight`` None gives every record weight 1.

    >>> s = SurveySpec.from_text("zscore < -2", "quintile, rural", "weight", barrier=True)
    >>> s.outcome, s.rule, s.circumstances, s.label
    ('zscore', '< -2', ('quintile', 'rural'), 'zscore < -2')
    """

    outcome: str
    circumstances: tuple[str, ...]
    rule: str | None = None
    barrier: bool = False
    weight: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "circumstances", tuple(self.circumstances))
        if not self.circumstances:
            raise UsageError("Declare at least one circumstance (e.g. wealth quintile).")
        if len(set(self.circumstances)) < len(self.circumstances):
            raise UsageError(f"A circumstance is listed twice: {list(self.circumstances)}")
        clash = ({self.outcome, self.weight or OUTCOME} | RESERVED) & set(self.circumstances)
        if clash:
            raise UsageError(f"{sorted(clash)} cannot be a circumstance: it is the outcome, the "
                             f"weight or a reserved name ({', '.join(sorted(RESERVED))}); "
                             "rename the column.")
        if self.rule is not None:
            _parse_rule(self.rule)

    @classmethod
    def from_text(cls, outcome: str, circumstances: str | Sequence[str],
                  weight: str | None = None, barrier: bool = False) -> SurveySpec:
        """A spec from command-line text: ``outcome`` a column or ``"column <op> value"``,
        ``circumstances`` a comma-separated list or a sequence."""
        if isinstance(circumstances, str):
            circumstances = [c.strip() for c in circumstances.split(",") if c.strip()]
        m = _EXPRESSION.match(outcome)
        column, rule = (m.group(1), f"{m.group(2)} {m.group(3)}") if m else (outcome.strip(), None)
        return cls(column, tuple(circumstances), rule, barrier, weight)

    @property
    def label(self) -> str:
        """The outcome as declared, e.g. ``zscore < -2``."""
        return f"{self.outcome} {self.rule}" if self.rule else self.outcome

    def columns(self) -> list[str]:
        return [self.outcome, *self.circumstances, *([self.weight] if self.weight else [])]

    def labelled(self) -> set[str]:
        """Columns read through their value labels (Stata, SPSS): the circumstances, and the
        outcome when its rule compares it with text."""
        text_rule = self.rule is not None and isinstance(_parse_rule(self.rule)[1], str)
        return set(self.circumstances) | ({self.outcome} if text_rule else set())


# ---- readers ---------------------------------------------------------------------------------

def _spss() -> Any:
    try:
        import pyreadstat  # type: ignore[import-not-found, import-untyped, unused-ignore]
    except ImportError:
        raise UsageError("Reading SPSS .sav files needs pyreadstat: pip install pyreadstat "
                         "(or save the file as .dta, .csv or .parquet).") from None
    return pyreadstat


def _parquet_columns(path: Path) -> list[str]:
    import pyarrow.parquet as pq

    return list(pq.read_schema(path).names)


def _stata_columns(path: Path) -> list[str]:
    with pd.read_stata(path, iterator=True) as reader:
        return list(reader.variable_labels())


def _spss_columns(path: Path) -> list[str]:
    return list(_spss().read_sav(path, metadataonly=True)[1].column_names)


def _read_csv(path: Path, columns: list[str], spec: SurveySpec) -> pd.DataFrame:
    # circumstances as text, so that a code column with a gap stays "1", not "1.0"
    kinds = dict.fromkeys(spec.circumstances, "string")
    return pd.read_csv(path, usecols=columns, dtype=kinds)[columns]


def _read_parquet(path: Path, columns: list[str], spec: SurveySpec) -> pd.DataFrame:
    return pd.read_parquet(path, columns=columns)


def _labelled(read: Callable[..., pd.DataFrame], path: Path, columns: list[str],
              spec: SurveySpec) -> pd.DataFrame:
    """Stata and SPSS: value labels for circumstances, raw codes for a numeric outcome and the
    weight (a labelled z-score would otherwise come back as categories)."""
    labelled = spec.labelled()
    parts = [read(path, cols, convert)
             for cols, convert in (([c for c in columns if c in labelled], True),
                                   ([c for c in columns if c not in labelled], False)) if cols]
    return pd.concat(parts, axis=1)[columns]


def _read_stata(path: Path, columns: list[str], spec: SurveySpec) -> pd.DataFrame:
    return _labelled(lambda p, c, conv: pd.read_stata(p, columns=c, convert_categoricals=conv),
                     path, columns, spec)


def _read_spss(path: Path, columns: list[str], spec: SurveySpec) -> pd.DataFrame:
    _spss()
    # ordered categories keep the value labels' order (pyreadstat sorts them otherwise)
    return _labelled(lambda p, c, conv: pd.read_spss(
        p, usecols=c, convert_categoricals=conv, formats_as_ordered_category=conv),
        path, columns, spec)


@dataclass(frozen=True)
class Reader:
    """One microdata format: the file suffixes it handles, how to list the columns, how to
    read some of them, and the number of the first record (a CSV's header is line 1)."""

    name: str
    suffixes: tuple[str, ...]
    columns: Callable[[Path], list[str]]
    read: Callable[[Path, list[str], SurveySpec], pd.DataFrame]
    first_row: int = 1

    def handles(self, path: Path) -> bool:
        return path.name.lower().endswith(self.suffixes)


READERS = (
    Reader("CSV", (".csv", ".csv.gz"),
           lambda p: list(pd.read_csv(p, nrows=0).columns), _read_csv, first_row=2),
    Reader("Parquet", (".parquet", ".pq"), _parquet_columns, _read_parquet),
    Reader("Stata", (".dta",), _stata_columns, _read_stata),
    Reader("SPSS", (".sav", ".zsav"), _spss_columns, _read_spss),
)


def _reader_for(path: Path) -> Reader:
    for reader in READERS:
        if reader.handles(path):
            return reader
    tried = "; ".join(f"{r.name} ({', '.join(r.suffixes)})" for r in READERS)
    raise UnknownFormatError(f"{path}: no survey reader handles this file. Tried: {tried}. "
                             "Save the microdata in one of these formats.")


def read_survey(path: str | Path, spec: SurveySpec) -> pd.DataFrame:
    """The usable records of a microdata file, as :func:`prepare_survey` returns them.

    Raises ``DataError`` naming the file, the column and the fix when a declared column is
    missing, a weight is negative or not a number, or an outcome value does not fit its rule.
    """
    path = Path(path)
    reader = _reader_for(path)
    if not path.is_file():
        raise DataError(f"{path}: file not found. Check the path.", [Issue(
            str(path), None, None, IssueCode.FILE_NOT_FOUND, None, "file not found",
            "Check the path.")])
    try:
        present = reader.columns(path)
        _check_columns(str(path), present, spec)
        raw = reader.read(path, list(dict.fromkeys(spec.columns())), spec)
    except (OSError, ValueError, UnicodeDecodeError) as e:
        raise DataError(f"{path}: cannot be read as {reader.name} ({e}). Check that the file "
                        f"is a complete {reader.name} file.") from e
    return prepare_survey(raw.reset_index(drop=True), spec, str(path), reader.first_row)


def _check_columns(source: str, present: Sequence[str], spec: SurveySpec) -> None:
    roles = {spec.outcome: "outcome", **dict.fromkeys(spec.circumstances, "circumstance"),
             **({spec.weight: "weight"} if spec.weight else {})}
    missing = [c for c in roles if c not in present]
    if not missing:
        return
    issues = [Issue(source, None, c, IssueCode.MISSING_COLUMN, None,
                    f"{roles[c]} column {c!r} not found", "Fix the column name.")
              for c in missing]
    named = ", ".join(f"{roles[c]} {c!r}" for c in missing)
    raise DataError(f"{source}: column not found: {named}. Columns present: "
                    f"{', '.join(map(str, present))}. Fix the name in the survey spec "
                    "(--outcome / --circumstances / --weight).", issues)


def _bad_rows(source: str, column: str, values: pd.Series, bad: np.ndarray, first_row: int,
              code: IssueCode, what: str, hint: str) -> DataError:
    """A DataError with one Issue per bad value; the message shows the first five."""
    at = np.flatnonzero(bad)
    issues = [Issue(source, int(i) + first_row, column, code, str(values.iloc[i]), what, hint)
              for i in at]
    shown = "; ".join(f"row {i.row}: {i.value}" for i in issues[:5])
    more = f"; and {len(issues) - 5} more" if len(issues) > 5 else ""
    return DataError(f"{source}, column {column!r}: {len(issues)} {what} ({shown}{more}). "
                     f"{hint}", issues)


def _numbers(values: pd.Series, column: str, source: str, first_row: int) -> pd.Series:
    if pd.api.types.is_bool_dtype(values):
        return values.astype("float64")
    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    bad = (values.notna() & numbers.isna()).to_numpy()
    if bad.any():
        raise _bad_rows(source, column, values, bad, first_row, IssueCode.NON_NUMERIC_VALUE,
                        "value(s) not a number", "Leave the cell empty for a missing value.")
    return numbers


def _weights(raw: pd.DataFrame, spec: SurveySpec, source: str, first_row: int) -> pd.Series:
    if spec.weight is None:
        return pd.Series(1.0, index=raw.index)
    w = _numbers(raw[spec.weight], spec.weight, source, first_row)
    negative = (w < 0).to_numpy()
    if negative.any():
        raise _bad_rows(source, spec.weight, raw[spec.weight], negative, first_row,
                        IssueCode.INVALID_NUMBER, "negative weight(s)",
                        "Survey weights must be 0 or more: fix the weights or drop the rows.")
    return w


def _outcome(raw: pd.DataFrame, spec: SurveySpec, source: str, first_row: int) -> pd.Series:
    """1.0 where the outcome as declared holds, 0.0 where not, NaN where missing."""
    values = raw[spec.outcome]
    if spec.rule is None:
        y = _numbers(values, spec.outcome, source, first_row)
        bad = (y.notna() & ~y.isin([0.0, 1.0])).to_numpy()
        if bad.any():
            raise _bad_rows(source, spec.outcome, values, bad, first_row,
                            IssueCode.INVALID_NUMBER, "value(s) neither 0 nor 1",
                            "Declare a rule for the outcome, e.g. 'zscore < -2' or 'hv201 == 11'.")
        return y
    op, target = _parse_rule(spec.rule)
    if isinstance(target, str):
        if op not in ("==", "!="):
            raise UsageError(f"Outcome rule {spec.rule!r} compares text; use == or !=.")
        x: pd.Series = values.astype("string").str.strip()
    else:
        x = _numbers(values, spec.outcome, source, first_row)
    return _OPS[op](x, target).astype("float64").where(x.notna())


def _labels(values: pd.Series) -> pd.Series:
    """A circumstance as text labels ("1", not "1.0"); blanks are missing."""
    if pd.api.types.is_float_dtype(values) and (values.dropna() % 1 == 0).all():
        values = values.astype("Int64")
    labels = values.astype("string").str.strip()
    return labels.mask(labels == "")


def _natural(label: str) -> tuple[int, float, str]:
    try:
        return (0, float(label), label)
    except ValueError:
        return (1, 0.0, label)


def _order(raw: pd.Series, labels: pd.Series) -> list[str]:
    """The categories present, in the order of the value labels (Stata, SPSS: poorest before
    middle) or else in natural order (2 before 10)."""
    present = set(labels.unique())
    if isinstance(raw.dtype, pd.CategoricalDtype):
        order = [str(c).strip() for c in raw.cat.categories]
        return [c for c in order if c in present] + sorted(present - set(order), key=_natural)
    return sorted(present, key=_natural)


def prepare_survey(raw: pd.DataFrame, spec: SurveySpec, source: str = "table",
                   first_row: int = 1) -> pd.DataFrame:
    """The usable records of a raw microdata table: the circumstances as categories,
    ``outcome`` (1.0 when the outcome as declared holds) and ``weight``. Records missing the
    outcome, a circumstance or the weight are dropped; ``attrs["dropped_rows"]`` counts them and
    ``attrs["dropped_by_column"]`` says why (a record can miss several)."""
    _check_columns(source, list(raw.columns), spec)
    weight = _weights(raw, spec, source, first_row)
    columns = {c: _labels(raw[c]) for c in spec.circumstances}
    columns |= {OUTCOME: _outcome(raw, spec, source, first_row), WEIGHT: weight}
    missing = {c: v.isna().to_numpy() for c, v in columns.items()}
    drop = np.logical_or.reduce(list(missing.values()))
    frame = pd.DataFrame({c: v[~drop] for c, v in columns.items()})
    if frame.empty or frame[WEIGHT].sum() <= 0:
        raise DataError(f"{source}: no record has the outcome, every circumstance and a "
                        "positive weight. Check the column names and missing-value codes.")
    for c in spec.circumstances:
        cats = _order(raw[c], frame[c])
        if len(cats) > MAX_CATEGORIES:
            raise DataError(f"{source}, column {c!r}: {len(cats)} categories; a circumstance "
                            f"has at most {MAX_CATEGORIES}. Group its values first.")
        frame[c] = pd.Categorical(frame[c], categories=cats)
    names = {OUTCOME: spec.outcome, WEIGHT: spec.weight or WEIGHT}
    frame.attrs.update(source=source, outcome=spec.label, dropped_rows=int(drop.sum()),
                       dropped_by_column={names.get(c, c): int(m.sum())
                                          for c, m in missing.items() if m.any()})
    return frame


# ---- measures --------------------------------------------------------------------------------
