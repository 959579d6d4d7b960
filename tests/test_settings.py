from pathlib import Path

from sdgtrack import settings

README = Path(__file__).parent.parent / "README.md"


def test_every_setting_is_documented_in_the_readme():
    text = README.read_text(encoding="utf-8")
    assert [] == [s.env for s in settings.SETTINGS if s.env not in text]


def test_settings_read_the_environment(monkeypatch):
    monkeypatch.setenv("SDGTRACK_MAX_YEAR", "2040")
    assert 2040 == settings.get("max_year")
    monkeypatch.setenv("SDGTRACK_DB", "/tmp/x.duckdb")
    assert Path("/tmp/x.duckdb") == settings.default_db_path()
