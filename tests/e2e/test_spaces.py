"""Journey 11 in a phone browser: the space manager sees the week's bookings, approves one of
two clashing requests, and the other is refused with the reason (its requester reads it)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ekraf.spaces.models import Booking
from tests import factories
from tests.e2e.conftest import login
from tests.spaces import factories as sf

pytestmark = pytest.mark.django_db(transaction=True)


def test_space_manager_approves_one_of_two_clashing_requests(page):
    factories.ensure_city()
    day = timezone.localdate() + timedelta(days=1)
    if day.weekday() == 6:  # the rooms are closed on Sundays
        day += timedelta(days=1)
    auditorium = sf.room("auditorium", buffer_minutes=60).space
    manager = factories.user("ruang", role="space_manager", full_name="Putri Maharani")
    dimas = sf.requester("dimas", full_name="Dimas Pratama")
    sari = sf.requester("sari", full_name="Sari Wulandari")
    game_jam = sf.request(
        auditorium, sf.at(day, 17), sf.at(day, 20), user=dimas, title="Malang Game Jam"
    )
    batik = sf.request(
        auditorium, sf.at(day, 18), sf.at(day, 21), user=sari, title="Pagelaran Batik Malangan"
    )
    sf.direct(
        sf.room("podcast").space,
        sf.at(day, 9),
        sf.at(day, 11),
        by=manager,
        title="Rekaman Siniar",
        attendees=4,
    )

    # The space manager opens the week: every booking of the centre, with what it is.
    login(page, manager.username, factories.PASSWORD)
    page.get_by_role("button", name="Buka menu").click()
    page.get_by_role("button", name="Kelola").click()
    page.get_by_role("link", name="Kelola ruang").click()
    page.get_by_role("link", name="Kalender").click()
    if not page.get_by_text("Malang Game Jam").count():
        page.get_by_role("link", name="Minggu berikutnya").click()
    grid = page.locator("table.space-grid")
    for title in ("Malang Game Jam", "Pagelaran Batik Malangan", "Rekaman Siniar"):
        assert grid.get_by_text(title).is_visible()

    # The queue groups the two requests that clash.
    page.get_by_role("link", name="Antrean").click()
    group = page.get_by_role("region", name="Auditorium")
    group.get_by_text("2 saling bentrok").wait_for()
    group.locator(f"[data-booking='{game_jam.public_id}']").get_by_role(
        "link", name="Setujui"
    ).click()
    # Approving says first which request it will refuse.
    warning = page.locator("#will-refuse")
    assert "Pagelaran Batik Malangan" in warning.inner_text()
    page.get_by_role("button", name="Setujui").click()
    page.get_by_text("1 permohonan yang bentrok ditolak").wait_for()
    assert page.get_by_text("Tidak ada permohonan yang menunggu.").is_visible()
    game_jam.refresh_from_db()
    batik.refresh_from_db()
    assert game_jam.status == Booking.Status.APPROVED
    assert batik.status == Booking.Status.DECLINED

    # The other requester reads that, and why.
    page.context.clear_cookies()
    login(page, sari.username, factories.PASSWORD)
    page.goto("/ruang/pemesanan/")
    page.get_by_role("link", name="Pagelaran Batik Malangan").click()
    assert page.locator("#booking-status").inner_text() == "Ditolak"
    reason = page.locator("#booking-reason").inner_text()
    assert "Bentrok dengan pemakaian lain yang disetujui" in reason
    assert "17.00–20.00" in reason
