"""Imports flow one way: model/framework at the bottom, the CLI on top (STYLE.md habit 1)."""

import ast
from pathlib import Path

import sdgtrack

SRC = Path(sdgtrack.__file__).parent

#: Each part of the package and the parts it may import.
ALLOWED = {
    "errors": set(),
    "settings": {"errors"},
    "logs": set(),
    "model": set(),
    "bundled": set(),
    "framework": {"errors"},
    "ingest": {"errors", "model", "framework", "settings"},
    "validate": {"errors", "model", "framework", "settings"},
    "store": {"errors", "model", "framework", "settings"},
    # the forums' own records (package data, and those added to the store)
    "records": {"errors", "framework", "store"},
    "pipeline": {"errors", "model", "framework", "settings", "bundled", "ingest", "validate",
                 "store"},
    # who may write (accounts, passwords, sessions, tokens): above the store, below the web
    "auth": {"errors", "model", "framework", "settings", "store"},
    # uploads checked against an account's areas, then loaded through the pipeline
    "submission": {"errors", "model", "framework", "settings", "ingest", "validate", "store",
                   "pipeline", "auth"},
    "assess": {"errors", "model", "framework", "settings", "store"},
    "lnob": {"errors", "model", "framework", "settings", "store"},
    "publish": {"errors", "model", "framework", "settings", "store", "assess", "lnob",
                "ingest", "records"},
    "web": {"errors", "logs", "model", "framework", "settings", "store", "assess", "lnob",
            "publish", "ingest", "pipeline", "auth", "submission", "records"},
    # the Python API: what the commands do, as typed calls
    "api": {"errors", "model", "framework", "settings", "bundled", "ingest", "validate",
            "store", "pipeline", "assess", "lnob", "publish", "records"},
    "cli": {"*"},
    "__main__": {"cli"},
    "__init__": set(),
}
#: Third-party frameworks only the top layers may use.
TOP_ONLY = {"typer": {"cli"},
            "fastapi": {"web"}, "jinja2": {"publish", "web"}}


def _part(path: Path) -> str:
    rel = path.relative_to(SRC)
    return rel.parts[0].removesuffix(".py")


def _imports(path: Path) -> set[str]:
    """Every module a file imports, in any form: ``import a.b``, ``from a.b import c``,
    ``from sdgtrack import x`` (read as ``sdgtrack.x``), relative imports (resolved against
    the file's package) and ``import_module("sdgtrack.x")`` with a literal name."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ["sdgtrack", *path.relative_to(SRC).parent.parts]
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package[:len(package) - node.level + 1], *filter(None, [base])])
            names.add(base)
            if base == "sdgtrack":
                names |= {f"sdgtrack.{a.name}" for a in node.names}
        elif (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(
                node.func, "attr", None)) == "import_module" and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)):
            names.add(node.args[0].value)
    return names


def test_the_reader_of_imports_sees_every_form(tmp_path):
    import textwrap

    probe = SRC / "lnob" / "_probe_for_test.py"
    probe.write_text(textwrap.dedent("""
        import sdgtrack.store.queries
        from sdgtrack import web, assess
        from ..publish import charts
        from . import gaps
        from importlib import import_module
        import_module("sdgtrack.pipeline")
    """), encoding="utf-8")
    try:
        found = _imports(probe)
    finally:
        probe.unlink()
    assert {"sdgtrack.store.queries", "sdgtrack.web", "sdgtrack.assess",
            "sdgtrack.publish", "sdgtrack.lnob", "sdgtrack.pipeline"} <= found


def test_imports_flow_one_way():
    wrong = []
    files = sorted(SRC.rglob("*.py"))
    assert len(files) > 80  # the package, not an empty folder (it has 100-odd modules)
    for path in files:
        part = _part(path)
        allowed = ALLOWED[part]
        for name in _imports(path):
            top = name.split(".")[0]
            if top == "sdgtrack" and "." in name:
                target = name.split(".")[1]
                if target != part and "*" not in allowed and target not in allowed:
                    wrong.append(f"{path.relative_to(SRC)} imports {name}")
            elif top in TOP_ONLY and part not in TOP_ONLY[top]:
                wrong.append(f"{path.relative_to(SRC)} imports {top}")
    assert [] == wrong


def test_model_imports_only_the_standard_library():
    import sys

    files = list((SRC / "model").rglob("*.py"))
    assert len(files) >= 4
    for path in files:
        third_party = {n.split(".")[0] for n in _imports(path)} - set(
            sys.stdlib_module_names) - {"__future__", "sdgtrack"}
        assert set() == third_party, path


def test_the_readme_board_is_the_table():
    """The README's board of layers names every part once, and a part only imports parts
    on its own layer or below (the table may allow less than the board, never more)."""
    import re

    readme = (SRC.parent.parent / "README.md").read_text(encoding="utf-8")
    board = re.search(r"```text\n(layer .+?)\n```", readme, re.S).group(1)
    level = {part: int(n) for n, parts in re.findall(r"layer (\d): (.+)", board)
             for part in parts.split()}
    assert set(ALLOWED) - {"__main__", "__init__"} == set(level)
    above = [(part, target) for part, allowed in ALLOWED.items() if part in level
             for target in allowed if target in level and level[target] > level[part]]
    assert [] == above


def _module(path: Path) -> str:
    parts = ["sdgtrack", *path.relative_to(SRC).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_module_imports_itself_round_a_cycle():
    """No cycle among the package's modules, counting every import: at the top, inside a
    function (which only hides one) and for type checking. A package's ``__init__``
    re-exporting its own modules is not a cycle."""
    files = sorted(SRC.rglob("*.py"))
    modules = {_module(p) for p in files}
    graph: dict[str, set[str]] = {}
    for path in files:
        here = _module(path)
        targets = set()
        for name in _imports(path):
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != here and not here.startswith(name + "."):
                targets.add(name)
        graph[here] = targets
    cycles = []
    for start in graph:
        stack, seen = [(start, [start])], set()
        while stack:
            node, trail = stack.pop()
            for nxt in graph.get(node, ()):
                if nxt == start:
                    cycles.append(" -> ".join([*trail, start]))
                elif nxt not in seen and not nxt.startswith(start + "."):
                    seen.add(nxt)
                    stack.append((nxt, [*trail, nxt]))
    assert [] == sorted(cycles)
