"""``sdgtrack records``: the forums' own records (sessions, roundtables and their priority
actions, the VNR panel, side events). Thin: parse, call ``sdgtrack.api``, render."""

from __future__ import annotations

import enum
import getpass
import json
from pathlib import Path
from typing import Annotated

import typer

from sdgtrack.cli.common import DbOption, JsonOption, group, open_store, out, store_exists

app = group("The forums' own records: roundtables' priority actions, sessions, side events.")


class Kind(enum.StrEnum):  # sdgtrack.records.KINDS (a test pins them equal)
    SESSION = "session"
    ROUNDTABLE = "roundtable"
    VNR_PANEL = "vnr_panel"
    SIDE_EVENT = "side_event"


@app.command("add")
def add(
    file: Annotated[Path, typer.Argument(help="YAML or CSV in the schema of "
                                              "sdgtrack/records/SCHEMA.md.")],
    db: DbOption = None,
) -> None:
    """Add a forum's report as records (a forum already in the store is replaced whole; a
    file with any problem is refused and nothing is written)."""
    from sdgtrack import api

    with open_store(db) as store:
        done = api.add_records(store, file, actor=f"cli:{getpass.getuser()}")
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(done.kinds.items()))
    verb = "added" if done.changed else "unchanged (the same file is already in the store):"
    out.print(f"{done.forum}: {verb} {done.records} records ({kinds})", highlight=False)


@app.command("list")
def list_(
    goal: Annotated[int | None, typer.Option(help="Only records about this goal.")] = None,
    kind: Annotated[Kind | None, typer.Option(help="Only records of this kind.")] = None,
    lang: Annotated[str, typer.Option(help="Language of the text shown: zh, en or ru.")] = "en",
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """The records, bundled and added, one line each: forum, paragraph, goals, text."""
    from sdgtrack import api

    chosen = kind.value if kind else None
    if not store_exists(db):  # the bundled records need no store
        frame = api.forum_records(None, goal=goal, kind=chosen)
    else:
        with open_store(db, read_only=True) as store:
            frame = api.forum_records(store, goal=goal, kind=chosen)
    rows = frame.to_dict("records") if len(frame) else []
    if as_json:
        out.print_json(json.dumps(rows, ensure_ascii=False))
        return
    for r in rows:
        text = r.get(f"text_{lang}") or r.get(f"title_{lang}") or r["text_en"] or r["title_en"]
        goals = ",".join(str(g) for g in r["goals"]) or "-"
        out.print(f"{r['forum']} {r['kind']} ¶{r['number'] or '-'} goals {goals}: "
                  f"{text[:100]}", highlight=False, soft_wrap=True)


def register(app_: typer.Typer) -> None:
    app_.add_typer(app, name="records")
