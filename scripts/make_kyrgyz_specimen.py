"""Cut the small real specimen in tests/specimens/open-sdg-kyrgyzstan/ out of Kyrgyzstan's
national SDG data repository.

python scripts/make_kyrgyz_specimen.py ../shared/data/open-sdg-kyrgyzstan

Data files are copied byte for byte, except 1-5-1.csv (its header and the 2019-2020 lines,
line for line). The DSD keeps its concepts and structure whole and, of its code lists, the
codes the copied files use (and every code of the short lists: sex, urbanisation,
quantile, disability, and every Kyrgyz area); oblasts.geojson keeps every feature's
properties and every 25th point of its outlines, coordinates to 3 decimals.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

from lxml import etree

src = Path(sys.argv[1])
out = Path(__file__).resolve().parents[1] / "tests/specimens/open-sdg-kyrgyzstan"
COPIED = ["data/1.1.1.xml", "data/1.5.4.xml", "data/12.4.2.xml", "data/1-5-4.csv",
          "data/4-1-2.csv", "indicator_settings/1-5-4.md", "meta/1-5-4.xlsx",
          # national metadata (issue 14): Russian workbooks at meta/, English in meta/en/
          "meta/1-1-1.xlsx", "meta/en/1-1-1.xlsx", "meta/en/1-5-4.xlsx",
          "indicator_settings/1-1-1.md", "indicator_settings/4-1-2.md",
          "open_sdg_config_sdmx.yml", "metadata-mapping.csv", "LICENSE"]
WHOLE_LISTS = {"CL_SEX", "CL_URBANISATION", "CL_QUANTILE", "CL_DISABILITY", "CL_FREQ",
               "CL_OBS_STATUS", "CL_NATURE", "CL_REPORTING_TYPE", "CL_UNIT_MULT"}
STR = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure}"
COM = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common}"

shutil.rmtree(out, ignore_errors=True)
for name in COPIED:
    (out / name).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src / name, out / name)
lines = (src / "data/1-5-1.csv").read_bytes().split(b"\n")
(out / "data/1-5-1.csv").write_bytes(b"\n".join(
    [lines[0]] + [ln for ln in lines[1:] if ln.startswith((b"2019,", b"2020,"))]) + b"\n")

used = set()
for name in COPIED + ["data/1-5-1.csv"]:
    if name.startswith("data/"):
        used |= set(re.findall(r'="([^"]+)"', (out / name).read_text(encoding="utf-8")))
        used |= {c.strip('"') for c in
                 re.split(r"[,\n]", (out / name).read_text(encoding="utf-8"))}
tree = etree.parse(str(src / "SDG_DSD.KG_1.8.xml"))
for codelist in tree.iter(STR + "Codelist"):
    if codelist.get("id") in WHOLE_LISTS:
        continue
    for code in list(codelist.iter(STR + "Code")):
        names = {n.text for n in code.findall(COM + "Name")}
        area = codelist.get("id") == "CL_AREA" and (code.get("id").startswith("KG")
                                                    or code.get("id") == "417")
        if not (area or code.get("id") in used or names & used):
            code.getparent().remove(code)
tree.write(str(out / "SDG_DSD.KG_1.8.xml"), xml_declaration=True, encoding="UTF-8")

shapes = json.loads((src / "oblasts.geojson").read_text(encoding="utf-8"))


def thin(coords):
    if coords and isinstance(coords[0], (int, float)):
        return [round(c, 3) for c in coords]
    if coords and isinstance(coords[0][0], (int, float)):  # a ring: keep it closed
        kept = coords[::25]
        return [thin(p) for p in kept + [coords[-1]]] if len(kept) >= 3 else [
            thin(p) for p in coords]
    return [thin(c) for c in coords]


for feature in shapes["features"]:
    feature["geometry"]["coordinates"] = thin(feature["geometry"]["coordinates"])
(out / "oblasts.geojson").write_text(json.dumps(shapes, ensure_ascii=False), encoding="utf-8")
