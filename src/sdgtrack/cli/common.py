"""What every command shares: the consoles, the options, the choices, the store, the one
error handler. Imports stay light (no pandas, DuckDB or Ibis) so ``sdgtrack --help`` is quick;
each command imports what it needs when it runs."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console

if TYPE_CHECKING:
    from sdgtrack.store import Store

out = Console()
# soft wrap: a message stays one line, so a log or a grep finds it whole
err = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[str | None, typer.Option(
    "--db", metavar="FILE|URL", help="Store file, or postgresql://... URL. Default: "
    "$SDGTRACK_DB, then the per-user data directory.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
OutOption = Annotated[Path | None, typer.Option("--out", help="Write here, not stdout.")]
#: The unit a command is about: exactly one of a group, a country or a group of your own.
AreaOption = Annotated[str | None, typer.Option(help="Country: M49 or ISO3 code.")]
MembersOption = Annotated[str | None, typer.Option(
    help="A group of your own: comma-separated M49 or ISO3 codes.")]


class TableFormat(enum.StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


#: ``--format table|csv|json``.
FormatOption = Annotated[TableFormat, typer.Option("--format")]


class Lang(enum.StrEnum):
    EN = "en"
    ZH = "zh"
    RU = "ru"


def db_path(db: str | Path | None) -> Path | str:
    """The store: ``--db``, else ``$SDGTRACK_DB``, else the per-user data directory; a file
    as a ``Path``, a PostgreSQL URL as text."""
    from sdgtrack import settings
    from sdgtrack.store.backend import is_url

    if db is None:
        return settings.default_db_path()
    return db if isinstance(db, str) and is_url(db) else Path(db)


def store_exists(db: str | Path | None) -> bool:
    from sdgtrack.store.backend import exists

    return exists(db_path(db))


def open_store(db: str | Path | None, *, read_only: bool = False) -> Store:
    """The store, for writing (waiting for another writer) or for reading (its latest
    snapshot: never waits). A reader of a store that does not exist yet makes it empty."""
    from sdgtrack.store import Store

    path = db_path(db)
    if read_only and not store_exists(db):
        Store(path).close()
    return Store(path, read_only=read_only)


def open_or_server(db: str | Path | None) -> Store | tuple[str, str]:
    """The store for writing, or, while a server with accounts holds it and
    ``SDGTRACK_TOKEN`` is set, that server's address and the token, for the write to go
    through it (``cli/remote.py``). Without a token, the refusal that says how."""
    import os

    from sdgtrack.errors import HeldByServer

    try:
        return open_store(db)
    except HeldByServer as exc:
        token = os.environ.get("SDGTRACK_TOKEN")
        if not (token and exc.url):
            raise
        return exc.url, token


def note_if_empty(store: Any) -> None:
    """Say so when no load is current. Read commands never load data (a rolled-back only
    load must stay rolled back); ``sdgtrack review`` loads the bundled extract."""
    if store.current_load_count() == 0:
        err.print("The store holds no data (no load is current): the results are empty. Load "
                  "the bundled UN SDG extract with `sdgtrack review`, or your own files with "
                  "`sdgtrack ingest PATH`.")


def fail(exc: Exception) -> NoReturn:
    """Print a refusal (an ``SdgtrackError``) and end the command with its exit code."""
    err.print(f"[red]error:[/red] {exc}", markup=True, highlight=False)
    raise typer.Exit(getattr(exc, "exit_code", 1)) from None


def usage(message: str) -> NoReturn:
    """A wrong combination of options: exit 2, as Click does for a wrong option."""
    err.print(message, highlight=False)
    raise typer.Exit(2)


class Group(typer.core.TyperGroup):
    """The one error handler: any command's ``SdgtrackError`` is printed as a refusal, no
    traceback, and exits with the error's code (1 data, 2 usage)."""

    def invoke(self, ctx: Any) -> Any:
        from sdgtrack.errors import SdgtrackError

        try:
            return super().invoke(ctx)
        except SdgtrackError as exc:
            fail(exc)


def group(help_: str) -> typer.Typer:
    # markdown: a docstring's lines are joined, not kept as typed
    return typer.Typer(help=help_, no_args_is_help=True, add_completion=False,
                       rich_markup_mode="markdown",
                       pretty_exceptions_enable=False, cls=Group)
