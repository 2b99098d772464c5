"""Ingest the sample reports of ../shared/reports (every *.txt and *.md) into data/ (raw, records, agencies.yaml).

    .venv/bin/python scripts/ingest_samples.py [REPORTS_DIR]           # into this repository's data/
    NIANBAO_ROOT=/tmp/x .venv/bin/python scripts/ingest_samples.py     # into /tmp/x/data/

Most samples need nothing but their text. The overrides below are the facts the text lacks, from
../shared/reports/README.md: 平潭's reports call the agency 平潭综合实验区 (2021 and 2022 have no title
at all), and the agency that signs them is its 管委会; 平桥's report names 平桥区民政局 without its city;
洪泽's title says 洪泽区人民政府 without its city; the OCR of 沭阳's report prints 沐阳 throughout.
Running it twice changes nothing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from nianbao.ingest import Options, ingest_files, print_summary

PINGTAN_PAGES = "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/"
PINGTAN_URLS = {
    2019: "202001/t20200120_80576.htm",
    2020: "202103/t20210305_80595.htm",
    2021: "202202/t20220208_80613.htm",
    2022: "202302/t20230220_80629.htm",
}
PINGTAN = dict(agency_name="平潭综合实验区管委会", province="福建省", city="福州市", county="平潭县", kind="管理委员会")
JIANGSU = dict(province="江苏省", kind="人民政府")
OVERRIDES = {
    "henan-pingqiao-minzheng_2024.txt": dict(agency_name="信阳市平桥区民政局"),
    "jiangsu-hongze-zhengfu_2023.txt": dict(JIANGSU, agency_name="淮安市洪泽区人民政府", city="淮安市", county="洪泽区"),
    "jiangsu-shuyang-zhengfu_2025.md": dict(JIANGSU, agency_name="沭阳县人民政府", city="宿迁市", county="沭阳县"),
    **{f"fujian-pingtan_{year}.txt": dict(PINGTAN, url=PINGTAN_PAGES + page) for year, page in PINGTAN_URLS.items()},
}


# Beside the repository (or where NIANBAO_SAMPLES says), wherever NIANBAO_ROOT points the output.
SHARED_REPORTS = Path(os.environ.get("NIANBAO_SAMPLES") or Path(__file__).resolve().parent.parent.parent / "shared" / "reports")


def main(reports: Path = SHARED_REPORTS) -> int:
    files = sorted(f for f in [*reports.glob("*.txt"), *reports.glob("*.md")] if f.name != "README.md")
    if not files:
        print(f"ingest_samples: no sample reports (*.txt, *.md) in {reports}", file=sys.stderr)
        return 2
    plain = [f for f in files if f.name not in OVERRIDES]
    outcomes = ingest_files(plain, Options())
    for f in files:
        if f.name in OVERRIDES:
            outcomes += ingest_files([f], Options(jobs=1, **OVERRIDES[f.name]))
    print_summary(outcomes)
    return 2 if any(o.status == "refused" for o in outcomes) else 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else SHARED_REPORTS))
