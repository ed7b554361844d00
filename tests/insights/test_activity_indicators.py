"""The talent, programme, newsroom and conversion indicators on the second crafted city
(tests/insights/crafted_activity.py), against answers computed by hand; each rollup equals the
live aggregate from the base tables."""

import pytest

from ekraf.insights import indicators, rollups
from ekraf.insights.indicators.conversion import add_months
from ekraf.insights.indicators.programs import hashtag

from . import crafted as crafted_city
from . import crafted_activity as crafted

pytestmark = pytest.mark.django_db
MARCH, APRIL, SEPTEMBER = crafted.MARCH, crafted.APRIL, crafted.SEPTEMBER
LOWOKWARU, BLIMBING = "35.73.05", "35.73.01"
CODES = ("TAL-01", "TAL-02", "PRG-01", "PRG-02", "PRG-03", "BER-01", "KNV-01")


@pytest.fixture
def city_data(diskominfo, diskopindag):
    return crafted.build(diskominfo, diskopindag)


def live(code, month=MARCH):
    return rollups.live(code, month)


def test_assessed_pathways(city_data):
    assert live("TAL-01") == {
        ("", LOWOKWARU, "content_creator"): (1, 0),
        ("", LOWOKWARU, "narasumber"): (1, 0),
        ("", BLIMBING, "content_creator"): (1, 0),
    }
    # 1 April 00:30 WIB is still 31 March in UTC: the month is the city's.
    assert live("TAL-01", APRIL) == {("", "x", "motivator"): (1, 0)}


def test_speaker_engagements(city_data):
    # Accepted and completed only; a kelurahan counts in its kecamatan, a kecamatan as itself.
    assert live("TAL-02") == {
        ("diskominfo", LOWOKWARU, ""): (1, 0),
        ("diskopindag", BLIMBING, ""): (1, 0),
        ("diskominfo", "x", ""): (1, 0),
    }
    assert live("TAL-02", APRIL) == {}


def test_programme_deliverables_reach_and_engagement(city_data):
    # D1, D2 approved under both of G1's hashtags; D4 of G2 (no hashtag); D3 not approved.
    assert live("PRG-01") == {
        ("diskominfo", "", "malangbeken"): (2, 0),
        ("diskominfo", "", "kotakreatif"): (2, 0),
        ("diskopindag", "", "x"): (1, 0),
    }
    # Latest reading of D1 (300) + D2 (50); D4 has no reading (no cell); D3's 1 000 not counted.
    assert live("PRG-02") == {
        ("diskominfo", "", "malangbeken"): (350, 0),
        ("diskominfo", "", "kotakreatif"): (350, 0),
    }
    # (30 + 5 + 3 + 2) + (5 + 0 + 0 + 1) = 46.
    assert live("PRG-03") == {
        ("diskominfo", "", "malangbeken"): (46, 0),
        ("diskominfo", "", "kotakreatif"): (46, 0),
    }
    assert live("PRG-02", APRIL) == {
        ("diskominfo", "", "malangbeken"): (70, 0),
        ("diskominfo", "", "kotakreatif"): (70, 0),
    }
    assert hashtag("#MalangBeken") == "malangbeken"
    assert not indicators.get("PRG-01").key_additive


def test_stories_published(city_data):
    # 31 March 23:30 WIB is March; retracted and scheduled stories are not counted.
    assert live("BER-01") == {
        ("", LOWOKWARU, ""): (1, 0),
        ("", BLIMBING, ""): (1, 0),
        ("", "x", ""): (1, 0),
    }
    assert live("BER-01", APRIL) == {("", LOWOKWARU, ""): (1, 0)}


def test_trained_to_active_conversion(city_data):
    # Diskominfo: P1, P2, R, N2 of P1, P2, R, N1, N2, N3; Diskopindag: P1 of P1.
    cell = live("KNV-01")
    assert cell == {("diskominfo", "", ""): (4, 6), ("diskopindag", "", ""): (1, 1)}
    assert indicators.get("KNV-01").figure(4, 6) == pytest.approx(66.667, abs=0.001)
    # K1's first session was in February, but people finish with the last one.
    assert live("KNV-01", MARCH.replace(month=2)) == {}
    assert live("KNV-01", SEPTEMBER) == {}


def test_conversion_counts_only_speaking_that_has_happened(diskominfo):
    month = crafted.build_recent(diskominfo)
    assert live("KNV-01", month) == {("diskominfo", "", ""): (1, 2)}


def test_six_calendar_months():
    start = crafted.moment(MARCH, 31, 12)
    assert add_months(start, 6) == crafted.moment(SEPTEMBER, 30, 12)
    assert add_months(crafted.moment(MARCH, 2, 12), 6) == crafted.moment(SEPTEMBER, 2, 12)
    assert add_months(crafted.moment(SEPTEMBER, 2, 12), 6) == crafted.moment(
        MARCH.replace(year=2027), 2, 12
    )


def test_every_new_rollup_equals_the_live_aggregate(city_data, diskominfo):
    recent = crafted.build_recent(diskominfo)
    months = (MARCH.replace(month=2), MARCH, APRIL, SEPTEMBER, recent)
    for month in months:
        rollups.refresh_month(month)
    for code in CODES:
        assert indicators.get(code).landed, code
        for month in months:
            assert rollups.stored(code, month) == live(code, month), (code, month)
    assert rollups.stored("KNV-01", MARCH) == {
        ("diskominfo", "", ""): (4, 6),
        ("diskopindag", "", ""): (1, 1),
    }


def test_the_periodic_job_recomputes_the_conversion_window(monkeypatch):
    """KNV-01 can change for seven months: the job recomputes them, not only the last two."""
    rollups.periodic()  # every month of the history has its rollup now
    done = []
    monkeypatch.setattr(rollups, "refresh_month", done.append)
    rollups.periodic()
    assert len(done) == indicators.get("KNV-01").revisable_months + 1 == 8
    assert done[-1] == rollups.current_month()


def test_an_indicator_without_its_source_is_not_available():
    assert not crafted_city.unavailable_indicator().landed
    assert {i.code for i in indicators.landed()} >= set(CODES)
