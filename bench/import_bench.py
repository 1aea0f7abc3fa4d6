"""Time the GDELT import against a plain bulk load of the same file.

    .venv/bin/python bench/import_bench.py [--rows N] [--json FILE]

Makes a GDELT 1.0 file of N rows (default 100,000) by cycling the real
sample rows with fresh GLOBALEVENTIDs, then times, in this process:

* import: ``store.importing.import_path`` into a new database (what
  ``threadline import DB FILE --format gdelt`` does);
* baseline: csv.reader plus one sqlite3 ``executemany`` of the raw rows
  into a single 61-column table, in one transaction: about the fastest a
  Python program can put the file into SQLite, with no parsing at all.

The ratio is import speed / baseline speed (1.0 would be as fast).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from store.importing import import_path  # noqa: E402

SAMPLE = ROOT.parent / "shared" / "data" / "gdelt1_events_sample_20160728.tsv"
WIDEST = 61  # GDELT 2.0 columns; 1.0 rows are padded for the baseline table


def make_file(out: Path, rows: int) -> None:
    """rows lines cycled from the real sample, each with its own GLOBALEVENTID."""
    real = [line.rstrip("\n").split("\t") for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line]
    with open(out, "w", encoding="utf-8", newline="") as fh:
        for n, fields in enumerate(itertools.islice(itertools.cycle(real), rows), start=1):
            fh.write("\t".join([str(900_000_000 + n), *fields[1:]]) + "\n")


def time_import(data: Path, db_path: Path) -> float:
    started = time.perf_counter()
    report = import_path(db_path, data, "gdelt")
    elapsed = time.perf_counter() - started
    if report.skipped:
        raise SystemExit(f"the import skipped rows: {report.skipped[:3]}")
    return elapsed


def time_baseline(data: Path, db_path: Path) -> float:
    started = time.perf_counter()
    conn = sqlite3.connect(db_path)
    columns = ", ".join(f"c{i} TEXT" for i in range(WIDEST))
    conn.execute(f"CREATE TABLE raw ({columns})")
    insert = f"INSERT INTO raw VALUES ({', '.join('?' * WIDEST)})"
    with open(data, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        padded = (row + [None] * (WIDEST - len(row)) for row in reader)
        with conn:  # one transaction
            conn.executemany(insert, padded)
    conn.close()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the generated file (default 100000)")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    args = parser.parse_args(argv)
    if not SAMPLE.exists():
        raise SystemExit(f"{SAMPLE}: the real GDELT sample is needed to make the test file")
    with tempfile.TemporaryDirectory(prefix="threadline-bench-") as tmp:
        tmp = Path(tmp)
        data = tmp / "gdelt.tsv"
        make_file(data, args.rows)
        baseline_s = time_baseline(data, tmp / "baseline.db")
        import_s = time_import(data, tmp / "import.db")
    result = {
        "rows": args.rows,
        "import_s": round(import_s, 3),
        "import_rows_per_s": round(args.rows / import_s),
        "baseline_s": round(baseline_s, 3),
        "baseline_rows_per_s": round(args.rows / baseline_s),
        "ratio": round(baseline_s / import_s, 3),
    }
    print(f"{'':10} {'rows':>9} {'seconds':>9} {'rows/s':>10} {'ratio':>7}")
    print(f"{'import':10} {args.rows:>9} {import_s:>9.2f} {result['import_rows_per_s']:>10} {result['ratio']:>7.2f}")
    print(f"{'baseline':10} {args.rows:>9} {baseline_s:>9.2f} {result['baseline_rows_per_s']:>10} {1:>7.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
