"""The validation suite hook: expectations on the built models.

`gtm-metrics validate` and `gtm-metrics run` call run_validation_suite()
after the dbt build. The great-expectations suite plugs in here: it must
return a ValidationReport, write its report under `output_dir`, and count an
expectation that raises an error as failed, never as passed.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path

logger = logging.getLogger(__name__)

REPORT_FILE = "validation_report.json"


@dataclass
class ValidationReport:
    """Outcome of one run of the validation suite."""

    suite_available: bool
    expectations_run: int = 0
    expectations_failed: int = 0
    report_path: Path | None = None
    messages: list[str] = field(default_factory=list)

    @property
    def success(self) -> bool:
        return self.suite_available and self.expectations_failed == 0


def run_validation_suite(database: Path, output_dir: Path) -> ValidationReport:
    """Run every expectation against the models in `database` and write the
    report into `output_dir`."""
    # NOTE: no expectation suite is wired in yet, so this reports that
    # nothing was validated instead of reporting a pass.
    report = ValidationReport(
        suite_available=False,
        messages=["no validation suite is installed in this version; no expectation was checked."],
    )
    output_dir.mkdir(parents=True, exist_ok=True)
    report.report_path = output_dir / REPORT_FILE
    document = {key: value for key, value in asdict(report).items() if key != "report_path"}
    document["database"] = str(database)
    report.report_path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    logger.info("validation report written to %s", report.report_path)
    return report
