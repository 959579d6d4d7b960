"""mypy on the package, plain, and --strict on model/, assess/, lnob/ and validate/ (the
layers that hold the methods). Any error fails the suite, as ruff's do."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
STRICT = ("model", "assess", "lnob", "validate")


@pytest.mark.parametrize("args", [[], ["--strict", *(f"-psdgtrack.{p}" for p in STRICT)]],
                         ids=["plain", "strict"])
def test_mypy_finds_no_error(args):
    for part in STRICT:  # a renamed folder must not silently drop out of the strict run
        assert (ROOT / "src" / "sdgtrack" / part / "__init__.py").is_file(), part
    done = subprocess.run([sys.executable, "-m", "mypy", "--no-error-summary", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert [] == errors
    assert 0 == done.returncode, done.stdout + done.stderr


def test_pre_commit_runs_what_the_tests_run():
    import yaml

    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    entries = {h["id"]: h["entry"] for repo in config["repos"] for h in repo["hooks"]}
    assert entries["ruff"].endswith("ruff check src tests scripts bench")  # as test_lint
    assert "mypy --no-error-summary &&" in entries["mypy"]
    assert all(f"-psdgtrack.{p}" in entries["mypy"] for p in STRICT)
