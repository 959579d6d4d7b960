"""mypy on the package, plain, with every flag of --strict on model/, assess/, lnob/ and
validate/ (the layers that hold the methods), in one run configured in pyproject.toml. Any
error fails the suite, as ruff's do."""

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).parent.parent
STRICT = ("model", "assess", "lnob", "validate")
#: The flags --strict turns on that can be set per module (mypy --help lists --strict's).
STRICT_FLAGS = {"disallow_any_generics", "disallow_subclassing_any", "disallow_untyped_calls",
                "disallow_untyped_defs", "disallow_incomplete_defs", "check_untyped_defs",
                "disallow_untyped_decorators", "warn_unused_ignores", "warn_return_any",
                "no_implicit_reexport", "strict_equality", "extra_checks"}


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]


def test_the_method_layers_are_checked_with_every_strict_flag():
    config = _config()
    (strict,) = [o for o in config["overrides"] if "sdgtrack.model" in o["module"]]
    assert {f"sdgtrack.{p}{s}" for p in STRICT for s in ("", ".*")} == set(strict["module"])
    assert {flag: True for flag in STRICT_FLAGS} == {k: v for k, v in strict.items()
                                                     if k != "module"}
    assert config["warn_unused_configs"] and config["warn_redundant_casts"]  # global-only
    for part in STRICT:  # a renamed folder must not silently drop out of the strict part
        assert (ROOT / "src" / "sdgtrack" / part / "__init__.py").is_file(), part


def test_mypy_finds_no_error():
    done = subprocess.run([sys.executable, "-m", "mypy", "--no-error-summary"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert [] == errors
    assert 0 == done.returncode, done.stdout + done.stderr


def test_pre_commit_runs_what_the_tests_run():
    import yaml

    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    entries = {h["id"]: h["entry"] for repo in config["repos"] for h in repo["hooks"]}
    assert entries["ruff"].endswith("ruff check src tests scripts bench")  # as test_lint
    assert entries["mypy"].endswith("mypy --no-error-summary")  # as test_mypy_finds_no_error
