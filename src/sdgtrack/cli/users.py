"""``sdgtrack users`` (accounts and API tokens), ``sdgtrack history`` (who changed a series and
area, and the values each load replaced) and ``sdgtrack rollback``. Thin: parse, call
``sdgtrack.auth`` or the store, render. These commands open the store for writing, so they
wait for a running ``sdgtrack serve`` to stop; its /admin pages do the same while it runs."""

from __future__ import annotations

import enum
import json
import sys
from typing import Annotated, Any

import typer

from sdgtrack.cli.common import DbOption, JsonOption, err, group, open_or_server, open_store, out
from sdgtrack.errors import UsageError

app = group("Accounts of the people who submit data, and their API tokens.")


class Role(enum.StrEnum):  # the values of sdgtrack.auth.Role (a test pins them equal)
    ADMIN = "admin"
    PROVIDER = "provider"
    CONTRIBUTOR = "contributor"


ACTOR = "cli"  # what the audit trail records as the actor of a command-line change


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="2 to 40 of a-z 0-9 . _ -")],
    role: Annotated[Role, typer.Option(help="What the account may do.")],
    area: Annotated[list[str] | None, typer.Option(
        help="An area a provider loads data for (ISO3 or M49; repeat for several); its "
             "sub-national areas are included.")] = None,
    organisation: Annotated[str, typer.Option(help="Shown with its submissions.")] = "",
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="Read the password from the first line of standard input "
                                 "(else it is asked for, twice).")] = False,
    db: DbOption = None,
) -> None:
    """Add an account."""
    from sdgtrack import auth

    password = _password(password_stdin)
    with open_store(db) as store:
        user = auth.add_user(store, username, auth.Role(role.value), password, area or [],
                             organisation, actor=ACTOR)
    areas = ", ".join(user.areas) or "every area"
    out.print(f"added {user.username} ({user.role.value}; {areas})")


@app.command("list")
def list_(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List the accounts."""
    from rich.table import Table

    from sdgtrack import auth

    with open_store(db) as store:
        users = [{**u.public(), "tokens": [t for t in auth.tokens_of(store, u)
                                           if t["revoked_at"] is None]}
                 for u in auth.list_users(store)]
    if as_json:
        print(json.dumps(users, default=str, indent=1))
        return
    table = Table("user", "role", "areas", "organisation", "state", "live API tokens")
    for u in users:
        table.add_row(u["username"], u["role"], ", ".join(u["areas"]) or "all",
                      u["organisation"], "disabled" if u["disabled"] else "enabled",
                      ", ".join(str(t["token_id"]) for t in u["tokens"]))
    out.print(table)


@app.command("disable")
def disable(
    username: str,
    enable: Annotated[bool, typer.Option("--enable", help="Enable the account again.")] = False,
    db: DbOption = None,
) -> None:
    """Disable an account (its sessions end and its API tokens stop working at once)."""
    from sdgtrack import auth

    with open_store(db) as store:
        auth.set_disabled(store, username, not enable, actor=ACTOR)
    out.print(f"{username}: {'enabled' if enable else 'disabled'}")


@app.command("password")
def password(
    username: str,
    password_stdin: Annotated[bool, typer.Option("--password-stdin")] = False,
    db: DbOption = None,
) -> None:
    """Set an account's password (its web sessions end)."""
    from sdgtrack import auth

    secret = _password(password_stdin)
    with open_store(db) as store:
        auth.set_password(store, username, secret, actor=ACTOR)
    out.print(f"{username}: password set")


@app.command("token")
def token(
    username: str,
    label: Annotated[str, typer.Option(help="What the token is for.")] = "",
    revoke: Annotated[int | None, typer.Option(help="Revoke this token id instead.")] = None,
    list_tokens: Annotated[bool, typer.Option("--list", help="List the account's tokens.")
                           ] = False,
    db: DbOption = None,
) -> None:
    """Issue an API token for scripted uploads (printed once; only its digest is kept), or
    --revoke one, or --list them."""
    from sdgtrack import auth

    with open_store(db) as store:
        user = auth.require_user(store, username)
        if list_tokens:
            print(json.dumps(auth.tokens_of(store, user), default=str, indent=1))
            return
        if revoke is not None:
            if revoke not in {t["token_id"] for t in auth.tokens_of(store, user)}:
                raise UsageError(f"Token {revoke} is not one of {username}'s; --list "
                                 "lists them.")
            auth.revoke_token(store, revoke, actor=ACTOR)
            out.print(f"token {revoke} of {username}: revoked")
            return
        token_id, secret = auth.issue_token(store, user, label, actor=ACTOR)
    err.print(f"token {token_id} for {username}; shown once, keep it secret:")
    print(secret)


def history(
    series: Annotated[str | None, typer.Option(help="Series code, e.g. SH_DYN_MORT.")] = None,
    area: Annotated[str | None, typer.Option(help="Area: M49 or sub-national code.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """The loads that hold or changed a series in an area: who, when, which file, rows
    added/changed/removed, and the values they replaced."""
    from sdgtrack.store import audit

    with open_store(db) as store:
        loads = audit.history(store, series, area)
        changes = audit.changes(store, [h["load_id"] for h in loads], series, area)
    if as_json:
        print(json.dumps({"loads": loads, "changes": changes}, default=str, indent=1))
        return
    _print(loads, ("load_id", "dataset", "status", "submitted_by", "loaded_at", "file_name",
                   "rows", "added", "changed", "removed"))
    if changes:
        _print(changes, ("load_id", "change", "series_code", "ref_area", "time_period", "sex",
                         "age", "value_before", "value_after"))


def _print(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
    from rich.table import Table

    table = Table(*columns)
    for r in rows:
        table.add_row(*("" if r[c] is None else str(r[c])[:19] for c in columns))
    out.print(table)


def rollback(
    load_id: Annotated[int, typer.Argument(help="The load to undo: `sdgtrack datasets`.")],
    db: DbOption = None,
) -> None:
    """Undo a dataset's current load: the load it replaced becomes current again, with
    exactly its values (the undone load is kept, marked rolled back). While a server with
    accounts holds the store, it goes through the server with SDGTRACK_TOKEN."""
    store = open_or_server(db)
    if isinstance(store, tuple):
        from sdgtrack.cli import remote

        url, token = store
        err.print(f"The store is held by the server at {url}: rolling back through it "
                  "with SDGTRACK_TOKEN.", highlight=False)
        sent = remote.rollback(url, token, load_id)
        _rolled_back(sent["load_id"], sent["dataset"], sent["restored_load_id"])
        return
    with store:
        done = store.rollback(load_id, ACTOR)
    _rolled_back(done.load_id, done.dataset, done.restored_load_id)


def _rolled_back(load_id: int, dataset: str, restored_load_id: int | None) -> None:
    restored = (f"load {restored_load_id} is current again"
                if restored_load_id is not None else "the dataset has no current load")
    out.print(f"rolled back load {load_id} of {dataset}: {restored}")


def register(app_: typer.Typer) -> None:
    app_.add_typer(app, name="users")
    app_.command()(history)
    app_.command()(rollback)
