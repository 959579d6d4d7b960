"""Imports flow one way: model/framework at the bottom, the CLI on top (STYLE.md habit 1)."""

import ast
from pathlib import Path

import sdgtrack

SRC = Path(sdgtrack.__file__).parent

#: Each part of the package and the parts it may import.
ALLOWED = {
    "errors": set(),
    "settings": set(),
    "model": set(),
    "bundled": set(),
    "framework": {"errors"},
    "ingest": {"errors", "model", "framework", "settings"},
    "validate": {"errors", "model", "framework", "settings"},
    "store": {"errors", "model", "framework", "settings"},
    "pipeline": {"errors", "model", "framework", "settings", "ingest", "validate", "store"},
    # who may write (accounts, passwords, sessions, tokens): above the store, below the web
    "auth": {"errors", "model", "framework", "settings", "store"},
    # uploads checked against an account's areas, then loaded through the pipeline
    "submission": {"errors", "model", "framework", "settings", "ingest", "validate", "store",
                   "pipeline", "auth"},
    "assess": {"errors", "model", "framework", "settings", "store"},
    "lnob": {"errors", "model", "framework", "settings", "store"},
    "publish": {"errors", "model", "framework", "settings", "store", "assess", "lnob",
                "ingest"},
    "web": {"errors", "model", "framework", "settings", "store", "assess", "lnob", "publish",
            "ingest", "pipeline", "auth", "submission"},
    "cli": {"*"},
    "cli_users": {"*"},
    "cli_lnob": {"*"},
    "cli_publish": {"*"},
    "cli_render": set(),
    "__main__": {"cli"},
    "__init__": set(),
}
#: Third-party frameworks only the top layers may use.
TOP_ONLY = {"typer": {"cli", "cli_render", "cli_lnob", "cli_publish", "cli_users"},
            "fastapi": {"web"}, "jinja2": {"publish", "web"}}


def _part(path: Path) -> str:
    rel = path.relative_to(SRC)
    return rel.parts[0].removesuffix(".py")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_imports_flow_one_way():
    wrong = []
    for path in SRC.rglob("*.py"):
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
    for path in (SRC / "model").rglob("*.py"):
        third_party = {n.split(".")[0] for n in _imports(path)} - {
            "__future__", "dataclasses", "re", "sdgtrack"}
        assert set() == third_party, path
