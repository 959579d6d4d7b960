"""Write tests/specimens/sdmx/tajstat_DF_SDG_GLH.csv: the real Tajikistan SDMX-ML observations
(tajstat_Tajstat_ss_21_DATA.xml) in SDMX-CSV 1.0, with the column layout of the UN's
DF_SDG_GLH 1.24 SDMX-CSV download (header as quoted in sanand0/journalists data/un/README.md).
Values, codes and attributes are copied as published; absent columns are left empty.

python scripts/make_sdmx_csv_specimen.py
"""

import csv
import warnings
from pathlib import Path

import sdmx

HEADER = ("DATAFLOW,FREQ,REPORTING_TYPE,SERIES,REF_AREA,SEX,AGE,URBANISATION,"
          "INCOME_WEALTH_QUANTILE,EDUCATION_LEV,OCCUPATION,CUST_BREAKDOWN,COMPOSITE_BREAKDOWN,"
          "DISABILITY_STATUS,ACTIVITY,PRODUCT,TIME_PERIOD,OBS_VALUE,OBS_STATUS,UNIT_MULT,"
          "UNIT_MEASURE,BASE_PER,NATURE,TIME_DETAIL,COMMENT_OBS,TIME_COVERAGE,UPPER_BOUND,"
          "LOWER_BOUND,SOURCE_DETAIL,COMMENT_TS,GEO_INFO_URL,GEO_INFO_TYPE,CUST_BREAKDOWN_LB,"
          "DATA_LAST_UPDATE").split(",")

folder = Path(__file__).resolve().parents[1] / "tests/specimens/sdmx"
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    message = sdmx.read_sdmx(folder / "tajstat_Tajstat_ss_21_DATA.xml")
with (folder / "tajstat_DF_SDG_GLH.csv").open("w", newline="", encoding="utf-8") as f:
    writer = csv.DictWriter(f, HEADER, lineterminator="\n")
    writer.writeheader()
    for obs in message.data[0].obs:
        row = {"DATAFLOW": "IAEG-SDGs:DF_SDG_GLH(1.24)"}
        row.update({k: v.value for k, v in obs.key.values.items()})
        row.update({k: v.value for k, v in obs.attached_attribute.items()})
        row["OBS_VALUE"] = obs.value
        writer.writerow(row)
