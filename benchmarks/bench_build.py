"""Benchmark: generate N demo leads, load them and build the whole dbt
project, printing wall time and peak memory of each step.

Each step runs in its own child process, which reports its own peak
resident memory (ru_maxrss), so each figure is that step's alone.

    .venv/bin/python benchmarks/bench_build.py --leads 1000000
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]

STEPS = {
    "generate": "from gtm_metrics.demo import generate; import sys; from pathlib import Path; "
    "generate(Path(sys.argv[1]), leads=int(sys.argv[2]))",
    "load": "from gtm_metrics.loader import load_folder_to_duckdb; import sys; from pathlib import Path; "
    "load_folder_to_duckdb(Path(sys.argv[1]), Path(sys.argv[3]))",
    "build": "from gtm_metrics.dbt_runner import run_dbt; import sys; from pathlib import Path; "
    "run_dbt(['build', '--quiet'], database=Path(sys.argv[3]), target_path=Path(sys.argv[4]))",
}


REPORT_PEAK = "; import resource; print('PEAK_KIB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"


def run_step(name: str, argv: list[str]) -> dict:
    """Run one step in a child process and return its wall time and peak RSS."""
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-c", STEPS[name] + REPORT_PEAK, *argv], cwd=PROJECT, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout[-5000:] + completed.stderr[-5000:])
        raise SystemExit(f"step {name} failed with exit code {completed.returncode}")
    peak_kib = int(completed.stdout.rsplit("PEAK_KIB", 1)[1].split()[0])
    return {"step": name, "seconds": round(elapsed, 1), "peak_rss_mib": round(peak_kib / 1024)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--leads", type=int, default=1_000_000, help="number of demo leads to generate")
    parser.add_argument("--workdir", help="folder for the generated files and database (default: a temp folder)")
    options = parser.parse_args()

    workdir = Path(options.workdir or tempfile.mkdtemp(prefix="gtm-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    argv = [str(workdir / "input"), str(options.leads), str(workdir / "gtm.duckdb"), str(workdir / "target")]
    results = [run_step(step, argv) for step in ("generate", "load", "build")]

    print(json.dumps({
        "leads": options.leads,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "steps": results,
        "database_mib": round((workdir / "gtm.duckdb").stat().st_size / 2**20),
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
