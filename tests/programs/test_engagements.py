"""The engagement state machine, deliverables, notifications and the API journey."""

import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image

from ekraf.accounts import services as accounts
from ekraf.core.errors import Conflict, DomainError, NotAllowed
from ekraf.core.models import AuditEvent, OutboxMessage
from ekraf.programs import selectors, services
from ekraf.programs.models import Engagement, State, Transition
from tests import factories as base_factories
from tests.programs import factories as pf

pytestmark = pytest.mark.django_db


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {accounts.create_api_token(user, 'uji')[1]}"}


def _deliverable(**extra):
    return services.DeliverableInput(
        url=extra.pop("url", "https://www.instagram.com/p/XYZ789/?igsh=abc"),
        posted_on=extra.pop("posted_on", timezone.localdate()),
        hashtags=extra.pop("hashtags", ["#MalangBeken"]),
        **extra,
    )


def test_every_illegal_transition_is_refused(diskominfo):
    programme = pf.programme(diskominfo)
    ayu = pf.candidate("Ayu")
    e = services.invite(programme._staff, programme, programme.roles.get(), ayu)
    for state in State.values:
        for to in State.values:
            if (state, to) in services.TRANSITIONS:
                continue
            Engagement.objects.filter(pk=e.pk).update(state=state)
            for actor in (ayu.user, programme._staff):
                with pytest.raises(Conflict) as exc:
                    services.transition(actor, e, to, note="x")
                assert exc.value.code == "illegal_transition"
    assert Engagement.objects.get(pk=e.pk).state == State.values[-1]


def test_a_step_of_the_other_side_is_forbidden(diskominfo):
    programme = pf.programme(diskominfo)
    ayu = pf.candidate("Ayu")
    e = services.invite(programme._staff, programme, programme.roles.get(), ayu)
    with pytest.raises(NotAllowed):
        services.transition(programme._staff, e, State.ACCEPTED)
    with pytest.raises(DomainError):
        services.transition(ayu.user, e, State.DECLINED)  # a reason is required
    stranger = pf.candidate("Orang Lain").user
    with pytest.raises(NotAllowed):
        services.transition(stranger, e, State.ACCEPTED)


def test_journey_invite_accept_deliver_revise_approve_is_recorded(diskominfo):
    programme = pf.programme(diskominfo)
    staff = programme._staff
    ayu = pf.candidate("Ayu", phone="081234567890")
    e = services.invite(staff, programme, programme.roles.get(), ayu)
    services.transition(ayu.user, e, State.ACCEPTED)
    with pytest.raises(DomainError) as missing:
        services.submit_deliverable(ayu.user, e, _deliverable(hashtags=["#lain"]))
    assert "#malangbeken" in missing.value.message
    with pytest.raises(DomainError):
        services.submit_deliverable(ayu.user, e, _deliverable(url="https://tiktok.com/@a/video/1"))
    d = services.submit_deliverable(
        ayu.user,
        e,
        _deliverable(metrics=services.MetricsInput(views=1000, likes=50, source="Insights")),
    )
    assert d.url == "https://instagram.com/p/XYZ789"
    services.transition(staff, e, State.REVISION_REQUESTED, note="Tambahkan tagar di awal")
    services.submit_deliverable(ayu.user, e, _deliverable(url="https://instagram.com/p/NEW1/"))
    services.transition(staff, e, State.APPROVED)
    services.record_metrics(
        ayu.user,
        d,
        services.MetricsInput(views=5000, likes=200, comments=9, source="Insights 7 hari"),
    )
    states = list(Transition.objects.filter(engagement=e).values_list("to_state", flat=True))
    assert states == [
        "invited",
        "accepted",
        "delivered",
        "revision_requested",
        "delivered",
        "approved",
    ]
    assert AuditEvent.objects.filter(action__startswith="programs.engagement_").count() == 6
    kinds = set(OutboxMessage.objects.values_list("kind", flat=True))
    assert {
        "programs.invited",
        "programs.accepted",
        "programs.revision_requested",
        "programs.approved",
    } <= kinds
    assert "wa.me" in services.share_link(e)
    totals = selectors.reach_totals([programme], "programme")
    assert totals == [{"key": programme.title, "reach": 5000, "engagement": 209}]
    assert selectors.reach_totals(None, "hashtag")[0]["key"] == "#malangbeken"
    assert d.readings.count() == 2


def test_screenshot_is_reencoded(diskominfo):
    from django.core.files.uploadedfile import SimpleUploadedFile

    programme = pf.programme(diskominfo)
    ayu = pf.candidate("Ayu")
    e = services.invite(programme._staff, programme, programme.roles.get(), ayu)
    services.transition(ayu.user, e, State.ACCEPTED)
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buf, "PNG")
    shot = SimpleUploadedFile("bukti.png", buf.getvalue(), content_type="image/png")
    d = services.submit_deliverable(ayu.user, e, _deliverable(screenshot=shot))
    assert d.screenshot.name.endswith(".jpg") and "bukti" not in d.screenshot.name


def test_due_reminders_are_sent_once(diskominfo):
    programme = pf.programme(
        diskominfo, starts_in=0, due_on=timezone.localdate() + datetime.timedelta(days=3)
    )
    ayu = pf.candidate("Ayu")
    e = services.invite(programme._staff, programme, programme.roles.get(), ayu)
    services.transition(ayu.user, e, State.ACCEPTED)
    assert services.send_due_reminders() == 1
    services.send_due_reminders()
    assert OutboxMessage.objects.filter(kind="programs.reminder").count() == 1


def test_api_journey_with_reasons_and_409(client, diskominfo):
    staff = pf.staff(diskominfo)
    ayu = pf.candidate("Ayu API")
    start = timezone.localdate() + datetime.timedelta(days=5)
    created = client.post(
        "/api/v1/programmes",
        {
            "agency": "diskominfo",
            "title": "Kampanye API",
            "objective": "Citra kota",
            "starts_on": start.isoformat(),
            "ends_on": (start + datetime.timedelta(days=20)).isoformat(),
            "roles": [{"pathway": "content_creator", "seats": 2}],
            "hashtags": ["#MalangBeken"],
            "subsectors": ["fotografi"],
        },
        content_type="application/json",
        **_auth(staff),
    )
    assert created.status_code == 201, created.content
    body = created.json()
    pid, role = body["id"], body["roles"][0]["id"]
    assert client.get(f"/api/v1/programmes/{pid}").status_code == 404  # a draft
    recs = client.get(
        f"/api/v1/programmes/{pid}/recommendations?role={role}", **_auth(staff)
    ).json()
    [item] = [c for c in recs["candidates"] if c["creator"] == ayu.public_id]
    assert round(sum(r["points"] for r in item["reasons"]), 1) == item["score"]
    assert {"code", "label", "points"} == set(item["reasons"][0])
    inv = client.post(
        f"/api/v1/programmes/{pid}/invitations",
        {"role": role, "creator": ayu.public_id},
        content_type="application/json",
        **_auth(staff),
    )
    assert inv.status_code == 201
    eid = inv.json()["id"]
    again = client.post(
        f"/api/v1/engagements/{eid}/approve", {}, content_type="application/json", **_auth(staff)
    )
    assert again.status_code == 409 and again.json()["code"] == "illegal_transition"
    ok = client.post(
        f"/api/v1/engagements/{eid}/accept", {}, content_type="application/json", **_auth(ayu.user)
    )
    assert ok.json()["state"] == "accepted"
    sent = client.post(
        f"/api/v1/engagements/{eid}/deliverables",
        {
            "url": "instagram.com/p/API1",
            "posted_on": timezone.localdate().isoformat(),
            "hashtags": ["#malangbeken"],
            "metrics": {"views": 10, "source": "Insights"},
        },
        content_type="application/json",
        **_auth(ayu.user),
    )
    assert sent.status_code == 201 and sent.json()["state"] == "delivered"
    rev = client.post(
        f"/api/v1/engagements/{eid}/request-revision",
        {"note": "Perbaiki"},
        content_type="application/json",
        **_auth(staff),
    )
    assert rev.json()["state"] == "revision_requested"
    other = pf.staff(base_factories.agency("diskopindag"))
    assert client.get(f"/api/v1/engagements/{eid}", **_auth(other)).status_code == 404


def test_pages_keep_a_constant_query_count(client, diskominfo, django_assert_max_num_queries):
    programme = pf.programme(diskominfo)
    role = programme.roles.get()
    client.force_login(programme._staff)
    for i in range(2):
        e = services.invite(programme._staff, programme, role, pf.candidate(f"P{i}"))
    pf.candidate("Belum diundang")
    urls = [
        f"/kelola/program/{programme.public_id}/",
        f"/kelola/program/{programme.public_id}/peran/{role.pk}/rekomendasi/",
        "/kelola/program/",
        "/program/",
    ]
    counts = {}
    for url in urls:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts[url] = len(ctx.captured_queries)
    for i in range(3):
        e = services.invite(programme._staff, programme, role, pf.candidate(f"Q{i}"))
        services.transition(e.creator.user, e, State.ACCEPTED)
        pf.candidate(f"R{i}")
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200
