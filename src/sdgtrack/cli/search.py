"""``sdgtrack search QUERY``: the hub's search from the terminal. Thin: call
``sdgtrack.api.search``, render the groups (or the JSON the API answers)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from sdgtrack.cli.common import DbOption, JsonOption, Lang, open_store, out


def search(
    query: Annotated[str, typer.Argument(help="Words, a code (3.2.1, SH_DYN_MORT, NPL, 524) "
                                              "or a name, in English, Chinese or Russian.")],
    lang: Annotated[Lang, typer.Option(help="The language of the titles shown.")] = Lang.EN,
    limit: Annotated[int, typer.Option(min=1, max=500, help="At most this many.")] = 20,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Search goals, targets, indicators, series, areas, the forums' records, approved
    evidence and the methodology."""
    from sdgtrack import api

    with open_store(db, read_only=True) as store:
        found = api.search(store, query, lang=lang.value, limit=limit)
    if as_json:
        out.print_json(json.dumps(found, ensure_ascii=False))
        return
    noun = "result" if found["total"] == 1 else "results"
    out.print(f"{found['total']} {noun} for {query!r}", highlight=False)
    for group in found["groups"]:
        out.print(f"\n[bold]{group['kind']}[/bold]", highlight=False)
        for hit in group["results"]:
            page = hit["link"] + ".html" + (f"#{hit['anchor']}" if hit["anchor"] else "")
            out.print(f"  {hit['code']}  {hit['title'][:90]}  ({lang.value}/{page})",
                      highlight=False, markup=False, soft_wrap=True)


def register(app_: typer.Typer) -> None:
    app_.command()(search)
