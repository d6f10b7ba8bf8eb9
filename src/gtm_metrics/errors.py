"""Exceptions raised by gtm_metrics. The command-line tool maps them to exit codes."""


class GtmMetricsError(Exception):
    """Base class of every error this package raises on purpose."""


class InputError(GtmMetricsError):
    """Raised when an input file or table breaks the input contract in a way
    that no row-level quarantine can absorb (missing file column, unreadable
    file). The message names the file, the column and what to do."""


class ChecksFailedError(GtmMetricsError):
    """Raised when dbt tests or validation expectations fail."""


class DbtInvocationError(GtmMetricsError):
    """Raised when dbt itself fails to run (compile error, database error)."""
