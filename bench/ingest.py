"""Benchmark: a full ``ingest`` (parse + validate + store) of the real UN extract, as a ratio
to DuckDB's bare ``read_csv`` of the same files in the same run; then the same on a 10x
dataset (the real series replicated across generated areas) to show the growth is linear.

    python bench/ingest.py [--repeat 3] [--scale 10]

Targets (issue 2): ingest / read_csv <= 2.0; time(10x) / time(1x) close to 10.
Prints one JSON object; nothing here is a test.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import shutil
import tempfile
from pathlib import Path

import duckdb
from timing import best  # bench/timing.py

from sdgtrack import bundled, pipeline
from sdgtrack.ingest import ReadOptions
from sdgtrack.store import Store


def plain_copy(src: Path, dst: Path) -> list[Path]:
    """The bundled .csv.gz files, decompressed: what a user downloads."""
    dst.mkdir(parents=True)
    out = []
    for f in sorted((src / "data").glob("*.csv.gz")):
        target = dst / f.name.removesuffix(".gz")
        target.write_bytes(gzip.decompress(f.read_bytes()))
        out.append(target)
    return out


def scaled(files: list[Path], dst: Path, scale: int) -> tuple[list[Path], Path]:
    """Each real row repeated for ``scale`` areas: the real one and scale-1 generated ones
    (``<m49>-G<k>``), declared in an areas file."""
    dst.mkdir(parents=True)
    areas = set()
    out = []
    for f in files:
        with f.open(newline="", encoding="utf-8") as src:
            rows = list(csv.reader(src))
        header, body = rows[0], rows[1:]
        col = header.index("GeoAreaCode")
        target = dst / f.name
        with target.open("w", newline="", encoding="utf-8") as dst_file:
            writer = csv.writer(dst_file, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(body)
            for k in range(1, scale):
                for row in body:
                    area = f"{row[col]}-G{k}"
                    areas.add(area)
                    writer.writerow([*row[:col], area, *row[col + 1:]])
        out.append(target)
    area_file = dst.parent / "generated_areas.csv"
    area_file.write_text("ref_area,name,parent\n" + "".join(
        f"{a},Generated area {a},{a.split('-')[0]}\n" for a in sorted(areas)))
    return out, area_file


def run(files: list[Path], folder: Path, repeat: int, areas: Path | None = None) -> dict:
    names = [str(f) for f in files]

    def baseline() -> None:
        con = duckdb.connect()
        con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?, union_by_name = true)", [names])
        con.close()

    def ours() -> None:
        db = folder.parent / "bench.duckdb"
        db.unlink(missing_ok=True)
        with Store(db) as store:
            result = pipeline.ingest_path(folder, store, ReadOptions(areas=areas))
            assert result.status == "loaded", result.issues[:3]

    t_base, t_ours = best(baseline, repeat), best(ours, repeat)
    return {"read_csv_s": round(t_base, 3), "ingest_s": round(t_ours, 3),
            "ratio": round(t_ours / t_base, 2)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scale", type=int, default=10)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sdgtrack-bench-"))
    try:
        files = plain_copy(bundled.unsd_escap(), work / "x1")
        one = run(files, work / "x1", args.repeat)
        big_files, areas = scaled(files, work / f"x{args.scale}", args.scale)
        big = run(big_files, work / f"x{args.scale}", max(1, args.repeat - 1), areas)
        print(json.dumps({
            "rows": sum(1 for f in files for _ in f.open()) - len(files),
            "x1": one, f"x{args.scale}": big,
            "growth_ingest": round(big["ingest_s"] / one["ingest_s"], 2),
            "growth_read_csv": round(big["read_csv_s"] / one["read_csv_s"], 2),
        }, indent=1))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
