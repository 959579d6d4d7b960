"""``sdgtrack users``, ``history`` and ``rollback`` (issue 8), through the real command."""

import getpass
import json

from typer.testing import CliRunner

from sdgtrack import auth
from sdgtrack.cli import app
from sdgtrack.store import Store

import accounts
from accounts import PASSWORD, data_file, rows

fast_hashing = accounts.fast_hashing
runner = CliRunner()


def _run(*args, stdin=None):
    return runner.invoke(app, [str(a) for a in args], input=stdin)


def test_users_add_list_disable_and_tokens(tmp_path, fast_hashing):
    db = tmp_path / "s.duckdb"
    added = _run("users", "add", "kz-nso", "--role", "provider", "--area", "KAZ",
                 "--organisation", "Bureau of National Statistics", "--password-stdin",
                 "--db", db, stdin=PASSWORD + "\n")
    assert 0 == added.exit_code, added.output
    assert "added kz-nso (provider; 398)" in added.stdout
    issued = _run("users", "token", "kz-nso", "--label", "nightly", "--db", db)
    assert 0 == issued.exit_code, issued.output
    secret = issued.stdout.strip().splitlines()[-1]
    with Store(db) as store:
        assert "kz-nso" == auth.token_user(store, secret).username
        assert auth.authenticate(store, "kz-nso", PASSWORD) is not None
    listed = json.loads(_run("users", "list", "--json", "--db", db).stdout)
    assert [("kz-nso", "provider", ["398"], False, 1)] == [
        (u["username"], u["role"], u["areas"], u["disabled"], len(u["tokens"]))
        for u in listed]
    assert 0 == _run("users", "token", "kz-nso", "--revoke", 1, "--db", db).exit_code
    assert 0 == _run("users", "disable", "kz-nso", "--db", db).exit_code
    with Store(db) as store:
        assert auth.token_user(store, secret) is None
        assert auth.authenticate(store, "kz-nso", PASSWORD) is None
    listed = json.loads(_run("users", "list", "--json", "--db", db).stdout)
    assert (True, 0) == (listed[0]["disabled"], len(listed[0]["tokens"]))


def test_users_add_explains_what_is_wrong(tmp_path, fast_hashing):
    db = tmp_path / "s.duckdb"
    for args, message in (
            (["--role", "provider"], "needs at least one area"),
            (["--role", "boss"], "'boss' is not one of 'admin'"),
            (["--role", "provider", "--area", "ATLANTIS"], "Unknown area 'ATLANTIS'")):
        r = _run("users", "add", "kz-nso", *args, "--password-stdin", "--db", db,
                 stdin=PASSWORD + "\n")
        assert 2 == r.exit_code
        assert message in r.output
    r = _run("users", "add", "kz-nso", "--role", "contributor", "--password-stdin", "--db", db,
             stdin="short\n")
    assert 2 == r.exit_code and "at least 10 characters" in r.output


def test_history_and_rollback_commands(tmp_path):
    db = tmp_path / "s.duckdb"
    kz = rows("398")
    v1 = data_file(tmp_path, "u5mr.csv", kz)
    assert 0 == _run("ingest", v1, "--dataset", "u5mr", "--db", db).exit_code
    (tmp_path / "v2").mkdir()
    v2 = data_file(tmp_path / "v2", "u5mr.csv", [kz[0].replace(",11.8,", ",11.7,"), *kz[1:]])
    assert 0 == _run("ingest", v2, "--dataset", "u5mr", "--db", db).exit_code
    shown = json.loads(_run("history", "--series", "SH_DYN_MORT", "--area", "398", "--json",
                            "--db", db).stdout)
    who = f"cli:{getpass.getuser()}"  # command-line loads record the system user
    assert [(2, who, 0, 1), (1, who, 15, 0)] == [
        (h["load_id"], h["submitted_by"], h["added"], h["changed"]) for h in shown["loads"]]
    assert [("11.8", "11.7")] == [(c["value_before"], c["value_after"])
                                  for c in shown["changes"]]
    done = _run("rollback", 2, "--db", db)
    assert "rolled back load 2 of u5mr: load 1 is current again" in done.stdout
    again = _run("rollback", 2, "--db", db)
    assert 2 == again.exit_code and "not current" in again.output
    assert 2 == _run("history", "--db", db).exit_code  # neither series nor area
    with Store(db) as store:
        values = store.con.execute("SELECT value_raw FROM observations_current WHERE "
                                   "time_period = 2015 AND sex = '_T'").fetchall()
    assert [("11.8",)] == values
