"""Generate the deterministic demo data set of the input contract.

`generate` writes one CSV file per contract table (see
models/staging/gtm/_gtm__sources.yml) for a fictional B2B software company
over two full years, 2024-01-01 to 2025-12-31 UTC. The same seed and lead
count always give byte-identical files: every random draw comes from one
``numpy.random.default_rng(seed)`` consumed in a fixed order, and nothing
reads the clock.

NOTE: NumPy does not promise the same random stream across its feature
releases, so a NumPy upgrade can change the files for the same seed. The
shipped demo_data/ was written with NumPy 2.4 and PyArrow 26.

Every value follows the contract syntax, so staging quarantines no row. The
data does contain the shapes real CRMs and billing systems produce:

* leads: duplicate records of one person with case and whitespace variants of
  the email, merges into a survivor (including chains C -> B -> A), missing
  emails, records without email written seconds after the person's record
  (conversion copies), deleted records, is_deleted left empty, timestamps
  written with a +01:00/+02:00 offset.
* activities that precede the lead record, and several hand-raises per lead.
* BANT qualifications recorded out of order, incomplete, or unconfirmed and
  then confirmed. Sales feedback given late, or given twice.
* opportunities without a lead or without a qualification record, deleted
  deals and merged copies, a few USD deals with an empty currency, open deals
  without probability, and stage histories with timestamp ties, regressions,
  skipped stages, reopened deals and the retired stage name "Legacy Qualify".
* subscriptions with trials, setup fees, two-year terms, discounts (one larger
  than the price, some expiring), upgrades, downgrades, cancelled add-ons,
  churn of each cancellation type, reactivation and deleted rows.

Conventions that a reader of the files needs:

* A converted trial is its own row (is_trial true) that ends at the instant
  the paid subscription starts, with status canceled and no
  cancellation_type. A trial that expired unconverted has cancellation_type
  term_end, and a trial still running at the end of the span has status
  trialing and no ended_at.
* A one_time row (setup fee) has ended_at equal to started_at.
* A two-year term is billing_interval year with interval_count 2, and its
  amount is the price of the whole term, charged once per two years.
* An upgrade or downgrade ends the old row and starts the new one at the same
  instant or a few minutes later. The old row has status canceled and no
  cancellation_type.

Run ``python -m gtm_metrics.demo --help`` for the command-line options.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

DEFAULT_LEADS = 3000
DEFAULT_SEED = 42
# Smallest size accepted. Every shape listed above appeared in each of 40
# seeds tried at 1,000 leads. Smaller sets have few customers and can miss
# some subscription and stage-history shapes.
MIN_LEADS = 100

DAY = 86_400
WEEK = 7 * DAY
MINUTE = 60


def _epoch_seconds(iso: str) -> int:
    return int(np.datetime64(iso, "s").astype(np.int64))


# All instants are integer seconds since the Unix epoch, in UTC.
SPAN_START = _epoch_seconds("2024-01-01T00:00:00")
# Exclusive end: nothing in the data happens at or after this instant.
SPAN_END = _epoch_seconds("2026-01-01T00:00:00")
SPAN_DAYS = (SPAN_END - SPAN_START) // DAY
EXCHANGE_RATES_START = _epoch_seconds("2023-12-01T00:00:00")
# Stage history entered before this instant spells Qualification as "Legacy Qualify".
LEGACY_STAGE_CUTOFF = _epoch_seconds("2024-07-01T00:00:00")
# Central European Summer Time (UTC+02:00) periods. The rest of the span is UTC+01:00.
CEST_PERIODS = (
    (_epoch_seconds("2024-03-31T01:00:00"), _epoch_seconds("2024-10-27T01:00:00")),
    (_epoch_seconds("2025-03-30T01:00:00"), _epoch_seconds("2025-10-26T01:00:00")),
)
MONTH = int(round(365.2425 / 12 * DAY))
YEAR = int(round(365.2425 * DAY))

# Column names of each contract table, in contract order. The tests check
# them against models/staging/gtm/_gtm__sources.yml.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "accounts": ("account_id", "account_name", "segment", "industry", "country", "created_at", "is_deleted"),
    "leads": (
        "lead_id", "email", "first_name", "last_name", "company", "account_id", "source_channel",
        "campaign", "lead_score", "segment", "created_at", "is_deleted", "merged_into_lead_id",
    ),
    "lead_activities": ("activity_id", "lead_id", "activity_type", "occurred_at"),
    "lead_qualifications": ("qualification_id", "lead_id", "criterion", "is_confirmed", "confirmed_by", "recorded_at"),
    "lead_feedback": ("feedback_id", "lead_id", "verdict", "reason", "recorded_by", "recorded_at"),
    "opportunities": (
        "opportunity_id", "account_id", "lead_id", "owner_id", "pipeline_id", "stage_name", "amount",
        "currency", "probability", "created_at", "close_date", "is_closed", "is_won", "loss_reason",
        "is_deleted", "merged_into_opportunity_id",
    ),
    "opportunity_stage_history": ("history_id", "opportunity_id", "stage_name", "entered_at"),
    "subscriptions": (
        "subscription_id", "account_id", "plan", "amount", "currency", "billing_interval", "interval_count",
        "discount_percent", "discount_amount", "discount_ends_at", "status", "is_trial", "started_at",
        "ended_at", "cancellation_type", "is_deleted",
    ),
    "spend": ("spend_id", "spend_month", "channel", "team", "amount", "currency"),
    "product_usage": ("event_id", "account_id", "feature", "occurred_at"),
    "exchange_rates": ("exchange_rate_id", "rate_date", "from_currency", "to_currency", "rate"),
}

# ---------------------------------------------------------------------------
# Vocabularies
# ---------------------------------------------------------------------------

SEGMENTS = ("smb", "mid_market", "enterprise")
SEGMENT_SHARES = (0.60, 0.30, 0.10)
# Relative number of people per account who become leads, by segment.
SEGMENT_LEAD_WEIGHT = (1.0, 2.5, 6.0)

COUNTRIES = ("US", "GB", "DE", "FR", "NL", "ES", "JP", "CA", "AU")
COUNTRY_NAMES = (
    "United States", "United Kingdom", "Germany", "France", "Netherlands", "Spain", "Japan", "Canada", "Australia",
)
COUNTRY_SHARES = (0.46, 0.12, 0.10, 0.06, 0.04, 0.03, 0.07, 0.07, 0.05)
CURRENCIES = ("USD", "EUR", "GBP", "JPY")
CURRENCY_DECIMALS = np.array([2, 2, 2, 0])
COUNTRY_CURRENCY = np.array([0, 2, 1, 1, 1, 1, 3, 0, 0])
CENTRAL_EUROPEAN_COUNTRIES = np.array([False, False, True, True, True, True, False, False, False])
# USD per one unit of currency, used to price deals in local currency and as
# the anchor of the exchange-rate random walk.
USD_PER_UNIT = np.array([1.0, 1.09, 1.27, 0.0068])

INDUSTRIES = (
    "Software", "Financial Services", "Healthcare", "Manufacturing", "Retail", "Education", "Media", "Logistics",
)

CHANNELS = ("paid_search", "organic", "events", "referral", "outbound", "partner")
CHANNEL_SHARES = (0.28, 0.24, 0.12, 0.08, 0.18, 0.10)
# Additive effect on the log-odds of a hand-raise.
CHANNEL_INTENT = np.array([0.3, 0.0, -0.2, 0.6, -0.4, 0.2])
CAMPAIGNS = (
    ("search_brand", "search_generic", "search_competitor"),
    ("seo_blog", "seo_docs", "newsletter"),
    ("saas_summit", "regional_roadshow", "field_dinner"),
    ("customer_referral", "advocate_program"),
    ("sdr_sequence_enterprise", "sdr_sequence_mid_market", "abm_pilot"),
    ("reseller_program", "marketplace_listing", "agency_network"),
)
# Marketing and sales cost per lead in USD, by channel.
MARKETING_COST_PER_LEAD = np.array([350.0, 80.0, 700.0, 120.0, 90.0, 250.0])
SALES_COST_PER_LEAD = np.array([60.0, 45.0, 120.0, 75.0, 450.0, 60.0])

# (display name, ASCII spelling used in email addresses)
FIRST_NAMES = (
    ("Ana", "ana"), ("Ben", "ben"), ("Chloé", "chloe"), ("David", "david"), ("Elif", "elif"), ("Farah", "farah"),
    ("Gustav", "gustav"), ("Hana", "hana"), ("Ivan", "ivan"), ("Jamal", "jamal"), ("Keiko", "keiko"),
    ("Liam", "liam"), ("Maya", "maya"), ("Nils", "nils"), ("Olu", "olu"), ("Priya", "priya"), ("Quinn", "quinn"),
    ("Rosa", "rosa"), ("Sven", "sven"), ("Tomás", "tomas"), ("Uma", "uma"), ("Victor", "victor"),
    ("Wen", "wen"), ("Xavier", "xavier"), ("Yara", "yara"), ("Zoë", "zoe"), ("Aiko", "aiko"), ("Bruno", "bruno"),
    ("Carmen", "carmen"), ("Dmitri", "dmitri"), ("Emma", "emma"), ("Finn", "finn"), ("Grace", "grace"),
    ("Hugo", "hugo"), ("Ines", "ines"), ("Jonas", "jonas"), ("Kofi", "kofi"), ("Lena", "lena"),
    ("Mateo", "mateo"), ("Nora", "nora"),
)
LAST_NAMES = (
    ("Silva", "silva"), ("Okafor", "okafor"), ("Müller", "muller"), ("Tanaka", "tanaka"), ("Kowalski", "kowalski"),
    ("Garcia", "garcia"), ("Nguyen", "nguyen"), ("Johansson", "johansson"), ("Rossi", "rossi"), ("Dubois", "dubois"),
    ("Patel", "patel"), ("O'Brien", "obrien"), ("Schmidt", "schmidt"), ("Kim", "kim"), ("Haddad", "haddad"),
    ("Novak", "novak"), ("Smith", "smith"), ("Costa", "costa"), ("Yilmaz", "yilmaz"), ("Andersen", "andersen"),
    ("Mensah", "mensah"), ("Ivanova", "ivanova"), ("Fischer", "fischer"), ("Lopez", "lopez"), ("Sato", "sato"),
    ("Brown", "brown"), ("Moreau", "moreau"), ("Bakker", "bakker"), ("Chen", "chen"), ("Walsh", "walsh"),
)
COMPANY_PREFIXES = (
    "Northwind", "Bluepeak", "Crestline", "Driftwood", "Emberly", "Foxglove", "Granite", "Harbor", "Ironleaf",
    "Juniper", "Kestrel", "Lumen", "Maplewood", "Nimbus", "Oakridge", "Pinecrest", "Quartz", "Redwood",
    "Silverline", "Tidewater", "Umber", "Vantage", "Willow", "Yellowtail", "Zephyr", "Alder", "Birchway",
    "Copperfield", "Dunmore", "Evergreen", "Fairhaven", "Goldcrest", "Highgate", "Islay", "Jasper",
    "Kingsley", "Larkspur", "Meridian", "Northgate", "Orchard",
)
COMPANY_CORES = (
    "Analytics", "Logistics", "Health", "Systems", "Robotics", "Foods", "Capital", "Learning", "Media", "Energy",
    "Labs", "Networks", "Retail", "Software", "Biotech", "Partners", "Mobility", "Security", "Studios", "Works",
)

TOUCH_TYPES = ("form_fill", "content_download", "webinar_attended", "email_click")
TOUCH_SHARES = (0.30, 0.30, 0.15, 0.25)
HAND_RAISE_TYPES = ("demo_request", "contact_sales", "pricing_request", "trial_signup")
HAND_RAISE_SHARES = (0.45, 0.20, 0.15, 0.20)
ACTIVITY_TYPES = TOUCH_TYPES + HAND_RAISE_TYPES

VERDICTS = ("accepted", "rejected", "recycled")
FEEDBACK_REASONS = ("meets_icp", "no_budget", "wrong_persona", "duplicate", "not_ready", "no_timeline")
CRITERIA = ("need", "timeline", "budget", "authority")

STAGE_NAMES = (
    "Discovery", "Qualification", "Proposal", "Negotiation", "Closed Won", "Closed Lost",  # new_business 0-5
    "Scoping", "Proposal", "Closed Won", "Closed Lost",  # expansion 6-9
    "Legacy Qualify",  # 10: the retired name of stage 1
)
LEGACY_QUALIFY = 10
PIPELINES = ("new_business", "expansion")
OPEN, WON, LOST = 0, 1, 2
LOSS_REASONS = ("price", "competitor", "no_decision", "timing")
LOSS_REASON_SHARES = (0.30, 0.30, 0.25, 0.15)
# Default win probability a CRM shows for an open deal, by stage code.
STAGE_PROBABILITY = {0: "0.1", 1: "0.2", 2: "0.5", 3: "0.75", 6: "0.2", 7: "0.6"}

# Stage paths by (pipeline, outcome). The first entry of each group is the
# ordinary path; the others are the irregular shapes. "tie" paths enter the
# last two stages at the same instant, and a path whose code 5 (Closed Lost) is
# followed by another stage is a reopened deal.
STAGE_PATHS: dict[tuple[int, int], tuple[tuple[str, tuple[int, ...], float, int], ...]] = {
    # (name, stage codes, share, minimum count)
    (0, WON): (
        ("standard", (0, 1, 2, 3, 4), 0.67, 0),
        ("tie", (0, 1, 2, 3, 4), 0.08, 1),
        ("skip", (0, 3, 4), 0.08, 1),
        ("skip_qualification", (0, 2, 3, 4), 0.05, 0),
        ("regression", (0, 1, 2, 1, 2, 3, 4), 0.07, 1),
        ("reopen", (0, 1, 2, 3, 5, 3, 4), 0.05, 1),
    ),
    (0, LOST): (
        ("at_qualification", (0, 1, 5), 0.28, 0),
        ("at_discovery", (0, 5), 0.22, 0),
        ("at_proposal", (0, 1, 2, 5), 0.25, 0),
        ("at_negotiation", (0, 1, 2, 3, 5), 0.10, 0),
        ("skip", (0, 3, 5), 0.07, 1),
        ("regression", (0, 1, 2, 1, 2, 5), 0.08, 1),
    ),
    (0, OPEN): (
        ("discovery", (0,), 0.30, 0),
        ("qualification", (0, 1), 0.25, 0),
        ("proposal", (0, 1, 2), 0.25, 0),
        ("negotiation", (0, 1, 2, 3), 0.10, 0),
        ("regression", (0, 1, 2, 1), 0.05, 1),
        ("reopen", (0, 1, 2, 5, 3), 0.05, 1),
    ),
    (1, WON): (
        ("standard", (6, 7, 8), 0.80, 0),
        ("skip", (6, 8), 0.10, 0),
        ("tie", (6, 7, 8), 0.10, 0),
    ),
    (1, LOST): (
        ("at_scoping", (6, 9), 0.5, 0),
        ("at_proposal", (6, 7, 9), 0.5, 0),
    ),
    (1, OPEN): (
        ("scoping", (6,), 0.6, 0),
        ("proposal", (6, 7), 0.4, 0),
    ),
}

PLANS = ("starter", "growth", "enterprise", "seats_addon", "setup_fee")
SEGMENT_PLAN = (0, 1, 2)
# (billing_interval, interval_count, charges per year, length of one term in seconds)
INTERVALS = (
    ("month", 1, 12.0, MONTH),
    ("year", 1, 1.0, YEAR),
    ("quarter", 1, 4.0, 3 * MONTH),
    ("week", 1, 52.0, WEEK),
    ("year", 2, 0.5, 2 * YEAR),
)
INTERVAL_SHARES_BY_SEGMENT = (
    (0.75, 0.15, 0.05, 0.05, 0.00),
    (0.45, 0.45, 0.10, 0.00, 0.00),
    (0.00, 0.80, 0.00, 0.00, 0.20),
)
CANCELLATION_TYPES = ("voluntary", "involuntary", "term_end")
# Monthly churn hazard by segment. Integrations adopters churn at ADOPTER_CHURN_FACTOR times it.
MONTHLY_CHURN_HAZARD = np.array([0.035, 0.018, 0.010])
ADOPTER_CHURN_FACTOR = 0.3

FEATURES = ("dashboards", "api", "sso", "integrations", "reports", "alerts")
FEATURE_SHARES_ADOPTER = (0.30, 0.12, 0.08, 0.20, 0.20, 0.10)
FEATURE_SHARES_OTHER = (0.375, 0.15, 0.10, 0.00, 0.25, 0.125)
WEEKLY_EVENTS_BY_SEGMENT = np.array([3.0, 5.0, 8.0])

TEAMS = ("marketing", "sales")


# ---------------------------------------------------------------------------
# Random draws and text formatting
# ---------------------------------------------------------------------------


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _pick(rng: np.random.Generator, candidates: np.ndarray, rate: float, minimum: int = 0) -> np.ndarray:
    """Choose about `rate` of `candidates`, and at least `minimum` when there are enough.

    Returns the chosen candidates sorted.
    """
    candidates = np.asarray(candidates, dtype=np.int64)
    count = int(rng.binomial(len(candidates), rate)) if len(candidates) else 0
    count = max(count, min(minimum, len(candidates)))
    return np.sort(rng.choice(candidates, size=count, replace=False))


def _draw_categories(
    rng: np.random.Generator,
    size: int,
    shares: Sequence[float],
    minimums: Sequence[int] | None = None,
) -> np.ndarray:
    """Draw category codes with the given shares.

    A category below its minimum count takes members from category 0, so a
    rare shape appears even in a small data set.
    """
    shares = np.asarray(shares, dtype=float)
    codes = rng.choice(len(shares), size=size, p=shares / shares.sum())
    for code, minimum in enumerate(minimums or ()):
        shortfall = minimum - int(np.count_nonzero(codes == code))
        if code == 0 or shortfall <= 0:
            continue
        donors = np.flatnonzero(codes == 0)
        codes[rng.choice(donors, size=min(shortfall, len(donors)), replace=False)] = code
    return codes


def _id_text(prefix: str, count: int, width: int = 6) -> pa.Array:
    """Return identifiers prefix000001, prefix000002, ... widened when count needs more digits."""
    width = max(width, len(str(count)))
    numbers = pc.cast(pa.array(np.arange(1, count + 1, dtype=np.int64)), pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(numbers, width, "0"), "")


def _lookup_text(choices: Sequence[str], codes: np.ndarray) -> pa.Array:
    """Map integer codes to text. Code -1 becomes null, which is written as an empty field."""
    codes = np.asarray(codes, dtype=np.int64)
    indices = pa.array(codes, mask=codes < 0, type=pa.int64())
    return pc.take(pa.array(list(choices), pa.string()), indices)


def _null_where(text: pa.Array, missing: np.ndarray) -> pa.Array:
    return pc.if_else(pa.array(np.asarray(missing, dtype=bool)), pa.scalar(None, pa.string()), text)


def _timestamp_text(seconds: np.ndarray, offset_seconds: np.ndarray | None = None) -> pa.Array:
    """Format epoch seconds as ISO 8601: 2024-07-01T09:30:00Z, or local time with +01:00/+02:00."""
    seconds = np.asarray(seconds, dtype=np.int64)
    if offset_seconds is None:
        local = seconds
        suffix: pa.Array | str = "Z"
    else:
        local = seconds + offset_seconds
        suffix = _lookup_text(("Z", "+01:00", "+02:00"), offset_seconds // 3600)
    text = pc.cast(pa.array(local.astype("datetime64[s]")), pa.string())
    text = pc.replace_substring(text, " ", "T", max_replacements=1)
    return pc.binary_join_element_wise(text, suffix, "")


def _date_text(seconds: np.ndarray) -> pa.Array:
    days = (np.asarray(seconds, dtype=np.int64) // DAY).astype("datetime64[D]")
    return pc.cast(pa.array(days), pa.string())


def _integer_text(values: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(np.asarray(values, dtype=np.int64)), pa.string())


def _boolean_text(values: np.ndarray) -> pa.Array:
    return _lookup_text(("false", "true"), np.asarray(values, dtype=np.int64))


def _money_text(minor_units: np.ndarray, currency: np.ndarray) -> list[str | None]:
    """Format amounts kept in minor units (cents, or whole yen) as plain decimals. An amount of -1 becomes null."""
    decimals = CURRENCY_DECIMALS[currency]
    text: list[str | None] = []
    for amount, places in zip(minor_units.tolist(), decimals.tolist()):
        if amount < 0:
            text.append(None)
        elif places == 0:
            text.append(str(amount))
        else:
            text.append(f"{amount // 100}.{amount % 100:02d}")
    return text


def _central_european_offset(seconds: np.ndarray) -> np.ndarray:
    """Return the UTC offset in seconds of Central European time at each instant."""
    offset = np.full(len(seconds), 3600, dtype=np.int64)
    for summer_start, summer_end in CEST_PERIODS:
        offset[(seconds >= summer_start) & (seconds < summer_end)] = 7200
    return offset


def _group_positions(group_sizes: np.ndarray) -> np.ndarray:
    """Return 0, 1, ... within each consecutive group of the given sizes."""
    total = int(group_sizes.sum())
    starts = np.repeat(np.cumsum(group_sizes) - group_sizes, group_sizes)
    return np.arange(total, dtype=np.int64) - starts


# ---------------------------------------------------------------------------
# Accounts and leads
# ---------------------------------------------------------------------------


def _generate_account_attributes(rng: np.random.Generator, n_accounts: int) -> dict[str, np.ndarray]:
    segment = rng.choice(3, size=n_accounts, p=SEGMENT_SHARES)
    country = rng.choice(len(COUNTRIES), size=n_accounts, p=COUNTRY_SHARES)
    lead_weight = np.asarray(SEGMENT_LEAD_WEIGHT)[segment] * rng.lognormal(0.0, 0.5, n_accounts)
    return {
        "segment": segment,
        "country": country,
        "currency": COUNTRY_CURRENCY[country],
        "industry": rng.integers(0, len(INDUSTRIES), n_accounts),
        "lead_weight": lead_weight,
        "name_order": rng.permutation(n_accounts),
    }


def _sample_lead_created(rng: np.random.Generator, n_leads: int) -> np.ndarray:
    """Draw lead creation instants: growing volume, quiet weekends, a dip in August and late December."""
    day = np.arange(SPAN_DAYS)
    dates = (SPAN_START // DAY + day).astype("datetime64[D]")
    weekday = (dates.astype(np.int64) + 3) % 7  # 0 is Monday, because 1970-01-01 was a Thursday
    month = dates.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day_of_month = (dates - dates.astype("datetime64[M]")).astype(np.int64) + 1
    weight = (1.0 + 0.6 * day / SPAN_DAYS) * np.where(weekday >= 5, 0.3, 1.0)
    weight *= np.where(month == 8, 0.8, 1.0) * np.where((month == 12) & (day_of_month > 15), 0.6, 1.0)
    chosen_day = rng.choice(SPAN_DAYS, size=n_leads, p=weight / weight.sum())
    time_of_day = np.clip(rng.normal(14.5 * 3600, 3.2 * 3600, n_leads), 0, DAY - 1).astype(np.int64)
    return np.sort(SPAN_START + chosen_day * DAY + time_of_day)


def _generate_leads(rng: np.random.Generator, n_leads: int, accounts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Draw lead records in creation order, with duplicates of earlier records and merges.

    A duplicate is a later record of the same person. `person` is the row
    of the person's first record, and person attributes (name, account,
    intent) are read through it. A conversion copy is a record without email
    that the CRM writes seconds after the person's record; it is never merged.
    """
    rows = np.arange(n_leads)
    n_copies = max(2, int(round(n_leads * 0.015)))
    base_created = _sample_lead_created(rng, n_leads - n_copies)
    copied = rng.choice(n_leads - n_copies, size=n_copies, replace=False)
    unordered = np.concatenate([base_created, base_created[copied] + rng.integers(1, 60, n_copies)])
    order = np.argsort(unordered, kind="stable")
    created = unordered[order]
    position = np.empty(n_leads, dtype=np.int64)
    position[order] = rows
    copy_rows = position[n_leads - n_copies:]
    copy_source = np.full(n_leads, -1, dtype=np.int64)
    copy_source[copy_rows] = position[copied]
    is_copy = copy_source >= 0
    is_copy_source = np.zeros(n_leads, dtype=bool)
    is_copy_source[copy_source[is_copy]] = True

    candidates = rows[1:][~is_copy[1:] & ~is_copy_source[1:]]
    n_duplicates = min(int(round(n_leads * 0.06)), len(candidates))
    duplicate_rows = np.sort(rng.choice(candidates, size=n_duplicates, replace=False))
    duplicate_of = (rng.random(n_duplicates) * duplicate_rows).astype(np.int64)
    duplicate_of = np.where(is_copy[duplicate_of], copy_source[duplicate_of], duplicate_of)
    merged = rng.random(n_duplicates) < 0.6
    # Chains: a duplicate merged into an earlier duplicate that was itself merged.
    chain_positions = _pick(rng, np.arange(1, n_duplicates), 0.12, minimum=2)
    chain_targets = (rng.random(len(chain_positions)) * chain_positions).astype(np.int64)
    duplicate_of[chain_positions] = duplicate_rows[chain_targets]
    merged[chain_positions] = True
    merged[chain_targets] = True

    person = rows.copy()
    person[duplicate_rows] = duplicate_of
    person[is_copy] = copy_source[is_copy]
    while True:
        resolved = person[person]
        if np.array_equal(resolved, person):
            break
        person = resolved
    merged_into = np.full(n_leads, -1, dtype=np.int64)
    merged_into[duplicate_rows[merged]] = duplicate_of[merged]

    # CRMs usually delete the losing record of a merge, but not always.
    deleted = np.zeros(n_leads, dtype=bool)
    deleted[duplicate_rows[merged]] = rng.random(int(merged.sum())) < 0.5
    merge_targets = np.zeros(n_leads, dtype=bool)
    merge_targets[merged_into[merged_into >= 0]] = True
    spam_candidates = np.flatnonzero((person == rows) & ~merge_targets & ~is_copy_source)
    spam = _pick(rng, spam_candidates, 0.015, minimum=1)
    deleted[spam] = True
    # Duplicates get their email spelling in _build_leads_table. Conversion copies have none.
    email_missing = is_copy | ((person == rows) & ~is_copy_source & (rng.random(n_leads) < 0.03))

    lead_weight = accounts["lead_weight"]
    account = rng.choice(len(lead_weight), size=n_leads, p=lead_weight / lead_weight.sum())[person]
    intent = rng.normal(0.0, 1.0, n_leads)[person]
    first_name = rng.integers(0, len(FIRST_NAMES), n_leads)[person]
    last_name = rng.integers(0, len(LAST_NAMES), n_leads)[person]
    channel = rng.choice(len(CHANNELS), size=n_leads, p=CHANNEL_SHARES)
    score = np.clip(np.round(50 + 16 * intent + rng.normal(0, 8, n_leads)), 0, 100).astype(np.int64)
    # Leads of Central European accounts come from a form tool that writes local time with an offset.
    local_time = CENTRAL_EUROPEAN_COUNTRIES[accounts["country"][account]] & (rng.random(n_leads) < 0.4)

    return {
        "created": created,
        "person": person,
        "is_duplicate": person != rows,
        "duplicate_rows": duplicate_rows,
        "is_copy": is_copy,
        "merged_into": merged_into,
        "deleted": deleted,
        "spam": np.isin(rows, spam),
        "email_missing": email_missing,
        "account": account,
        "intent": intent,
        "first_name": first_name,
        "last_name": last_name,
        "channel": channel,
        "score": score,
        "local_time": local_time,
    }


def _email_variant(email: str, variant: int) -> str | None:
    """Return how a duplicate record spells its person's email."""
    local, domain = email.split("@")
    if variant == 1:
        return f"{local.capitalize()}@{domain.capitalize()}"
    if variant == 2:
        return email.upper()
    if variant == 3:
        return f" {email} "
    if variant == 4:
        return f" {local.capitalize()}@{domain.capitalize()} "
    if variant == 5:
        return None
    return email


def _build_leads_table(
    rng: np.random.Generator,
    leads: dict[str, np.ndarray],
    accounts: dict[str, np.ndarray],
    account_ids: pa.Array,
    account_names: pa.Array,
) -> dict[str, pa.Array]:
    n_leads = len(leads["created"])
    person = leads["person"]

    first_slug = pc.take(pa.array([slug for _, slug in FIRST_NAMES]), pa.array(leads["first_name"]))
    last_slug = pc.take(pa.array([slug for _, slug in LAST_NAMES]), pa.array(leads["last_name"]))
    email = pc.binary_join_element_wise(
        first_slug, ".", last_slug, _integer_text(person + 1), "@example.test", ""
    )
    duplicate_rows = leads["duplicate_rows"]
    # 0 same text, 1 capitalised, 2 upper case, 3 padded with spaces, 4 capitalised and padded, 5 missing
    variants = _draw_categories(rng, len(duplicate_rows), (0.35, 0.20, 0.10, 0.15, 0.10, 0.10), (0, 1, 1, 1, 1, 1))
    duplicate_emails = pc.take(email, pa.array(duplicate_rows)).to_pylist()
    replacements = [_email_variant(text, int(code)) for text, code in zip(duplicate_emails, variants)]
    is_duplicate = np.zeros(n_leads, dtype=bool)
    is_duplicate[duplicate_rows] = True
    email = pc.replace_with_mask(email, pa.array(is_duplicate), pa.array(replacements, pa.string()))
    email = _null_where(email, leads["email_missing"])

    last_name = _null_where(
        _lookup_text([name for name, _ in LAST_NAMES], leads["last_name"]), rng.random(n_leads)[person] < 0.01
    )

    account = leads["account"]
    company = pc.take(account_names, pa.array(account))
    # 0 as the account, 1 lower case, 2 with a legal suffix, 3 missing
    company_variant = rng.choice(4, size=n_leads, p=(0.92, 0.04, 0.02, 0.02))
    company = pc.if_else(pa.array(company_variant == 1), pc.utf8_lower(company), company)
    company = pc.if_else(pa.array(company_variant == 2), pc.binary_join_element_wise(company, " Inc.", ""), company)
    company = _null_where(company, company_variant == 3)

    account_linked = rng.random(n_leads) < 0.85
    channel = leads["channel"]
    campaign_count = np.array([len(names) for names in CAMPAIGNS])
    campaign_offset = np.cumsum(campaign_count) - campaign_count
    campaign = campaign_offset[channel] + (rng.random(n_leads) * campaign_count[channel]).astype(np.int64)
    campaign[(channel == CHANNELS.index("organic")) & (rng.random(n_leads) < 0.3)] = -1
    all_campaigns = [name for names in CAMPAIGNS for name in names]

    segment = accounts["segment"][account].copy()
    segment[rng.random(n_leads) < 0.05] = -1
    score_missing = rng.random(n_leads) < 0.04

    offset = np.where(leads["local_time"], _central_european_offset(leads["created"]), 0)

    # Records imported from an older CRM leave is_deleted empty.
    deleted_code = np.where(leads["deleted"], 1, np.where(rng.random(n_leads) < 0.1, -1, 0))
    merged_into = leads["merged_into"]
    lead_ids = _id_text("L", n_leads, 7)

    return {
        "lead_id": lead_ids,
        "email": email,
        "first_name": _lookup_text([name for name, _ in FIRST_NAMES], leads["first_name"]),
        "last_name": last_name,
        "company": company,
        "account_id": _null_where(pc.take(account_ids, pa.array(account)), ~account_linked),
        "source_channel": _lookup_text(CHANNELS, channel),
        "campaign": _lookup_text(all_campaigns, campaign),
        "lead_score": _null_where(_integer_text(leads["score"]), score_missing),
        "segment": _lookup_text(SEGMENTS, segment),
        "created_at": _timestamp_text(leads["created"], offset),
        "is_deleted": _lookup_text(("false", "true"), deleted_code),
        "merged_into_lead_id": _null_where(pc.take(lead_ids, pa.array(np.maximum(merged_into, 0))), merged_into < 0),
    }


def _account_names(accounts: dict[str, np.ndarray]) -> pa.Array:
    """Return a unique synthetic company name per account, such as "Granite Robotics"."""
    order = accounts["name_order"]
    combinations = len(COMPANY_PREFIXES) * len(COMPANY_CORES)
    names = []
    for position in order.tolist():
        prefix = COMPANY_PREFIXES[position % len(COMPANY_PREFIXES)]
        core = COMPANY_CORES[(position // len(COMPANY_PREFIXES)) % len(COMPANY_CORES)]
        round_number = position // combinations
        names.append(f"{prefix} {core}" if round_number == 0 else f"{prefix} {core} {round_number + 1}")
    return pa.array(names, pa.string())


# ---------------------------------------------------------------------------
# Funnel: activities, feedback, qualifications
# ---------------------------------------------------------------------------


def _generate_activities(rng: np.random.Generator, leads: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Draw marketing touches and hand-raises per lead.

    Returns the activity rows in time order, and per lead the instant and
    type of its first hand-raise (-1 for none).
    """
    n_leads = len(leads["created"])
    created = leads["created"]
    intent = leads["intent"]

    raises_hand = rng.random(n_leads) < _sigmoid(-1.55 + 0.9 * intent + CHANNEL_INTENT[leads["channel"]])
    raises_hand &= ~leads["spam"] & ~leads["is_copy"]
    at_creation = rng.random(n_leads) < 0.45
    delay = np.where(at_creation, rng.integers(0, 300, n_leads), rng.exponential(12 * DAY, n_leads).astype(np.int64))
    hand_raise_at = created + delay
    hand_raise_type = rng.choice(len(HAND_RAISE_TYPES), size=n_leads, p=HAND_RAISE_SHARES)

    # A trial started shortly before the span ends, so one trial is still running at its end.
    recent = np.flatnonzero((created >= SPAN_END - 10 * DAY) & ~leads["is_duplicate"] & ~leads["deleted"])
    if len(recent):
        latest = recent[-1]
        raises_hand[latest] = True
        hand_raise_at[latest] = created[latest] + 120
        hand_raise_type[latest] = HAND_RAISE_TYPES.index("trial_signup")

    hand_raisers = np.flatnonzero(raises_hand)
    repeat_count = np.where(rng.random(len(hand_raisers)) < 0.15, 1 + (rng.random(len(hand_raisers)) < 0.35), 0)
    repeat_lead = np.repeat(hand_raisers, repeat_count)
    repeat_at = hand_raise_at[repeat_lead] + rng.exponential(25 * DAY, len(repeat_lead)).astype(np.int64) + 3600
    repeat_type = rng.choice(len(HAND_RAISE_TYPES), size=len(repeat_lead), p=HAND_RAISE_SHARES)

    touch_count = np.where(leads["is_copy"], 0, rng.poisson(1.4, n_leads))
    touch_lead = np.repeat(np.arange(n_leads), touch_count)
    touch_at = created[touch_lead] + rng.exponential(40 * DAY, len(touch_lead)).astype(np.int64) + 60
    touch_type = rng.choice(len(TOUCH_TYPES), size=len(touch_lead), p=TOUCH_SHARES)

    # Touches recorded before the lead record existed, such as a webinar attended before an import.
    early_lead = _pick(rng, np.flatnonzero(~leads["is_copy"]), 0.03, minimum=1)
    early_at = created[early_lead] - rng.integers(3600, 20 * DAY, len(early_lead))
    early_type = rng.choice(3, size=len(early_lead), p=(0.3, 0.3, 0.4))  # form_fill, content_download, webinar

    lead = np.concatenate([hand_raisers, repeat_lead, touch_lead, early_lead])
    occurred = np.concatenate([hand_raise_at[hand_raisers], repeat_at, touch_at, early_at])
    kind = np.concatenate([
        len(TOUCH_TYPES) + hand_raise_type[hand_raisers],
        len(TOUCH_TYPES) + repeat_type,
        touch_type,
        early_type,
    ])
    kept = occurred < SPAN_END
    order = np.lexsort((lead[kept], occurred[kept]))

    first_hand_raise = np.full(n_leads, -1, dtype=np.int64)
    recorded = hand_raisers[hand_raise_at[hand_raisers] < SPAN_END]
    first_hand_raise[recorded] = hand_raise_at[recorded]
    first_type = np.where(first_hand_raise >= 0, hand_raise_type, -1)
    return {
        "lead": lead[kept][order],
        "occurred": occurred[kept][order],
        "type": kind[kept][order],
        "first_hand_raise": first_hand_raise,
        "first_hand_raise_type": first_type,
    }


def _feedback_delay(rng: np.random.Generator, size: int, late_rate: float) -> np.ndarray:
    """Draw the time sales takes to give a verdict: mostly hours, a late share days to weeks."""
    prompt = np.clip(rng.lognormal(np.log(5 * 3600), 0.9, size), 300, 47 * 3600)
    late = np.zeros(size, dtype=bool)
    late[_pick(rng, np.arange(size), late_rate, minimum=1)] = True
    return np.where(late, rng.uniform(50 * 3600, 20 * DAY, size), prompt).astype(np.int64)


def _generate_feedback(
    rng: np.random.Generator, leads: dict[str, np.ndarray], activities: dict[str, np.ndarray], n_sdrs: int
) -> dict[str, np.ndarray]:
    """Draw sales verdicts on hand-raised leads; recycled leads may get a second verdict later."""
    handed_off = np.flatnonzero(activities["first_hand_raise"] >= 0)
    handed_off = handed_off[rng.random(len(handed_off)) < 0.92]
    size = len(handed_off)
    intent = leads["intent"][handed_off]

    accepted = rng.random(size) < _sigmoid(0.15 + 0.9 * intent)
    verdict = np.where(accepted, 0, np.where(rng.random(size) < 0.6, 1, 2))
    reason = np.where(
        verdict == 0,
        np.where(rng.random(size) < 0.3, 0, -1),
        np.where(verdict == 1, rng.choice([1, 2], size=size), rng.choice([4, 5], size=size, p=(0.7, 0.3))),
    )
    duplicate = leads["is_duplicate"][handed_off] & (rng.random(size) < 0.7)
    verdict[duplicate] = 1
    reason[duplicate] = FEEDBACK_REASONS.index("duplicate")
    recorded = activities["first_hand_raise"][handed_off] + _feedback_delay(rng, size, 0.12)

    recycled = np.flatnonzero((verdict == 2) & (recorded < SPAN_END - 130 * DAY))
    second = _pick(rng, recycled, 0.25, minimum=1)
    second_verdict = np.where(rng.random(len(second)) < 0.6, 0, 1)
    second_reason = np.where(second_verdict == 0, -1, FEEDBACK_REASONS.index("no_budget"))
    second_recorded = recorded[second] + rng.integers(30 * DAY, 120 * DAY, len(second))

    lead = np.concatenate([handed_off, handed_off[second]])
    verdicts = np.concatenate([verdict, second_verdict])
    reasons = np.concatenate([reason, second_reason])
    recorded_at = np.concatenate([recorded, second_recorded])
    kept = recorded_at < SPAN_END
    order = np.lexsort((lead[kept], recorded_at[kept]))

    never = np.iinfo(np.int64).max
    accepted_at = np.full(len(leads["created"]), never, dtype=np.int64)
    accepting = kept & (verdicts == 0)
    np.minimum.at(accepted_at, lead[accepting], recorded_at[accepting])
    accepted_at[accepted_at == never] = -1
    return {
        "lead": lead[kept][order],
        "verdict": verdicts[kept][order],
        "reason": reasons[kept][order],
        "recorded_by": rng.integers(0, n_sdrs, int(kept.sum())),
        "recorded": recorded_at[kept][order],
        "accepted_at": accepted_at,
    }


def _generate_qualifications(
    rng: np.random.Generator, accepted_at: np.ndarray, n_reps: int
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Draw BANT rows for accepted leads.

    Returns the rows and, per lead, the instant its opportunity is created
    (-1 for none). Kinds: 0 no record, 1 all four confirmed, 2 three of four, 3 one criterion
    unconfirmed, 4 one criterion first unconfirmed and confirmed later.
    """
    accepted = np.flatnonzero(accepted_at >= 0)
    size = len(accepted)
    kind = _draw_categories(rng, size, (0.18, 0.50, 0.12, 0.08, 0.12), (0, 1, 1, 1, 1))
    start = accepted_at[accepted]
    recorded = start[:, None] + rng.exponential(4 * DAY, (size, 4)).astype(np.int64) + 600
    odd_criterion = rng.integers(0, 4, size)
    confirmed = np.ones((size, 4), dtype=bool)
    present = np.repeat((kind > 0)[:, None], 4, axis=1)
    rows = np.arange(size)
    present[rows[kind == 2], odd_criterion[kind == 2]] = False
    confirmed[rows[kind == 3], odd_criterion[kind == 3]] = False

    lead = np.repeat(accepted, 4)[present.ravel()]
    criterion = np.tile(np.arange(4), size)[present.ravel()]
    is_confirmed = confirmed.ravel()[present.ravel()]
    at = recorded.ravel()[present.ravel()]

    reconfirmed = rows[kind == 4]
    first_look = start[reconfirmed] + (
        (recorded[reconfirmed, odd_criterion[reconfirmed]] - start[reconfirmed]) * rng.uniform(0.2, 0.6, len(reconfirmed))
    ).astype(np.int64)
    lead = np.concatenate([lead, accepted[reconfirmed]])
    criterion = np.concatenate([criterion, odd_criterion[reconfirmed]])
    is_confirmed = np.concatenate([is_confirmed, np.zeros(len(reconfirmed), dtype=bool)])
    at = np.concatenate([at, first_look])

    kept = at < SPAN_END
    order = np.lexsort((criterion[kept], lead[kept], at[kept]))

    # Opportunity creation: likely after a complete BANT, rare after an
    # incomplete one, and sometimes with no qualification record at all.
    complete = (kind == 1) | (kind == 4)
    last_recorded = recorded.max(axis=1)
    creates = np.where(complete, rng.random(size) < 0.85, rng.random(size) < 0.08)
    without_record = _pick(rng, rows[(kind == 0) & (start < SPAN_END - 30 * DAY)], 0.15, minimum=1)
    creates[rows[kind == 0]] = False
    creates[without_record] = True
    opportunity_at = np.where(
        kind == 0,
        start + rng.exponential(4 * DAY, size).astype(np.int64) + 3600,
        last_recorded + rng.exponential(2 * DAY, size).astype(np.int64) + 3600,
    )
    opportunity_created = np.full(len(accepted_at), -1, dtype=np.int64)
    creating = creates & (opportunity_at < SPAN_END - DAY)
    opportunity_created[accepted[creating]] = opportunity_at[creating]

    qualifications = {
        "lead": lead[kept][order],
        "criterion": criterion[kept][order],
        "is_confirmed": is_confirmed[kept][order],
        "confirmed_by": rng.integers(0, n_reps, int(kept.sum())),
        "recorded": at[kept][order],
    }
    return qualifications, opportunity_created


# ---------------------------------------------------------------------------
# Opportunities
# ---------------------------------------------------------------------------


def _deal_value_usd(rng: np.random.Generator, segment: np.ndarray) -> np.ndarray:
    """Draw an annual contract value in USD by segment."""
    median = np.array([7_000.0, 30_000.0, 110_000.0])[segment]
    return median * rng.lognormal(0.0, 0.5, len(segment))


def _to_minor_units(usd: np.ndarray, currency: np.ndarray, step: float) -> np.ndarray:
    """Convert USD to minor units of `currency`, rounded to a multiple of `step` major units."""
    local = usd / USD_PER_UNIT[currency]
    step_local = np.where(currency == CURRENCIES.index("JPY"), step * 100, step)
    rounded = np.maximum(np.round(local / step_local), 1) * step_local
    return np.round(rounded * 10.0 ** CURRENCY_DECIMALS[currency]).astype(np.int64)


def _new_business_opportunities(
    rng: np.random.Generator,
    leads: dict[str, np.ndarray],
    accounts: dict[str, np.ndarray],
    account_created: np.ndarray,
    opportunity_created: np.ndarray,
    n_reps: int,
) -> dict[str, np.ndarray]:
    """Draw new_business opportunities from qualified leads plus some sourced by sales without a lead."""
    from_lead = np.flatnonzero(opportunity_created >= 0)
    lead_account = leads["account"][from_lead]

    n_outbound = max(4, int(round(len(from_lead) * 0.12)))
    outbound_weight = accounts["lead_weight"] * np.array([0.3, 1.0, 2.0])[accounts["segment"]]
    outbound_account = rng.choice(len(outbound_weight), size=n_outbound, p=outbound_weight / outbound_weight.sum())
    # Sales works at least one account of every currency, so each currency has deals.
    for currency in range(len(CURRENCIES)):
        if np.any(accounts["currency"][np.concatenate([lead_account, outbound_account])] == currency):
            continue
        eligible = np.flatnonzero((accounts["currency"] == currency) & (account_created < SPAN_END - 90 * DAY))
        if len(eligible):
            outbound_account[currency] = rng.choice(eligible)
    earliest = np.maximum(account_created[outbound_account] + DAY, SPAN_START)
    outbound_created = (earliest + rng.random(n_outbound) * (SPAN_END - 2 * DAY - earliest)).astype(np.int64)
    usable = outbound_created > earliest
    outbound_account = outbound_account[usable]
    outbound_created = outbound_created[usable]

    account = np.concatenate([lead_account, outbound_account])
    lead = np.concatenate([from_lead, np.full(len(outbound_account), -1)])
    created = np.concatenate([opportunity_created[from_lead], outbound_created])
    intent = np.concatenate([leads["intent"][from_lead], rng.normal(0.0, 1.0, len(outbound_account))])
    size = len(account)
    segment = accounts["segment"][account]

    cycle = np.array([35.0, 65.0, 105.0])[segment] * DAY * rng.lognormal(0.0, 0.35, size)
    planned_close = created + cycle.astype(np.int64)
    closes = planned_close < SPAN_END
    stale = np.zeros(size, dtype=bool)
    stale[_pick(rng, np.flatnonzero(closes), 0.04, minimum=1)] = True
    closes &= ~stale
    wins = rng.random(size) < _sigmoid(-1.8 + 0.7 * intent + np.array([0.1, 0.0, -0.2])[segment])
    outcome = np.where(closes, np.where(wins, WON, LOST), OPEN)
    lost_fraction = rng.uniform(0.35, 1.0, size)
    final = np.where(outcome == LOST, created + (cycle * lost_fraction).astype(np.int64), planned_close)

    # One won new_business deal per account: a later win at the same account is recorded as lost.
    won = np.flatnonzero(outcome == WON)
    won = won[np.lexsort((won, final[won]))]
    _, first_positions = np.unique(account[won], return_index=True)
    later_wins = np.setdiff1d(won, won[first_positions])
    outcome[later_wins] = LOST

    currency = accounts["currency"][account]
    amount = _to_minor_units(_deal_value_usd(rng, segment), currency, 10.0)
    return {
        "account": account,
        "lead": lead,
        "pipeline": np.zeros(size, dtype=np.int64),
        "created": created,
        "final": final,
        "planned_close": planned_close,
        "outcome": outcome,
        "amount": amount,
        "currency": currency,
        "owner": rng.integers(0, n_reps, size),
    }


def _assign_stage_paths(
    rng: np.random.Generator, pipeline: np.ndarray, outcome: np.ndarray, created: np.ndarray, is_copy: np.ndarray
) -> tuple[list[tuple[int, ...]], np.ndarray, np.ndarray]:
    """Choose a stage path per opportunity.

    Returns the list of paths, which of them are ties, and each
    opportunity's path number. A merged copy was entered by mistake and only ever sat in Discovery.
    """
    path_codes: list[tuple[int, ...]] = []
    path_is_tie: list[bool] = []
    path_number = np.full(len(pipeline), -1, dtype=np.int64)
    for (pipe, result), paths in STAGE_PATHS.items():
        members = np.flatnonzero((pipeline == pipe) & (outcome == result) & ~is_copy)
        shares = [share for _, _, share, _ in paths]
        minimums = [minimum for _, _, _, minimum in paths]
        choice = _draw_categories(rng, len(members), shares, minimums)
        if result == OPEN:
            # A deal opened in the last ten days is still in its first stage.
            choice[created[members] >= SPAN_END - 10 * DAY] = 0
        path_number[members] = len(path_codes) + choice
        for name, codes, _, _ in paths:
            path_codes.append(codes)
            path_is_tie.append(name == "tie")
    path_number[is_copy] = path_codes.index((0,))
    return path_codes, np.array(path_is_tie), path_number


def _stage_history(
    rng: np.random.Generator,
    created: np.ndarray,
    final: np.ndarray,
    path_codes: list[tuple[int, ...]],
    path_is_tie: np.ndarray,
    path_number: np.ndarray,
) -> dict[str, np.ndarray]:
    """Spread each opportunity's path between its creation and its last stage entry.

    The first stage is entered at creation and the last one at `final`. A tie
    path enters its last stage at the same instant as the one before, and a
    reopened deal waits longer after Closed Lost.
    """
    lengths = np.array([len(codes) for codes in path_codes])[path_number]
    offsets = np.cumsum([0] + [len(codes) for codes in path_codes])
    flat_codes = np.array([code for codes in path_codes for code in codes])
    opportunity = np.repeat(np.arange(len(created)), lengths)
    position = _group_positions(lengths)
    code = flat_codes[offsets[path_number][opportunity] + position]

    step = rng.exponential(1.0, len(code))
    step[position == 0] = 0.0
    previous_code = np.concatenate([[-1], code[:-1]])
    step[(previous_code == 5) & (position > 0)] *= 4.0
    is_last = position == lengths[opportunity] - 1
    step[is_last & path_is_tie[path_number][opportunity]] = 0.0
    elapsed = np.cumsum(step)
    group_start = np.repeat(np.cumsum(lengths) - lengths, lengths)
    elapsed -= elapsed[group_start]  # the first step of each group is 0
    total = np.bincount(opportunity, weights=step, minlength=len(created))
    fraction = np.divide(elapsed, total[opportunity], out=np.zeros_like(elapsed), where=total[opportunity] > 0)
    entered = created[opportunity] + np.floor(fraction * (final - created)[opportunity]).astype(np.int64)
    # Pin the last entry, and the one tied with it, to `final` exactly despite float rounding.
    entered[is_last & (lengths[opportunity] > 1)] = final[opportunity][is_last & (lengths[opportunity] > 1)]
    tied_last = np.flatnonzero(is_last & path_is_tie[path_number][opportunity])
    entered[tied_last - 1] = entered[tied_last]

    name = code.copy()
    name[(code == 1) & (entered < LEGACY_STAGE_CUTOFF)] = LEGACY_QUALIFY
    return {"opportunity": opportunity, "stage": name, "entered": entered, "last_code": code[is_last]}


def _merged_copies(rng: np.random.Generator, opportunities: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Draw duplicate opportunities entered by mistake and merged into a survivor."""
    candidates = np.flatnonzero((opportunities["pipeline"] == 0) & (opportunities["created"] < SPAN_END - 5 * DAY))
    survivor = _pick(rng, candidates, 0.02, minimum=1)
    size = len(survivor)
    created = opportunities["created"][survivor] + rng.integers(600, 3 * DAY, size)
    copy = {key: values[survivor].copy() for key, values in opportunities.items()}
    copy["created"] = created
    copy["final"] = created
    copy["planned_close"] = np.maximum(opportunities["planned_close"][survivor], created + DAY)
    copy["outcome"] = np.full(size, OPEN)
    copy["merged_into"] = survivor
    copy["deleted"] = rng.random(size) < 0.8
    return copy


def _concatenate(parts: Sequence[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    return {key: np.concatenate([part[key] for part in parts]) for key in parts[0]}


# ---------------------------------------------------------------------------
# Subscriptions
# ---------------------------------------------------------------------------


class _CustomerLedger:
    """Rows produced while customers are simulated one by one.

    `subscriptions` contains subscription columns, `usage` the intervals in
    which an account had the product, and `expansions` the expansion
    opportunities that upgrades and add-ons imply.
    """

    SUBSCRIPTION_COLUMNS = (
        "account", "plan", "amount", "currency", "interval", "discount_percent", "discount_amount",
        "discount_ends", "status", "is_trial", "started", "ended", "cancellation", "deleted",
    )

    def __init__(self) -> None:
        self.subscriptions: dict[str, list] = {name: [] for name in self.SUBSCRIPTION_COLUMNS}
        self.usage: dict[str, list] = {"account": [], "start": [], "end": [], "churned": []}
        self.expansions: dict[str, list] = {"customer": [], "created": [], "final": [], "outcome": [], "amount": []}

    def add_subscription(self, **values) -> None:
        """Append one subscription row. Columns not given are null, except is_trial and deleted, which default to false."""
        values.setdefault("is_trial", False)
        values.setdefault("deleted", False)
        for name in self.SUBSCRIPTION_COLUMNS:
            self.subscriptions[name].append(values.get(name))

    def add_usage(self, account: int, start: int, end: int, churned: bool = False) -> None:
        self.usage["account"].append(account)
        self.usage["start"].append(start)
        self.usage["end"].append(end)
        self.usage["churned"].append(churned)

    def add_expansion(self, customer: int, created: int, final: int, outcome: int, amount: int) -> None:
        self.expansions["customer"].append(customer)
        self.expansions["created"].append(created)
        self.expansions["final"].append(final)
        self.expansions["outcome"].append(outcome)
        self.expansions["amount"].append(amount)


def _snap_to_term(start: int, instant: int, term: int) -> int:
    """Return the first term boundary (start + k * term) at or after `instant`."""
    terms = max(1, -(-(instant - start) // term))
    return start + terms * term


def _draw_intervals(rng: np.random.Generator, segment: np.ndarray) -> np.ndarray:
    """Draw each customer's billing interval code; every interval appears once there are enough customers."""
    interval = np.zeros(len(segment), dtype=np.int64)
    for seg in range(len(SEGMENTS)):
        members = np.flatnonzero(segment == seg)
        interval[members] = rng.choice(len(INTERVALS), size=len(members), p=INTERVAL_SHARES_BY_SEGMENT[seg])
    for code in range(len(INTERVALS)):
        counts = np.bincount(interval, minlength=len(INTERVALS))
        if counts[code] == 0 and counts.max() >= 2:
            interval[np.flatnonzero(interval == np.argmax(counts))[0]] = code
    return interval


def _draw_churn(
    rng: np.random.Generator, start: np.ndarray, segment: np.ndarray, interval: np.ndarray, adopter: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Draw when each customer churns (-1 for not within the span) and the cancellation type code.

    A churn falls on the end of the current billing term unless that term
    runs past the span, in which case the customer cancels mid-term. At
    least four customers who bought 150 days before the end churn, one of
    them early enough to come back, so each cancellation type and a
    reactivation can appear.
    """
    size = len(start)
    rows = np.arange(size)
    matured = rows[start < SPAN_END - 150 * DAY]
    hazard = MONTHLY_CHURN_HAZARD[segment] * np.where(adopter, ADOPTER_CHURN_FACTOR, 1.0)
    intended = start + (rng.exponential(1.0, size) / hazard * MONTH).astype(np.int64)
    if np.count_nonzero(intended[matured] < SPAN_END) < 4:
        # Non-adopters first, so the forced churns keep adopters' better retention.
        candidates = np.concatenate([matured[~adopter[matured]], matured[adopter[matured]]])
        forced = candidates[:4] if len(candidates) <= 4 else rng.choice(candidates[: max(4, len(candidates) // 2)], size=4, replace=False)
        intended[forced] = start[forced] + (
            (SPAN_END - start[forced]) * rng.uniform(0.4, 0.8, len(forced))
        ).astype(np.int64)
    if len(matured) and not np.any(intended[matured] < SPAN_END - 90 * DAY):
        earliest = matured[np.argmin(start[matured])]
        intended[earliest] = start[earliest] + (SPAN_END - 90 * DAY - start[earliest]) // 2

    cancellation = _draw_categories(rng, size, (0.55, 0.20, 0.25))
    churn_at = np.full(size, -1, dtype=np.int64)
    for c in np.flatnonzero(intended < SPAN_END).tolist():
        ends = _snap_to_term(int(start[c]), int(intended[c]), INTERVALS[interval[c]][3])
        if ends >= SPAN_END:
            ends = int(intended[c])
            cancellation[c] = CANCELLATION_TYPES.index("voluntary")
        churn_at[c] = ends
    churned = rows[churn_at >= 0]
    for code in range(len(CANCELLATION_TYPES)):
        counts = np.bincount(cancellation[churned], minlength=len(CANCELLATION_TYPES))
        if len(churned) >= len(CANCELLATION_TYPES) and counts[code] == 0:
            spare = churned[counts[cancellation[churned]] > 1]
            cancellation[spare[0]] = code
    return churn_at, cancellation


def _simulate_customers(
    rng: np.random.Generator, customers: dict[str, np.ndarray]
) -> tuple[_CustomerLedger, np.ndarray]:
    """Draw each customer's subscription history from its won deal onwards.

    Returns the ledger of rows and which customers adopted the integrations feature.
    """
    size = len(customers["account"])
    start = customers["start"]
    segment = customers["segment"]
    rows = np.arange(size)

    interval = _draw_intervals(rng, segment)
    trial = np.isin(rows, _pick(rng, rows, 0.30, minimum=1))
    setup_fee = np.isin(rows, _pick(rng, rows[segment > 0], 0.40, minimum=1))
    # 0 none, 1 percent, 2 amount, 3 amount above the price
    discount = _draw_categories(rng, size, (0.70, 0.18, 0.10, 0.02), (0, 1, 1, 1))
    expiring_discount = np.isin(rows, _pick(rng, rows[discount > 0], 0.4, minimum=1))
    adopter = np.isin(rows, _pick(rng, rows, 0.4, minimum=1))
    churn_at, cancellation = _draw_churn(rng, start, segment, interval, adopter)
    reactivates = np.isin(rows, _pick(rng, rows[(churn_at >= 0) & (churn_at < SPAN_END - 75 * DAY)], 0.25, minimum=1))
    past_due = np.isin(rows, _pick(rng, rows[churn_at < 0], 0.04, minimum=1))

    # Plan changes and add-ons need a customer who stays long enough.
    service_end = np.where(churn_at >= 0, churn_at, SPAN_END)
    long_lived = rows[service_end - start > 150 * DAY]
    # 0 none, 1 upgrade, 2 downgrade
    change = np.zeros(size, dtype=np.int64)
    change[long_lived] = _draw_categories(rng, len(long_lived), (0.74, 0.18, 0.08), (0, 1, 1))
    change_at_same_instant = np.isin(rows, _pick(rng, rows[change > 0], 0.6, minimum=1))
    add_on = np.isin(rows, _pick(rng, long_lived, 0.25, minimum=2))
    add_on_cancelled = np.isin(rows, _pick(rng, rows[add_on], 0.35, minimum=1))

    ledger = _CustomerLedger()
    for c in range(size):
        _simulate_customer(
            rng, ledger, c, customers,
            interval=int(interval[c]), trial=bool(trial[c]), setup_fee=bool(setup_fee[c]),
            discount=int(discount[c]), expiring_discount=bool(expiring_discount[c]),
            change=int(change[c]), change_at_same_instant=bool(change_at_same_instant[c]),
            add_on=bool(add_on[c]), add_on_cancelled=bool(add_on_cancelled[c]),
            churn_at=int(churn_at[c]), cancellation=CANCELLATION_TYPES[cancellation[c]],
            reactivates=bool(reactivates[c]), past_due=bool(past_due[c]),
        )
    return ledger, adopter


def _simulate_customer(
    rng: np.random.Generator,
    ledger: _CustomerLedger,
    c: int,
    customers: dict[str, np.ndarray],
    *,
    interval: int,
    trial: bool,
    setup_fee: bool,
    discount: int,
    expiring_discount: bool,
    change: int,
    change_at_same_instant: bool,
    add_on: bool,
    add_on_cancelled: bool,
    churn_at: int,
    cancellation: str,
    reactivates: bool,
    past_due: bool,
) -> None:
    """Add the subscription rows, usage intervals and expansion deals of customer `c`.

    Amounts are in minor units of the customer's currency. The base plan's
    price per interval is the won deal's annual value spread over the
    charges of one year.
    """
    account = int(customers["account"][c])
    start = int(customers["start"][c])
    annual_value = int(customers["annual_value"][c])
    plan = SEGMENT_PLAN[customers["segment"][c]]
    per_year = INTERVALS[interval][2]
    amount = max(1, round(annual_value / per_year))
    ended = churn_at if churn_at >= 0 else None
    service_end = churn_at if churn_at >= 0 else SPAN_END
    if ended is not None:
        status = "canceled"
    elif past_due:
        status = "past_due"
    else:
        status = "active"
    common = {"account": account, "currency": int(customers["currency"][c]), "interval": interval}

    if trial:
        trial_start = start - int(rng.integers(7, 22)) * DAY
        ledger.add_subscription(
            **common, plan=plan, amount=amount, status="canceled", is_trial=True, started=trial_start, ended=start
        )
        ledger.add_usage(account, trial_start, start)
    if setup_fee:
        fee = round(annual_value * float(rng.uniform(0.05, 0.12)))
        ledger.add_subscription(**(common | {"interval": -1}), plan=PLANS.index("setup_fee"), amount=fee,
                                started=start, ended=start)

    discount_columns = _draw_discount(rng, discount, expiring_discount, amount, start)
    change_at = None
    if change:
        change_at = _draw_change_instant(rng, start, service_end)
    if change_at is None:
        ledger.add_subscription(
            **common, **discount_columns, plan=plan, amount=amount, status=status, started=start, ended=ended,
            cancellation=cancellation if ended is not None else None,
        )
    else:
        # The first row ends, and the second starts at the same instant or minutes later.
        ledger.add_subscription(
            **common, **discount_columns, plan=plan, amount=amount, status="canceled", started=start, ended=change_at,
        )
        upgrade = change == 1
        new_amount = max(1, round(amount * float(rng.uniform(1.3, 2.0) if upgrade else rng.uniform(0.5, 0.8))))
        new_start = change_at + (0 if change_at_same_instant else int(rng.integers(1, 16)) * MINUTE)
        ledger.add_subscription(
            **common, plan=min(plan + 1, 2) if upgrade else max(plan - 1, 0), amount=new_amount, status=status,
            started=new_start, ended=ended, cancellation=cancellation if ended is not None else None,
        )
        if upgrade:
            created = max(start + DAY, change_at - int(rng.integers(14, 46)) * DAY)
            ledger.add_expansion(c, created, change_at, WON, round((new_amount - amount) * per_year))

    if add_on:
        _add_seats_add_on(rng, ledger, c, common, start, service_end, annual_value, per_year, status,
                          cancellation if ended is not None else None, add_on_cancelled)

    # An expansion attempt that was lost or is still open.
    if rng.random() < 0.12 and service_end - start > 90 * DAY:
        created = start + int((service_end - start - 30 * DAY) * float(rng.uniform(0.2, 1.0)))
        final = created + int(rng.uniform(20, 60)) * DAY
        ledger.add_expansion(
            c, created, final, OPEN if final >= SPAN_END else LOST, round(annual_value * float(rng.uniform(0.1, 0.4)))
        )
    ledger.add_usage(account, start, service_end, churned=ended is not None)

    if reactivates and ended is not None:
        comeback = ended + int(rng.uniform(60, min(240, (SPAN_END - ended) / DAY - 14))) * DAY
        ledger.add_subscription(
            **common, plan=max(plan - 1, 0), amount=max(1, round(amount * float(rng.uniform(0.6, 1.1)))),
            status="active", started=comeback,
        )
        ledger.add_usage(account, comeback, SPAN_END)


def _draw_discount(
    rng: np.random.Generator, discount: int, expiring: bool, amount: int, start: int
) -> dict[str, object]:
    """Return the discount columns of a base subscription for discount code 0-3 (see _simulate_customers)."""
    columns: dict[str, object] = {}
    if discount == 1:
        columns["discount_percent"] = ("10", "12.5", "15", "20", "25", "30")[int(rng.integers(0, 6))]
    elif discount == 2:
        columns["discount_amount"] = max(1, round(amount * float(rng.uniform(0.05, 0.3))))
    elif discount == 3:
        columns["discount_amount"] = round(amount * float(rng.uniform(1.1, 1.5)))
    if discount and expiring:
        columns["discount_ends"] = start + int(rng.choice([3, 6, 12])) * MONTH
    return columns


def _draw_change_instant(rng: np.random.Generator, start: int, service_end: int) -> int | None:
    """Draw when a plan change happens: 90-400 days in and at least 30 days before service ends.

    Returns None when the service is too short for that.
    """
    latest = service_end - 30 * DAY
    change_at = start + int(rng.uniform(90, 400)) * DAY
    if change_at < latest:
        return change_at
    if latest - start <= 60 * DAY:
        return None
    return start + int((latest - start) * float(rng.uniform(0.3, 0.7)))


def _add_seats_add_on(
    rng: np.random.Generator,
    ledger: _CustomerLedger,
    c: int,
    common: dict[str, int],
    start: int,
    service_end: int,
    annual_value: int,
    per_year: float,
    status: str,
    cancellation: str | None,
    cancelled_early: bool,
) -> None:
    """Add a seats add-on bought after the base plan, won as an expansion deal.

    It ends with the base subscription, or earlier when `cancelled_early`
    (a voluntary cancellation while the base continues).
    """
    add_on_start = start + int(rng.uniform(45, 300)) * DAY
    if add_on_start >= service_end - 14 * DAY:
        add_on_start = start + (service_end - start) // 2
    add_on_amount = max(1, round(annual_value * float(rng.uniform(0.1, 0.3)) / per_year))
    ended = None if service_end >= SPAN_END else service_end
    if cancelled_early:
        ended = add_on_start + int(rng.uniform(60, 200)) * DAY
        if ended >= service_end:
            ended = add_on_start + (service_end - add_on_start) // 2
        cancellation = "voluntary"
    ledger.add_subscription(
        **common, plan=PLANS.index("seats_addon"), amount=add_on_amount,
        status="canceled" if ended is not None else status, started=add_on_start, ended=ended,
        cancellation=cancellation,
    )
    created = max(start + DAY, add_on_start - int(rng.integers(14, 46)) * DAY)
    ledger.add_expansion(c, created, add_on_start, WON, round(add_on_amount * per_year))


def _add_trial_only_subscriptions(
    rng: np.random.Generator,
    ledger: _CustomerLedger,
    leads: dict[str, np.ndarray],
    accounts: dict[str, np.ndarray],
    activities: dict[str, np.ndarray],
    customer_accounts: np.ndarray,
) -> None:
    """Add 14-day trials started by trial_signup hand-raises.

    Most are at accounts that never bought, and expired. The latest sign-up
    in the last 14 days of the span gets a trial that is still running. At a
    customer's account, that trial is for the next plan up.
    """
    is_customer = np.zeros(len(accounts["segment"]), dtype=bool)
    is_customer[customer_accounts] = True
    signup = np.flatnonzero(activities["first_hand_raise_type"] == HAND_RAISE_TYPES.index("trial_signup"))
    running = signup[activities["first_hand_raise"][signup] >= SPAN_END - 14 * DAY]
    prospects = signup[~is_customer[leads["account"][signup]]]
    _, first = np.unique(leads["account"][prospects], return_index=True)
    chosen = np.union1d(_pick(rng, np.sort(prospects[first]), 0.35), running[-1:])

    account = leads["account"][chosen]
    plan = np.where(is_customer[account], np.minimum(accounts["segment"][account] + 1, 2), accounts["segment"][account])
    currency = accounts["currency"][account]
    amount = _to_minor_units(np.array([490.0, 2450.0, 9000.0])[plan], currency, 1.0)
    for row, lead in enumerate(chosen.tolist()):
        started = int(activities["first_hand_raise"][lead]) + 300
        ended = started + 14 * DAY
        running_now = ended >= SPAN_END
        ledger.add_subscription(
            account=int(account[row]), plan=SEGMENT_PLAN[plan[row]], amount=int(amount[row]),
            currency=int(currency[row]), interval=0, status="trialing" if running_now else "canceled",
            is_trial=True, started=started, ended=None if running_now else ended,
            cancellation=None if running_now else "term_end",
        )
        ledger.add_usage(int(account[row]), started, min(ended, SPAN_END))


# ---------------------------------------------------------------------------
# Product usage, spend and exchange rates
# ---------------------------------------------------------------------------


def _generate_usage(
    rng: np.random.Generator, usage: dict[str, list], accounts: dict[str, np.ndarray], adopters: np.ndarray
) -> dict[str, np.ndarray]:
    """Draw weekly feature usage in every interval an account had the product.

    Usage drops in the eight weeks before a churn, and only integrations
    adopters use the integrations feature.
    """
    account = np.asarray(usage["account"], dtype=np.int64)
    start = np.asarray(usage["start"], dtype=np.int64)
    end = np.minimum(np.asarray(usage["end"], dtype=np.int64), SPAN_END)
    churned = np.asarray(usage["churned"], dtype=bool)
    keep = end > start
    account, start, end, churned = account[keep], start[keep], end[keep], churned[keep]
    intensity = WEEKLY_EVENTS_BY_SEGMENT[accounts["segment"][account]] * rng.lognormal(0.0, 0.4, len(account))

    weeks = -(-(end - start) // WEEK)
    interval = np.repeat(np.arange(len(account)), weeks)
    week_start = start[interval] + _group_positions(weeks) * WEEK
    week_end = np.minimum(week_start + WEEK, end[interval])
    rate = intensity[interval] * (week_end - week_start) / WEEK
    rate *= np.where(churned[interval] & (week_start >= end[interval] - 8 * WEEK), 0.35, 1.0)
    counts = rng.poisson(rate)
    week = np.repeat(np.arange(len(week_start)), counts)
    occurred = week_start[week] + (rng.random(len(week)) * (week_end - week_start)[week]).astype(np.int64)

    event_account = account[interval][week]
    is_adopter = np.isin(event_account, adopters)
    feature = np.where(
        is_adopter,
        rng.choice(len(FEATURES), size=len(week), p=FEATURE_SHARES_ADOPTER),
        rng.choice(len(FEATURES), size=len(week), p=FEATURE_SHARES_OTHER),
    )
    order = np.lexsort((feature, event_account, occurred))
    return {"account": event_account[order], "feature": feature[order], "occurred": occurred[order]}


def _generate_spend(rng: np.random.Generator, leads: dict[str, np.ndarray]) -> dict[str, pa.Array]:
    """Draw monthly spend per channel and team, in proportion to the leads each channel brought."""
    lead_month = (leads["created"].astype("datetime64[s]").astype("datetime64[M]").astype(np.int64)
                  - np.datetime64("2024-01", "M").astype(np.int64))
    counts = np.zeros((24, len(CHANNELS)))
    np.add.at(counts, (lead_month, leads["channel"]), 1)

    ids, months, channels, teams, amounts, currencies = [], [], [], [], [], []
    for month in range(24):
        month_text = str(np.datetime64("2024-01", "M") + month)
        for channel in range(len(CHANNELS)):
            for team, cost_per_lead in enumerate((MARKETING_COST_PER_LEAD, SALES_COST_PER_LEAD)):
                usd = (counts[month, channel] + 1) * cost_per_lead[channel] * rng.uniform(0.85, 1.15)
                # The European events team books its spend in euros.
                currency = 1 if (CHANNELS[channel] == "events" and team == 0) else 0
                minor = int(round(usd / USD_PER_UNIT[currency] * 100))
                ids.append(f"SP-{month_text}-{CHANNELS[channel]}-{TEAMS[team]}")
                months.append(f"{month_text}-01")
                channels.append(CHANNELS[channel])
                teams.append(TEAMS[team])
                amounts.append(f"{minor // 100}.{minor % 100:02d}")
                currencies.append(CURRENCIES[currency])
    return {
        "spend_id": pa.array(ids), "spend_month": pa.array(months), "channel": pa.array(channels),
        "team": pa.array(teams), "amount": pa.array(amounts), "currency": pa.array(currencies),
    }


def _generate_exchange_rates(rng: np.random.Generator) -> dict[str, pa.Array]:
    """Draw a mean-reverting daily rate to USD for EUR, GBP and JPY on every weekday from 2023-12-01."""
    days = np.arange(EXCHANGE_RATES_START // DAY, SPAN_END // DAY)
    weekday = (days + 3) % 7
    days = days[weekday < 5]
    ids, dates, sources, targets, rates = [], [], [], [], []
    date_text = [str(day) for day in days.astype("datetime64[D]")]
    for currency in (1, 2, 3):
        anchor = np.log(USD_PER_UNIT[currency])
        level = anchor
        shocks = rng.normal(0.0, 0.004, len(days))
        places = 8 if CURRENCIES[currency] == "JPY" else 6
        for day_text, shock in zip(date_text, shocks.tolist()):
            level += 0.02 * (anchor - level) + shock
            ids.append(f"FX-{day_text}-{CURRENCIES[currency]}-USD")
            dates.append(day_text)
            sources.append(CURRENCIES[currency])
            targets.append("USD")
            rates.append(f"{np.exp(level):.{places}f}")
    return {
        "exchange_rate_id": pa.array(ids), "rate_date": pa.array(dates), "from_currency": pa.array(sources),
        "to_currency": pa.array(targets), "rate": pa.array(rates),
    }


# ---------------------------------------------------------------------------
# Orchestration and output
# ---------------------------------------------------------------------------


def generate(output_dir: Path, leads: int = DEFAULT_LEADS, seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Write the demo data set to `output_dir`, one `<table>.csv` per contract table.

    `leads` is the number of lead records, duplicates included, and every
    other table scales with it. Existing files of the same names are overwritten.
    Returns the row count per table, in contract order. Raises ValueError if
    `leads` is below MIN_LEADS.
    """
    if leads < MIN_LEADS:
        raise ValueError(f"leads must be at least {MIN_LEADS}; got {leads}.")
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    n_reps = int(np.clip(leads // 150, 5, 999))
    n_sdrs = int(np.clip(leads // 250, 3, 999))
    rep_ids = _id_text("ae_", n_reps, 3)
    sdr_ids = _id_text("sdr_", n_sdrs, 3)
    tables: dict[str, dict[str, pa.Array | list]] = {}

    n_accounts = max(40, int(round(leads * 0.3)))
    accounts = _generate_account_attributes(rng, n_accounts)
    account_ids = _id_text("A", n_accounts, 6)
    account_names = _account_names(accounts)
    lead_rows = _generate_leads(rng, leads, accounts)
    tables["leads"] = _build_leads_table(rng, lead_rows, accounts, account_ids, account_names)
    lead_ids = tables["leads"]["lead_id"]
    account_created = _account_created(rng, lead_rows, n_accounts)

    activities = _generate_activities(rng, lead_rows)
    feedback = _generate_feedback(rng, lead_rows, activities, n_sdrs)
    qualifications, opportunity_created = _generate_qualifications(rng, feedback["accepted_at"], n_reps)
    tables.update(_build_funnel_tables(lead_rows, activities, feedback, qualifications, lead_ids, rep_ids, sdr_ids))

    new_business = _new_business_opportunities(rng, lead_rows, accounts, account_created, opportunity_created, n_reps)
    won = np.flatnonzero(new_business["outcome"] == WON)
    customers = {
        "account": new_business["account"][won],
        "segment": accounts["segment"][new_business["account"][won]],
        "currency": new_business["currency"][won],
        "start": new_business["final"][won],
        "annual_value": new_business["amount"][won],
        "owner": new_business["owner"][won],
    }
    ledger, adopter = _simulate_customers(rng, customers)
    _add_trial_only_subscriptions(rng, ledger, lead_rows, accounts, activities, customers["account"])
    tables["subscriptions"] = _build_subscriptions_table(rng, ledger.subscriptions, account_ids)

    opportunities = _all_opportunities(rng, new_business, customers, ledger.expansions)
    tables["opportunities"], tables["opportunity_stage_history"] = _build_opportunity_tables(
        rng, opportunities, lead_ids, account_ids, rep_ids
    )
    used_accounts = np.union1d(opportunities["account"], np.asarray(ledger.subscriptions["account"], dtype=np.int64))
    tables["accounts"] = _build_accounts_table(rng, accounts, account_ids, account_names, account_created, used_accounts)

    events = _generate_usage(rng, ledger.usage, accounts, customers["account"][adopter])
    tables["product_usage"] = {
        "event_id": _id_text("E", len(events["account"]), 7),
        "account_id": pc.take(account_ids, pa.array(events["account"])),
        "feature": _lookup_text(FEATURES, events["feature"]),
        "occurred_at": _timestamp_text(events["occurred"]),
    }
    tables["spend"] = _generate_spend(rng, lead_rows)
    tables["exchange_rates"] = _generate_exchange_rates(rng)

    return {name: _write_csv(output_dir / f"{name}.csv", columns, tables[name]) for name, columns in TABLE_COLUMNS.items()}


def _write_csv(path: Path, columns: Sequence[str], data: dict[str, pa.Array | list]) -> int:
    """Write one table as UTF-8 CSV with the header in contract order, and return the row count.

    Values are never quoted: the writer raises if one contains a comma, quote
    or line break, which no generated value does.
    """
    arrays = [data[name] if isinstance(data[name], pa.Array) else pa.array(data[name], pa.string()) for name in columns]
    table = pa.table(arrays, names=list(columns))
    with path.open("wb") as handle:
        handle.write((",".join(columns) + "\n").encode("utf-8"))
        pa_csv.write_csv(table, handle, pa_csv.WriteOptions(include_header=False, quoting_style="none"))
    return table.num_rows


def _account_created(rng: np.random.Generator, leads: dict[str, np.ndarray], n_accounts: int) -> np.ndarray:
    """Draw account creation instants: up to 30 days before the account's first lead.

    An account without leads was created at a random instant from a year
    before the span to its end.
    """
    never = np.iinfo(np.int64).max
    created = np.full(n_accounts, never, dtype=np.int64)
    np.minimum.at(created, leads["account"], leads["created"])
    without_leads = created == never
    created[without_leads] = SPAN_START - 365 * DAY + (
        rng.random(int(without_leads.sum())) * (SPAN_END - SPAN_START)
    ).astype(np.int64)
    return created - rng.integers(0, 30 * DAY, n_accounts)


def _build_funnel_tables(
    leads: dict[str, np.ndarray],
    activities: dict[str, np.ndarray],
    feedback: dict[str, np.ndarray],
    qualifications: dict[str, np.ndarray],
    lead_ids: pa.Array,
    rep_ids: pa.Array,
    sdr_ids: pa.Array,
) -> dict[str, dict[str, pa.Array]]:
    # Activities of a lead whose form tool writes local time carry the same offset.
    offset = np.where(leads["local_time"][activities["lead"]], _central_european_offset(activities["occurred"]), 0)
    return {
        "lead_activities": {
            "activity_id": _id_text("LA", len(activities["lead"]), 7),
            "lead_id": pc.take(lead_ids, pa.array(activities["lead"])),
            "activity_type": _lookup_text(ACTIVITY_TYPES, activities["type"]),
            "occurred_at": _timestamp_text(activities["occurred"], offset),
        },
        "lead_feedback": {
            "feedback_id": _id_text("F", len(feedback["lead"])),
            "lead_id": pc.take(lead_ids, pa.array(feedback["lead"])),
            "verdict": _lookup_text(VERDICTS, feedback["verdict"]),
            "reason": _lookup_text(FEEDBACK_REASONS, feedback["reason"]),
            "recorded_by": pc.take(sdr_ids, pa.array(feedback["recorded_by"])),
            "recorded_at": _timestamp_text(feedback["recorded"]),
        },
        "lead_qualifications": {
            "qualification_id": _id_text("Q", len(qualifications["lead"])),
            "lead_id": pc.take(lead_ids, pa.array(qualifications["lead"])),
            "criterion": _lookup_text(CRITERIA, qualifications["criterion"]),
            "is_confirmed": _boolean_text(qualifications["is_confirmed"]),
            "confirmed_by": pc.take(rep_ids, pa.array(qualifications["confirmed_by"])),
            "recorded_at": _timestamp_text(qualifications["recorded"]),
        },
    }


def _all_opportunities(
    rng: np.random.Generator,
    new_business: dict[str, np.ndarray],
    customers: dict[str, np.ndarray],
    expansions: dict[str, list],
) -> dict[str, np.ndarray]:
    """Combine new_business and expansion deals, mark deleted ones and add merged copies."""
    customer = np.asarray(expansions["customer"], dtype=np.int64)
    final = np.asarray(expansions["final"], dtype=np.int64)
    expansion = {
        "account": customers["account"][customer],
        "lead": np.full(len(customer), -1),
        "pipeline": np.ones(len(customer), dtype=np.int64),
        "created": np.asarray(expansions["created"], dtype=np.int64),
        "final": np.minimum(final, SPAN_END - 1),
        "planned_close": final,
        "outcome": np.asarray(expansions["outcome"], dtype=np.int64),
        "amount": np.maximum(np.asarray(expansions["amount"], dtype=np.int64), 1),
        "currency": customers["currency"][customer],
        "owner": customers["owner"][customer],
    }
    opportunities = _concatenate([new_business, expansion])
    size = len(opportunities["account"])
    opportunities["merged_into"] = np.full(size, -1)
    opportunities["deleted"] = np.zeros(size, dtype=bool)
    # Deals deleted in the CRM: never a won deal, whose subscriptions would lose their origin.
    deletable = np.flatnonzero((opportunities["outcome"] != WON) & (opportunities["pipeline"] == 0))
    opportunities["deleted"][_pick(rng, deletable, 0.015, minimum=1)] = True
    return _concatenate([opportunities, _merged_copies(rng, opportunities)])


def _build_accounts_table(
    rng: np.random.Generator,
    accounts: dict[str, np.ndarray],
    account_ids: pa.Array,
    account_names: pa.Array,
    account_created: np.ndarray,
    used_accounts: np.ndarray,
) -> dict[str, pa.Array]:
    n_accounts = len(account_created)
    # Only accounts without deals or subscriptions are deleted.
    unused = np.setdiff1d(np.arange(n_accounts), used_accounts)
    deleted = np.zeros(n_accounts, dtype=bool)
    deleted[_pick(rng, unused, 0.02, minimum=1)] = True
    country = accounts["country"]
    spelled_out = rng.random(n_accounts) < 0.03
    country_text = np.where(spelled_out, np.asarray(COUNTRY_NAMES)[country], np.asarray(COUNTRIES)[country])
    industry = accounts["industry"].copy()
    industry[rng.random(n_accounts) < 0.03] = -1
    return {
        "account_id": account_ids,
        "account_name": account_names,
        "segment": _lookup_text(SEGMENTS, accounts["segment"]),
        "industry": _lookup_text(INDUSTRIES, industry),
        "country": pa.array(country_text.tolist(), pa.string()),
        "created_at": _timestamp_text(account_created),
        "is_deleted": _boolean_text(deleted),
    }


def _build_opportunity_tables(
    rng: np.random.Generator,
    opportunities: dict[str, np.ndarray],
    lead_ids: pa.Array,
    account_ids: pa.Array,
    rep_ids: pa.Array,
) -> tuple[dict[str, pa.Array | list], dict[str, pa.Array]]:
    """Draw stage paths and return the opportunities table and the shuffled stage history table."""
    size = len(opportunities["account"])
    # Identifiers follow creation order, so a merged copy gets a later id than its survivor.
    order = np.lexsort((np.arange(size), opportunities["created"]))
    position = np.empty(size, dtype=np.int64)
    position[order] = np.arange(size)
    opportunities = {key: values[order] for key, values in opportunities.items()}
    merged_into = opportunities["merged_into"]
    merged_into = np.where(merged_into >= 0, position[np.maximum(merged_into, 0)], -1)
    opportunity_ids = _id_text("O", size)

    pipeline = opportunities["pipeline"]
    outcome = opportunities["outcome"]
    created = opportunities["created"]
    final = opportunities["final"].copy()
    open_deal = outcome == OPEN
    # An open deal entered its current stage somewhere between creation and the end of the span.
    final[open_deal] = created[open_deal] + (
        (SPAN_END - 1 - created[open_deal]) * rng.uniform(0.1, 0.9, int(open_deal.sum()))
    ).astype(np.int64)
    is_copy = merged_into >= 0
    path_codes, path_is_tie, path_number = _assign_stage_paths(rng, pipeline, outcome, created, is_copy)
    history = _stage_history(rng, created, final, path_codes, path_is_tie, path_number)
    current_code = history["last_code"]

    closed = outcome != OPEN
    close_date = np.where(closed, final, opportunities["planned_close"])
    probability = [STAGE_PROBABILITY.get(code) for code in current_code.tolist()]
    for index in np.flatnonzero(outcome == WON).tolist():
        probability[index] = "1"
    for index in np.flatnonzero(outcome == LOST).tolist():
        probability[index] = "0"
    for index in np.flatnonzero(open_deal & (rng.random(size) < 0.05)).tolist():
        probability[index] = None

    amount = opportunities["amount"].copy()
    amount[open_deal & np.isin(current_code, (0, 6)) & (rng.random(size) < 0.1)] = -1
    # A few USD deals leave currency empty, which the contract reads as the
    # reporting currency (var gtm_reporting_currency, USD by default).
    currency = opportunities["currency"]
    currency_code = np.where((currency == 0) & (rng.random(size) < 0.02), -1, currency)
    # Code len(LOSS_REASONS) is a lost deal whose reason the rep left empty.
    lost = np.flatnonzero(outcome == LOST)
    drawn = _draw_categories(rng, len(lost), (*LOSS_REASON_SHARES, 0.05), (0, 1, 1, 1, 0))
    loss_reason = np.full(size, -1, dtype=np.int64)
    loss_reason[lost] = np.where(drawn == len(LOSS_REASONS), -1, drawn)
    lead = opportunities["lead"]

    table = {
        "opportunity_id": opportunity_ids,
        "account_id": pc.take(account_ids, pa.array(opportunities["account"])),
        "lead_id": _null_where(pc.take(lead_ids, pa.array(np.maximum(lead, 0))), lead < 0),
        "owner_id": pc.take(rep_ids, pa.array(opportunities["owner"])),
        "pipeline_id": _lookup_text(PIPELINES, pipeline),
        "stage_name": _lookup_text(STAGE_NAMES, current_code),
        "amount": _money_text(amount, currency),
        "currency": _lookup_text(CURRENCIES, currency_code),
        "probability": probability,
        "created_at": _timestamp_text(created),
        "close_date": _date_text(close_date),
        "is_closed": _boolean_text(closed),
        "is_won": _boolean_text(outcome == WON),
        "loss_reason": _lookup_text(LOSS_REASONS, loss_reason),
        "is_deleted": _boolean_text(opportunities["deleted"]),
        "merged_into_opportunity_id": _null_where(
            pc.take(opportunity_ids, pa.array(np.maximum(merged_into, 0))), merged_into < 0
        ),
    }
    # The CRM export lists stage changes in no particular order.
    shuffle = rng.permutation(len(history["opportunity"]))
    history_table = {
        "history_id": _id_text("H", len(shuffle), 7),
        "opportunity_id": pc.take(opportunity_ids, pa.array(history["opportunity"][shuffle])),
        "stage_name": _lookup_text(STAGE_NAMES, history["stage"][shuffle]),
        "entered_at": _timestamp_text(history["entered"][shuffle]),
    }
    return table, history_table


def _build_subscriptions_table(
    rng: np.random.Generator, subscriptions: dict[str, list], account_ids: pa.Array
) -> dict[str, pa.Array | list]:
    """Order rows by start, mark some ended rows deleted, and format the subscriptions table."""
    size = len(subscriptions["account"])
    started = np.asarray(subscriptions["started"], dtype=np.int64)
    account = np.asarray(subscriptions["account"], dtype=np.int64)
    order = np.lexsort((np.arange(size), account, started))
    columns = {name: [values[i] for i in order.tolist()] for name, values in subscriptions.items()}
    started = started[order]
    account = account[order]

    def instants(name: str) -> np.ndarray:
        return np.asarray([-1 if value is None else value for value in columns[name]], dtype=np.int64)

    ended = instants("ended")
    discount_ends = instants("discount_ends")
    discount_amount = instants("discount_amount")
    interval = np.asarray(columns["interval"], dtype=np.int64)
    is_trial = np.asarray(columns["is_trial"], dtype=bool)
    # Rows deleted in billing after the service really ended.
    ended_paid = np.flatnonzero((ended >= 0) & (interval >= 0) & ~is_trial)
    deleted = np.zeros(size, dtype=bool)
    deleted[_pick(rng, ended_paid, 0.03, minimum=1)] = True

    # Interval code -1 is a one-time charge. An interval_count of 1 is
    # written out on some rows and left empty (meaning 1) on others.
    billing_interval = ["one_time" if code < 0 else INTERVALS[code][0] for code in interval.tolist()]
    leave_empty = rng.random(size) < 0.4
    interval_count = [
        None if code < 0 or (INTERVALS[code][1] == 1 and empty) else str(INTERVALS[code][1])
        for code, empty in zip(interval.tolist(), leave_empty.tolist())
    ]
    currency = np.asarray(columns["currency"], dtype=np.int64)

    return {
        "subscription_id": _id_text("S", size),
        "account_id": pc.take(account_ids, pa.array(account)),
        "plan": _lookup_text(PLANS, np.asarray(columns["plan"], dtype=np.int64)),
        "amount": _money_text(np.asarray(columns["amount"], dtype=np.int64), currency),
        "currency": _lookup_text(CURRENCIES, currency),
        "billing_interval": billing_interval,
        "interval_count": interval_count,
        "discount_percent": columns["discount_percent"],
        "discount_amount": _money_text(discount_amount, currency),
        "discount_ends_at": _null_where(_timestamp_text(np.maximum(discount_ends, 0)), discount_ends < 0),
        "status": columns["status"],
        "is_trial": _boolean_text(is_trial),
        "started_at": _timestamp_text(started),
        "ended_at": _null_where(_timestamp_text(np.maximum(ended, 0)), ended < 0),
        "cancellation_type": columns["cancellation"],
        "is_deleted": _boolean_text(deleted),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the generator from the command line and print the row count per table."""
    parser = argparse.ArgumentParser(
        prog="python -m gtm_metrics.demo",
        description="Write the deterministic demo data set: one CSV file per table of the input contract.",
    )
    parser.add_argument(
        "--leads", type=int, default=DEFAULT_LEADS,
        help=f"number of lead records to generate, duplicates included. The other tables scale with it "
        f"(default {DEFAULT_LEADS}, minimum {MIN_LEADS})",
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED,
        help=f"seed of the random generator. The same seed and --leads give byte-identical files "
        f"(default {DEFAULT_SEED})",
    )
    parser.add_argument(
        "--output", type=Path, default=Path("demo_data"),
        help="directory to write the <table>.csv files to, created if missing. Files of the same names are "
        "overwritten (default ./demo_data)",
    )
    args = parser.parse_args(argv)
    if args.leads < MIN_LEADS:
        parser.error(f"--leads must be at least {MIN_LEADS}; got {args.leads}.")
    counts = generate(args.output, leads=args.leads, seed=args.seed)
    for table, rows in counts.items():
        print(f"{table:<28} {rows:>10,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
