"""Docs kept honest: the README's two commands, and CI running the same test command."""

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent


def _commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = text.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", setup)


def test_readme_gives_exactly_two_setup_commands():
    main, tests = _commands()
    assert main.endswith("sdgtrack review")
    assert "bash scripts/test.sh" == tests
    script = (ROOT / "scripts" / "test.sh").read_text(encoding="utf-8")
    assert "pip install -q -e '.[test]'" in script and "python -m pytest" in script


def test_ci_runs_the_readme_test_command():
    _, tests = _commands()
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in script.splitlines()  # the very same line


def test_the_readme_python_example_runs(bundled_store, tmp_path, monkeypatch):
    """The notebook example, as written, on a copy of the session's store of the bundled
    data (so its own load is the no-op a second run is), in a fresh folder."""
    import contextlib
    import io
    import shutil

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```python\n(.+?)\n```", text, re.S)
    assert 5 == len(example.splitlines())
    bundled_store.con.execute("CHECKPOINT")
    shutil.copy(bundled_store.path, tmp_path / "review.duckdb")
    monkeypatch.chdir(tmp_path)
    printed = io.StringIO()
    scope: dict[str, object] = {}
    with contextlib.redirect_stdout(printed):
        exec(compile(example, "README.md", "exec"), scope)  # noqa: S102 - our own README
    scope["store"].close()
    out = printed.getvalue()
    nepal = scope["nepal"]
    assert "Nepal" == nepal.unit.name
    assert list(range(1, 18)) == nepal.snapshot.goal.tolist()
    assert "current_status_index" in out.splitlines()[0]
    assert "524" in out  # the gaps summary names Nepal's code
