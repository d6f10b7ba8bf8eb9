"""Conformance on X Education's lead scoring data: the project's metrics
table against an independent pandas computation over Leads.csv.

The rules applied on both sides are the mapping's (mappings/
xeducation_lead_scoring.yml): every lead is created, enquires and (when
Converted = 1) is won on 2019-01-01; the channel is Lead Source lower-cased,
with "" and "Select" as (unknown); Lead Quality is the lead score, 90 / 70 /
50 / 30 / 10, so each label is one calibration band.
"""

from __future__ import annotations

import pandas as pd
import pytest

from support_realinput import build_dataset, compare

pytestmark = pytest.mark.slow

MONTH = "2019-01-01"
BANDS = {
    "High in Relevance": "[80,100]",
    "Might be": "[60,80)",
    "Not Sure": "[40,60)",
    "Low in Relevance": "[20,40)",
    "Worst": "[0,20)",
}


@pytest.fixture(scope="module")
def xeducation(tmp_path_factory):
    return build_dataset("xeducation_lead_scoring", tmp_path_factory.mktemp("xeducation"))


@pytest.fixture(scope="module")
def leads(xeducation) -> pd.DataFrame:
    frame = pd.read_csv(xeducation.folder / "Leads.csv", dtype=str, keep_default_na=False)
    source = frame["Lead Source"].str.strip()
    frame["channel"] = source.str.lower().where(~source.isin(["", "Select"]), "(unknown)")
    frame["converted"] = frame["Converted"] == "1"
    frame["band"] = frame["Lead Quality"].map(BANDS)
    return frame


def test_build_passes(xeducation):
    assert xeducation.outcome.success, xeducation.outcome.failures


def test_every_lead_is_loaded(xeducation, leads):
    assert xeducation.query("select count(*) from main.stg_gtm__leads") == [(len(leads),)]
    assert xeducation.query("select count(*) from main.stg_gtm__quarantine") == [(0,)]


def test_google_spellings_are_one_channel(xeducation, leads):
    channels = xeducation.metric("new_leads", dimension="channel")
    assert (MONTH, "Google") not in channels
    assert channels[(MONTH, "google")] == (leads["Lead Source"].str.lower() == "google").sum() == 2868 + 5


def test_leads_by_source(xeducation, leads):
    expected = {(MONTH, channel): float(count) for channel, count in leads.groupby("channel").size().items()}
    assert compare(expected, xeducation.metric("new_leads", dimension="channel")) == []


def test_conversions_by_source(xeducation, leads):
    expected = {(MONTH, channel): float(group["converted"].sum()) for channel, group in leads.groupby("channel")}
    assert compare(expected, xeducation.metric("leads_won", dimension="channel")) == []


def test_conversion_rate_by_source(xeducation, leads):
    expected = {(MONTH, channel): float(group["converted"].mean()) for channel, group in leads.groupby("channel")}
    assert compare(expected, xeducation.metric("cohort_won_rate", dimension="channel"), zero_elsewhere=False) == []


def test_overall_conversion_rate(xeducation, leads):
    assert xeducation.metric("cohort_won_rate") == {(MONTH, "all"): pytest.approx(leads["converted"].mean())}
    assert round(leads["converted"].mean(), 3) == 0.385


def test_lead_quality_calibration(xeducation, leads):
    judged = leads[leads["band"].notna()]
    expected = {(MONTH, band): float(group["converted"].mean()) for band, group in judged.groupby("band")}
    assert compare(
        expected, xeducation.metric("lead_quality_win_rate", dimension="lead_score_band"), zero_elsewhere=False
    ) == []


def test_lead_quality_predicted_rate(xeducation, leads):
    scores = {"[80,100]": 0.9, "[60,80)": 0.7, "[40,60)": 0.5, "[20,40)": 0.3, "[0,20)": 0.1}
    judged = leads[leads["band"].notna()]
    expected = {(MONTH, band): scores[band] for band in judged["band"].unique()}
    expected_all = judged["band"].map(scores).mean()
    assert compare(
        expected, xeducation.metric("lead_quality_predicted_sql_rate", dimension="lead_score_band"),
        zero_elsewhere=False,
    ) == []
    assert xeducation.metric("lead_quality_predicted_sql_rate")[(MONTH, "all")] == pytest.approx(expected_all)


def test_lead_quality_brier_score(xeducation, leads):
    scores = {"[80,100]": 0.9, "[60,80)": 0.7, "[40,60)": 0.5, "[20,40)": 0.3, "[0,20)": 0.1}
    judged = leads[leads["band"].notna()]
    errors = (judged["band"].map(scores) - judged["converted"].astype(float)) ** 2
    assert xeducation.metric("lead_quality_brier_score")[(MONTH, "all")] == pytest.approx(errors.mean())


def test_quality_judgement_is_poorly_calibrated(leads):
    # Reps' "Low in Relevance" leads convert far more often than "Not Sure".
    rates = leads.groupby("Lead Quality")["converted"].mean()
    assert rates["Low in Relevance"] > rates["Not Sure"]
