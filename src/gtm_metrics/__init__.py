"""gtm_metrics: a dbt metrics layer for go-to-market teams.

The metric definitions are SQL dbt models in the project root. This package
loads input files, runs dbt and the validation suite, and exports results; it
never computes a metric itself.
"""

__version__ = "0.1.0"
