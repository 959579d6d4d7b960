"""Every member's profile at once (``sdgtrack report country --group``): one read of the
store shared by all the profiles, written by forked workers, each file the same as the
one ``sdgtrack report country AREA`` writes alone. (How long it takes: bench/profiles.py.)"""

import shutil
import subprocess
import sys

from sdgtrack import framework
from sdgtrack.publish.report.files import write_country_profile
from sdgtrack.publish.site.data import SiteData
from sdgtrack.store import Store


def test_a_group_s_profiles_are_the_profiles_written_one_by_one(slice_store, tmp_path):
    """North and Central Asia (9 members) on the slice of the real data (goals 5 and 7), in
    HTML (the PDF's exact source): written by 2 forked processes in a new process (one that
    has not started vl-convert, as the command is), then each member alone, in Russian."""
    slice_store.con.execute("CHECKPOINT")
    db = tmp_path / "copy.duckdb"
    shutil.copy(slice_store.path, db)
    done = subprocess.run([sys.executable, "-m", "sdgtrack", "report", "country", "--group",
                           "escap_nca", "--out", str(tmp_path / "group"), "--format", "html",
                           "--lang", "ru", "--db", str(db), "--processes", "2"],
                          capture_output=True, text=True, check=True)
    members = framework.group_members("escap_nca")
    assert 9 == len(members)
    said = " ".join(done.stdout.split())
    assert said.startswith(f"wrote 9 profiles to {tmp_path / 'group'}"), said
    assert said.endswith("; 2 forked processes)"), said
    names = sorted(p.name for p in (tmp_path / "group").iterdir())
    # ARM AZE GEO KAZ KGZ RUS TJK TKM UZB, by ISO3 code
    assert sorted(f"{framework.iso3_of(m)}.html" for m in members) == names
    with Store(db, read_only=True) as store:
        d = SiteData(store, frozen=True)
        for m49 in members:
            alone = write_country_profile(d, m49, tmp_path / "alone.html", lang="ru")
            together = tmp_path / "group" / f"{framework.iso3_of(m49)}.html"
            assert alone.read_bytes() == together.read_bytes(), m49
    kazakhstan = (tmp_path / "group" / "KAZ.html").read_text(encoding="utf-8")
    assert "Казахстан" in kazakhstan  # its own profile, in Russian


def test_a_group_needs_a_folder_and_no_area(slice_store, tmp_path):
    from typer.testing import CliRunner

    from sdgtrack.cli import app

    both = CliRunner().invoke(app, ["report", "country", "NPL", "--group", "escap",
                                    "--out", str(tmp_path), "--db", str(slice_store.path)])
    assert 2 == both.exit_code
    assert "Give an AREA" in both.output and "not both" in both.output
