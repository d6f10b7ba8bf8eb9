"""Time the demo data generator on a large data set.

Generates --leads lead records (default 1,000,000) with all related tables
into a temporary folder, then prints the wall time, the peak resident memory
of this process and the row count per table. The folder is removed
afterwards unless --keep is given.

    PYTHONPATH=src python benchmarks/bench_generate.py
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from gtm_metrics import demo


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000, help="number of lead records (default 1000000)")
    parser.add_argument("--seed", type=int, default=demo.DEFAULT_SEED, help="random seed (default %(default)s)")
    parser.add_argument("--keep", action="store_true", help="keep the generated folder and print its path")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="gtm-bench-"))
    try:
        started = time.perf_counter()
        counts = demo.generate(folder, leads=args.leads, seed=args.seed)
        elapsed = time.perf_counter() - started
        size = sum(path.stat().st_size for path in folder.glob("*.csv"))
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)

    # ru_maxrss is in kibibytes on Linux and in bytes on macOS.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_mib = peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024

    print(f"leads requested    {args.leads:,} (seed {args.seed})")
    print(f"wall time          {elapsed:.1f} s")
    print(f"peak memory (RSS)  {peak_mib:,.0f} MiB")
    print(f"files written      {size / 1024 / 1024:,.1f} MiB")
    for table, rows in counts.items():
        print(f"  {table:<28} {rows:>12,}")
    if args.keep:
        print(f"kept in {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
