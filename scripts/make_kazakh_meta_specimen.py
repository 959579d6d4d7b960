"""Copy national metadata of three indicators into tests/specimens/open-sdg-kazakhstan/
(issue 14, part 4): their ``meta/<id>.yml`` byte for byte, the field labels
(``translations/{en,ru}/metadata_fields.yml``) whole, and of ``sources.yml`` and ``meta.yml``
in English and Russian the lines of the keys those files name.

python scripts/make_kazakh_meta_specimen.py ../shared/data/open-sdg-kazakhstan
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

src = Path(sys.argv[1])
out = Path(__file__).resolve().parents[1] / "tests/specimens/open-sdg-kazakhstan"
INDICATORS = ("2-2-1", "3-2-1", "5-5-2")

(out / "meta").mkdir(parents=True, exist_ok=True)
keys: set[str] = set()
for ind in INDICATORS:
    shutil.copyfile(src / "meta" / f"{ind}.yml", out / "meta" / f"{ind}.yml")
    keys |= set(re.findall(r"^\w+: (\w+\.[\w\-]+)\s*$",
                           (src / "meta" / f"{ind}.yml").read_text(encoding="utf-8"), re.M))
for lang in ("en", "ru"):
    (out / "translations" / lang).mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src / "translations" / lang / "metadata_fields.yml",
                    out / "translations" / lang / "metadata_fields.yml")
    for name in ("sources", "meta"):
        wanted = {k.split(".", 1)[1] for k in keys if k.startswith(name + ".")}
        lines = (src / "translations" / lang / f"{name}.yml").read_text(
            encoding="utf-8").splitlines()
        kept, keep = [], False
        for line in lines:  # a key's line and its continuation lines (indented)
            if line and not line[0].isspace():
                keep = line.split(":", 1)[0].strip().strip("'\"") in wanted
            if keep:
                kept.append(line)
        (out / "translations" / lang / f"{name}.yml").write_text(
            "\n".join(kept) + "\n", encoding="utf-8")
