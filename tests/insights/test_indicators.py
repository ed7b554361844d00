"""Each indicator on the crafted city (tests/insights/crafted.py), against answers computed by
hand; each rollup equals the live aggregate from the base tables."""

import datetime as dt

import pytest

from ekraf.insights import indicators, rollups
from ekraf.insights.models import Rollup, RollupMonth

from . import crafted

pytestmark = pytest.mark.django_db
MARCH, APRIL = crafted.MARCH, crafted.APRIL
LOWOKWARU, BLIMBING = "35.73.05", "35.73.01"


@pytest.fixture
def city_data(diskominfo, diskopindag):
    return crafted.build(diskominfo, diskopindag)


def live(code, month=MARCH):
    return rollups.live(code, month)


def test_creators(city_data):
    assert live("KRE-01") == {
        ("", LOWOKWARU, ""): (2, 0),
        ("", BLIMBING, ""): (1, 0),
        ("", "x", ""): (1, 0),
    }
    assert live("KRE-03") == {
        ("", LOWOKWARU, "P"): (1, 0),
        ("", LOWOKWARU, "L"): (1, 0),
        ("", BLIMBING, "P"): (1, 0),
        ("", "x", "x"): (1, 0),
    }
    assert live("KRE-04") == {
        ("", LOWOKWARU, "35-44"): (1, 0),
        ("", LOWOKWARU, "15-24"): (1, 0),
        ("", BLIMBING, "x"): (1, 0),
        ("", "x", "55+"): (1, 0),
    }
    assert live("KRE-02") == {
        ("", LOWOKWARU, "fotografi"): (2, 0),
        ("", LOWOKWARU, "kuliner"): (1, 0),
    }
    assert live("KRE-05") == {("", LOWOKWARU, "content_creator"): (1, 0)}
    # Five signed up in March (the one removed on the 20th included), one in April.
    assert live("KRE-06") == {
        ("", LOWOKWARU, ""): (3, 0),
        ("", BLIMBING, ""): (1, 0),
        ("", "x", ""): (1, 0),
    }
    assert live("KRE-06", APRIL) == {("", LOWOKWARU, ""): (1, 0)}
    # In April: the one who joined is counted, the one removed in March still is not.
    assert sum(v for v, _b in live("KRE-01", APRIL).values()) == 5


def test_trainings(city_data):
    assert live("PEL-01") == {("diskominfo", "", ""): (1, 0), ("diskopindag", "", ""): (1, 0)}
    assert live("PEL-02") == {
        ("diskominfo", LOWOKWARU, ""): (2, 0),
        ("diskominfo", BLIMBING, ""): (1, 0),
        ("diskominfo", "x", ""): (1, 0),
        ("diskopindag", LOWOKWARU, ""): (2, 0),
    }
    # 5 check-ins of 4 confirmed × 2 sessions; 0 of 2 × 1.
    assert live("PEL-03") == {("diskominfo", "", ""): (5, 8), ("diskopindag", "", ""): (0, 2)}
    completion = live("PEL-04")
    assert completion[("diskominfo", LOWOKWARU, "")] == (2, 2)
    assert completion[("diskominfo", "x", "")] == (0, 1)
    assert sum(v for v, _b in completion.values()) == 4
    assert sum(b for _v, b in completion.values()) == 6
    # (80 − 60 + 75 − 70) / 2 = 12.5 points, stored in hundredths.
    assert live("PEL-05") == {("diskominfo", "", ""): (2500, 2)}
    assert indicators.get("PEL-05").figure(2500, 2) == 12.5
    # 6 registrations for 5 seats; 2 for 2; the April training is not in March.
    assert live("PEL-06") == {("diskominfo", "", ""): (6, 5), ("diskopindag", "", ""): (2, 2)}
    assert live("PEL-07") == {("diskominfo", "", ""): (1, 0)}
    assert live("PEL-01", APRIL) == {}  # the April training is not finished


def test_credentials(city_data):
    assert live("SER-01") == {("diskominfo", "", ""): (2, 0)}
    assert live("SER-02") == {}
    assert live("SER-02", APRIL) == {("diskominfo", "", ""): (1, 0)}
    assert live("SER-03") == {("disnaker-pmptsp", "", ""): (2, 0)}
    assert live("SER-04") == {
        ("disnaker-pmptsp", "", "certified"): (1, 0),
        ("disnaker-pmptsp", "", "received"): (1, 0),
    }


def test_room_utilisation(city_data):
    # Open 4 hours on each of the 5 Mondays of March 2026; one approved 2-hour booking.
    cell = live("RUA-01")[("", "", "ruang-workshop")]
    assert cell == (120, 1200)
    assert indicators.get("RUA-01").figure(*cell) == 10.0


def test_every_rollup_equals_the_live_aggregate(city_data):
    for month in (MARCH, APRIL):
        rollups.refresh_month(month)
    for indicator in indicators.landed():
        for month in (MARCH, APRIL):
            assert rollups.stored(indicator.code, month) == live(indicator.code, month), (
                indicator.code
            )
    # A change after the refresh shows once the month is refreshed again, and only then.
    crafted.creator("Dinoyo", "P", 2000, created=MARCH)
    assert rollups.stored("KRE-01", MARCH) != live("KRE-01")
    rollups.refresh_month(MARCH)
    assert rollups.stored("KRE-01", MARCH) == live("KRE-01")
    assert RollupMonth.objects.filter(month=MARCH).count() == 1


def test_the_periodic_job_fills_the_history_and_refreshes_this_month(city_data):
    result = rollups.periodic()
    assert result["months"] == rollups.HISTORY_MONTHS
    assert RollupMonth.objects.count() == rollups.HISTORY_MONTHS
    before = RollupMonth.objects.get(month=rollups.current_month()).refreshed_at
    rollups.periodic()  # idempotent: the same rows, this month refreshed again
    assert RollupMonth.objects.get(month=rollups.current_month()).refreshed_at >= before
    assert Rollup.objects.filter(month=MARCH, code="KRE-01").count() == 3


def test_every_indicator_has_its_metadata():
    landed = {i.code for i in indicators.landed()}
    assert "KRE-01" in landed and "RUA-01" in landed
    for indicator in indicators.all_indicators():
        assert indicator.concept and indicator.formula and indicator.sources
        assert indicator.classification


def test_age_bands():
    from ekraf.insights.indicators.creators import age_band

    assert [age_band(2026, y) for y in (2012, 2002, 2001, 1992, 1972, 1971, None)] == [
        "15-24",
        "15-24",
        "25-34",
        "25-34",
        "45-54",
        "55+",
        "x",
    ]
    assert dt.date(2026, 3, 1) == MARCH
