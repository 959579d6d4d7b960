"""The ``sdgtrack`` command. Thin: each command parses its options (choices are enums, so
``--help`` lists them), calls ``sdgtrack.api`` or the core, and renders. One error handler
(``common.Group``) turns any ``SdgtrackError`` into a refusal without a traceback; exit codes
are 0 (ok), 1 (a data problem) and 2 (a usage problem).

Modules, one per command group:

    common   consoles, options, enums, the store, the error handler
    render   tables for people, JSON or CSV for scripts
    data     ingest, validate, datasets, conflicts, series, areas, template
    assess   assess, sdr, review
    covid    covid (the COVID-19 setback)
    probability  probability [--backtest] (of reaching each target)
    publish  export, report country|vnr|region, build-site, serve
    lnob     lnob gaps|survey|surveys
    links    links (interlinkages: synergies and trade-offs)
    users    users add|list|disable|password|token, history, rollback
    records  records add|list (the forums' own records)
    search   search (the hub's search)
"""

from __future__ import annotations

import sys

from sdgtrack.cli import (
    assess,
    covid,
    data,
    links,
    lnob,
    probability,
    publish,
    records,
    search,
    users,
)
from sdgtrack.cli.common import err, group

app = group("sdgtrack: follow-up and review of the 2030 Agenda.")
data.register(app)
assess.register(app)
covid.register(app)
probability.register(app)
publish.register(app)
app.add_typer(lnob.app, name="lnob")
links.register(app)
users.register(app)
records.register(app)
search.register(app)


def main() -> None:  # the console-script entry point
    from sdgtrack.errors import SdgtrackError

    try:
        app()
    except SdgtrackError as exc:  # pragma: no cover - the group's handler catches them
        err.print(f"error: {exc}")
        sys.exit(exc.exit_code)


__all__ = ["app", "main"]
