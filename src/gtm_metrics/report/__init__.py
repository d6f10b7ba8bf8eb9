"""A single self-contained HTML report of the metrics table, for sales,
marketing and leadership alike. See render_report."""

from gtm_metrics.report.render import render_report

__all__ = ["render_report"]
