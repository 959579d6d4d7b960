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
