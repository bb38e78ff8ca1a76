"""Benchmark: import and run N recorded credit blocks (format v2).

    python benchmarks/registry_blocks.py write N DIR   # DIR/blocks.csv, DIR/parties.csv, DIR/history.yaml
    a6sim import blocks DIR/blocks.csv --out DIR/imported.yaml --parties DIR/parties.csv
    a6sim run DIR/history.yaml --out DIR/out

``blocks.csv`` holds N blocks in a6sim's layout: 50 projects in 10 host countries,
vintages 2021-2025, 1,000 t each with Gold Standard-style serials, half authorised
for NDC use. ``history.yaml`` is the imported scenario plus, per authorised block, a
first transfer to a buyer by serials, an onward transfer of half of it and a use,
and per unauthorised block a voluntary cancellation: 3.5 N transactions. The figures
are synthetic; they only measure how a6sim scales.
"""
from __future__ import annotations

import csv
import datetime
import sys
from pathlib import Path

from a6sim.importer.countries import alpha2

HOSTS = ["GHA", "KEN", "PER", "THA", "VNM", "SEN", "RWA", "TZA", "MNG", "CHL"]
BUYERS = ["CHE", "SWE", "JPN", "SGP"]


def write(n: int, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    blocks, tx = [], []
    next_serial: dict[tuple, int] = {}
    for i in range(n):
        host = HOSTS[i % len(HOSTS)]
        project = f"{10000 + i % 50}"
        vintage = 2021 + (i // 50) % 5
        first = next_serial.get((project, vintage), 1)
        next_serial[(project, vintage)] = first + 1000
        serials = f"GS1-1-{alpha2(host)}-GS{project}-16-{vintage}-{i}-{first}-{first + 999}"
        date = datetime.date(vintage + 1, 1 + i % 12, 1 + i % 28)
        authorised = i % 2 == 0
        blocks.append(["GS", project, host, vintage, 1000, date.isoformat(), serials,
                       f"{host}-A" if authorised else "", "2021" if authorised else "",
                       "NDC" if authorised else "", "", f"{host}-CA" if authorised else "", host])
        buyer, other = BUYERS[i % 4], BUYERS[(i + 1) % 4]
        if authorised:
            d1 = date + datetime.timedelta(days=30)
            tx.append(f"  - {{date: {d1}, action: transfer, from: {host}, to: {buyer}, quantity: 1000, "
                      f"serials: \"{serials}\"}}")
            half = f"GS1-1-{alpha2(host)}-GS{project}-16-{vintage}-{i}-{first}-{first + 499}"
            tx.append(f"  - {{date: {d1 + datetime.timedelta(days=30)}, action: transfer, from: {buyer}, "
                      f"to: {other}, quantity: 500, serials: \"{half}\"}}")
            rest = f"GS1-1-{alpha2(host)}-GS{project}-16-{vintage}-{i}-{first + 500}-{first + 999}"
            tx.append(f"  - {{date: {d1 + datetime.timedelta(days=60)}, action: use, holder: {buyer}, "
                      f"quantity: 500, serials: \"{rest}\"}}")
        else:
            tx.append(f"  - {{date: {date + datetime.timedelta(days=10)}, action: voluntary-cancellation, "
                      f"holder: {host}, quantity: 1000, serials: \"{serials}\"}}")
    with open(folder / "blocks.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["programme", "project", "host", "vintage", "quantity", "issuance_date", "serials",
                    "authorisation_id", "authorisation_date", "purpose", "first_transfer", "cooperative_approach",
                    "holder"])
        w.writerows(blocks)
    with open(folder / "parties.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["party", "name", "year", "emissions", "ndc_type", "ndc_start", "ndc_end", "budget"])
        for p in HOSTS:
            w.writerow([p, p, 2021, 50_000_000, "", "", "", ""])
        for p in BUYERS:
            w.writerow([p, p, 2021, 40_000_000, "multi-year", 2021, 2030, 400_000_000])
    from a6sim.importer import import_blocks
    text = import_blocks(folder / "blocks.csv", folder / "parties.csv", "history.yaml")
    (folder / "history.yaml").write_text(text + "transactions:\n" + "\n".join(tx) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] != "write":
        sys.exit(__doc__)
    write(int(sys.argv[2]), Path(sys.argv[3]))
