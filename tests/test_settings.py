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


def test_chart_cache_renders_once(monkeypatch, tmp_path):
    from sdgtrack.publish import charts

    monkeypatch.setenv("SDGTRACK_CHART_CACHE", str(tmp_path))
    spec = {"data": {"values": [{"x": 1, "y": 2}]}, "mark": "point",
            "encoding": {"x": {"field": "x", "type": "quantitative"}}}
    first = charts.to_svg(spec)
    files = list(tmp_path.rglob("*.svg"))
    assert 1 == len(files) and first.startswith("<svg")
    files[0].write_text("<svg>cached</svg>", encoding="utf-8")  # proves the second is read
    assert "<svg>cached</svg>" == charts.to_svg(spec)
    monkeypatch.setenv("SDGTRACK_CHART_CACHE", "off")
    assert first == charts.to_svg(spec)
