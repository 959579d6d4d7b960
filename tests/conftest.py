from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from pg import cluster  # noqa: F401 - the fixture, for any test on PostgreSQL

# One folder per test run, shared by its parallel workers (they inherit the variable from
# the process that starts them, which removes the folder at the end): the chart cache, so a
# chart renders once a run (its writes are atomic), and the stores built once a run
# (``built_once``). Never the user's own cache.
if "SDGTRACK_TEST_RUN" not in os.environ:
    os.environ["SDGTRACK_TEST_RUN"] = tempfile.mkdtemp(prefix="sdgtrack-test-run-")
RUN = Path(os.environ["SDGTRACK_TEST_RUN"])
os.environ["SDGTRACK_CHART_CACHE"] = str(RUN / "charts")
_OWNER = "PYTEST_XDIST_WORKER" not in os.environ  # the process that made RUN

HERE = Path(__file__).parent
SPECIMENS = HERE / "specimens"
SHARED = HERE.parent.parent / "shared" / "data"


def rows_where(table, **where) -> list[dict]:
    """The rows of a pyarrow table whose columns equal the given values."""
    import pyarrow.compute as pc

    mask = None
    for col, value in where.items():
        m = pc.equal(table[col], value)
        mask = m if mask is None else pc.and_(mask, m)
    return table.filter(mask).to_pylist()


#: the store's backends. A module marked ``both_backends`` runs each test that asks for
#: ``store_at``, ``store`` or ``world`` on each (issue 20: the store, pipeline, auth,
#: submission and web tests on PostgreSQL as well as on DuckDB).
BACKENDS = ("duckdb", "postgres")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if not metafunc.definition.get_closest_marker("both_backends"):
        return
    for name in ("store_at", "world"):
        if name in metafunc.fixturenames:
            metafunc.parametrize(name, BACKENDS, indirect=True)
            return


@pytest.fixture
def store_at(request, tmp_path):
    """Where a test's store lives: a DuckDB file, or (parametrized) a new PostgreSQL
    database of the session's throwaway cluster (``tests/pg.py``)."""
    if getattr(request, "param", "duckdb") == "postgres":
        return request.getfixturevalue("cluster").new_database()
    return tmp_path / "test.duckdb"


@pytest.fixture
def store(store_at):
    from sdgtrack.store import Store

    with Store(store_at) as s:
        yield s


def kill_mid_way(script: str, env: dict[str, str]) -> None:
    """Run ``script`` in a child Python; once it prints ``mid-load`` (its load is half done,
    the transaction open), SIGKILL it and check that it died of it."""
    import textwrap

    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent(script)],
                             stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert "mid-load" == child.stdout.readline().strip()
        child.send_signal(signal.SIGKILL)
        assert -signal.SIGKILL == child.wait(timeout=30)
    finally:
        child.kill()
        child.stdout.close()


@contextmanager
def app_server(store) -> Iterator[str]:  # noqa: ANN001 - a Store, or an app made already
    """The app over ``store`` (or ``store`` itself, an app), served by uvicorn in a thread of
    this process on a free loopback port, for a browser; yields its address."""
    import threading

    import uvicorn

    from sdgtrack.store import Store
    from sdgtrack.web.app import create_app

    app = create_app(store) if isinstance(store, Store) else store
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1",
                                        port=(port := free_port()), log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_process(db: Path, env: dict[str, str], *args: str) -> tuple[subprocess.Popen, int]:
    """A real ``sdgtrack serve`` on a free loopback port, once it accepts connections. Its
    standard error (a JSON line per request) goes to a file, ``proc.log``: a pipe nobody
    reads would fill and stop the server."""
    port = free_port()
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen([sys.executable, "-m", "sdgtrack", "serve", "--db", str(db),
                             "--port", str(port), *args], env=env, stdout=subprocess.DEVNULL,
                            stderr=log)
    proc.log = log
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, port
        except OSError:
            if proc.poll() is not None:  # it died: say why
                raise AssertionError(f"sdgtrack serve exited {proc.returncode}: "
                                     f"{server_log(proc)}") from None
            time.sleep(0.1)
    stop_process(proc)
    raise AssertionError("the server did not start")


def server_log(proc: subprocess.Popen) -> str:
    """What a ``serve_process`` server wrote to standard error so far."""
    proc.log.seek(0)
    return proc.log.read().decode("utf-8", "replace")


def stop_process(proc: subprocess.Popen) -> None:
    """Ctrl-C, as a person stops it; killed when it does not stop in 20 s."""
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    proc.log.close()


def shared(folder: str) -> Path:
    """A folder of ../shared/data, or a skip that says why (the CI clone has it beside it)."""
    path = SHARED / folder
    if not path.is_dir():
        pytest.skip(f"{path} is absent: this test reads real data that may not be copied "
                    "into the repository (see ../shared/data/README.md)")
    return path


#: The test files that take longest (seconds of one worker in a run of the whole suite on 2
#: cores, 2026-12-03), run first: each file runs on one worker (``--dist loadfile``), and a long
#: file started last keeps one worker busy after the other has finished. Any file not
#: named runs after these, in the order collected.
LONGEST_FIRST = (
    "test_report.py",  # 178 s: five PDFs, each read by Poppler
    "test_static_site.py",  # 147 s: the slice's site in two languages
    "test_bad_specimens.py",  # 74 s
    "test_submission_web.py",  # 71 s
    "test_vintages.py",  # 61 s
    "test_concurrency.py",  # 59 s: real servers and commands
    "test_spark.py",  # 59 s
    "test_openapi_conformance.py",  # 54 s: schemathesis, 2,000 cases
    "test_browser.py",  # 51 s
    "test_postgres.py",  # 51 s
    "test_web.py",  # 47 s
    "test_submission_attacks.py",  # 44 s
    "test_visual.py",  # 43 s
    "test_auth_matrix.py",  # 39 s
    "test_empty_store.py",  # 38 s
    "test_assess_golden.py",  # 34 s
    "test_types.py",  # 28 s: mypy
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The files of ``LONGEST_FIRST`` first, in its order (a stable sort: each file's own
    tests keep their order). Every worker collects and sorts alike, as xdist requires."""
    missing = [name for name in LONGEST_FIRST if not (HERE / name).is_file()]
    if missing:  # a file renamed or removed
        raise pytest.UsageError(f"tests/conftest.py LONGEST_FIRST names {missing}, which "
                                "tests/ no longer has: rename or remove them there")
    rank = {name: k for k, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(Path(str(item.path)).name, len(rank)))


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _OWNER:
        import shutil

        shutil.rmtree(RUN, ignore_errors=True)


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str,
               build: Callable[[Path], Any]) -> tuple[Path, Any]:
    """A copy, for this process, of the store that ``build(path)`` writes at ``path``, and
    what ``build`` returned. The store is built once per test run: the parallel workers
    take turns under a lock, the first builds it, and each then works on its own copy (a
    DuckDB file has one writer)."""
    import fcntl
    import pickle
    import shutil

    folder = RUN / name
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "built.pickle").exists():
            for left in folder.glob("s.duckdb*"):  # a build that failed half-way
                left.unlink()
            returned = build(folder / "s.duckdb")
            (folder / "built.pickle").write_bytes(pickle.dumps(returned))
    mine = tmp_path_factory.mktemp(name) / "s.duckdb"
    shutil.copy(folder / "s.duckdb", mine)
    return mine, pickle.loads((folder / "built.pickle").read_bytes())


def _closed(path: Path, load: Callable[[Any], Any]) -> Any:
    from sdgtrack.store import Store

    with Store(path) as store:
        return load(store)


@pytest.fixture(scope="session")
def bundled_store(tmp_path_factory):
    """A store holding the bundled UN extract as `sdgtrack review` loads it: the October
    2020 vintage, then the December 2023 one superseding it (loaded once per test run).
    ``bundled_result`` is the 2023 load's result."""
    from sdgtrack import pipeline
    from sdgtrack.store import Store

    path, results = built_once(tmp_path_factory, "bundled", lambda p: _closed(
        p, pipeline.load_bundled))
    store = Store(path)
    store.bundled_result = results[-1]
    yield store
    store.close()


@pytest.fixture(scope="session")
def store_2020(tmp_path_factory):
    """A store holding only the bundled October 2020 vintage: the tests whose hand-computed
    values were worked out on it (they check a method, not the default data)."""
    from sdgtrack import bundled, pipeline
    from sdgtrack.store import Store

    path, _ = built_once(tmp_path_factory, "v2020", lambda p: _closed(
        p, lambda s: pipeline.ingest_path(bundled.unsd_escap_2020(), s,
                                          dataset=bundled.UNSD_DATASET)))
    store = Store(path)
    yield store
    store.close()


#: The goals of the bundled December 2023 extract that ``slice_store`` holds: goal 5 (few
#: series, many breakdowns) and goal 7 (energy: long, complete series).
SLICE_GOALS = (5, 7)


def slice_folder(folder: Path) -> Path:
    """The bundled December 2023 extract's goals ``SLICE_GOALS`` (with its README and
    metadata), copied to ``folder``."""
    import shutil

    from sdgtrack import bundled

    shutil.copytree(bundled.unsd_escap(), folder, dirs_exist_ok=True,
                    ignore=lambda where, names: [
                        n for n in names if n.startswith("sdg_goal")
                        and int(n[8:10]) not in SLICE_GOALS])
    assert len(list((folder / "data").glob("sdg_goal*"))) == len(SLICE_GOALS)
    return folder


@pytest.fixture(scope="session")
def slice_store(tmp_path_factory):
    """A slice of the real data for tests that render every page: the bundled December
    2023 extract's goals ``SLICE_GOALS``, all 64 areas, as its own dataset. The whole
    extract's site is built in ``bench/web.py``."""
    from sdgtrack import bundled, pipeline
    from sdgtrack.store import Store

    def build(path: Path) -> None:
        folder = slice_folder(path.parent / "unsd-escap-2023-slice")
        result = _closed(path, lambda s: pipeline.ingest_path(
            folder, s, dataset=bundled.UNSD_DATASET, vintage="2023-12"))
        assert "loaded" == result.status, result.issues[:3]

    path, _ = built_once(tmp_path_factory, "slice", build)
    store = Store(path)
    yield store
    store.close()
