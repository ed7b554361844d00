"""Who changed what is in the (hash-chained) audit trail: registrations, offers, check-ins,
scores, completion, and roles; and the chain still verifies after a whole journey."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ekraf.accounts import services as account_services
from ekraf.accounts.models import Role
from ekraf.core import auditchain
from ekraf.core.models import AuditEvent
from ekraf.trainings import services
from ekraf.trainings.models import Registration
from tests import factories
from tests.trainings import factories as tf

pytestmark = pytest.mark.django_db
S = Registration.Status


def _actions(target=None):
    qs = AuditEvent.objects.order_by("seq")
    if target is not None:
        qs = qs.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
    return list(qs.values_list("action", flat=True))


def test_registration_offers_checkin_scores_and_completion_are_audited(organiser, diskominfo):
    training = tf.training(
        diskominfo,
        categories=(("Umum", 1),),
        sessions=1,
        starts_in=timedelta(hours=1),
        completion_min_post_test=70,
    )
    first, second, third = (tf.register(training) for _ in range(3))
    assert _actions(first) == ["training.registration.create"]
    event = AuditEvent.objects.get(action="training.registration.create", target_id=first.pk)
    assert event.actor == first.user and event.detail["status"] == S.CONFIRMED

    services.cancel_registration(first.user, first)
    second.refresh_from_db()
    assert second.status == S.OFFERED
    services.decline_offer(second, actor=second.user)
    third.refresh_from_db()
    services.accept_offer(third, actor=third.user)
    assert "training.registration.decline_offer" in _actions(second)
    assert "training.registration.accept_offer" in _actions(third)

    session = training.sessions.get()
    services.check_in(organiser, session, third.ticket_code, now=session.starts_at)
    services.check_in(organiser, session, third.ticket_code, now=session.starts_at)  # no change
    third.refresh_from_db()
    services.set_scores(organiser, third, post="80")
    services.compute_completion(organiser, training)
    assert _actions(third).count("training.checkin") == 1  # the second scan changed nothing
    assert "training.scores.set" in _actions(third)
    scores = AuditEvent.objects.get(action="training.scores.set")
    assert scores.actor == organiser and scores.detail["post_test_score"].startswith("80")
    assert "training.completion" in _actions(training)
    assert auditchain.verify().ok


def test_expired_offers_are_audited(diskominfo):
    training = tf.training(diskominfo, categories=(("Umum", 1),))
    first, second = tf.register(training), tf.register(training)
    services.cancel_registration(first.user, first)
    second.refresh_from_db()
    services.expire_offers(now=second.offer_expires_at + timedelta(minutes=1))
    assert "training.registration.offer_expired" in _actions(second)


def test_an_organiser_registering_someone_is_audited_as_the_organiser(organiser, diskominfo):
    training = tf.training(diskominfo)
    person = tf.person()
    registration = tf.register(training, person, actor=organiser)
    event = AuditEvent.objects.get(action="training.registration.create")
    assert event.actor == organiser and event.detail["by_organiser"] is True
    assert event.target_id == str(registration.pk)


def test_role_changes_are_audited_in_services_and_in_the_admin_site(client, admin_user, diskominfo):
    person = factories.user("calon", role="creator")
    account_services.grant_role(person, Role.ORGANISER, diskominfo, actor=admin_user)
    account_services.revoke_role(person, Role.ORGANISER, diskominfo, actor=admin_user)
    grant, revoke = AuditEvent.objects.filter(
        action__startswith="accounts.role.", actor=admin_user
    ).order_by("seq")
    assert (grant.action, revoke.action) == ("accounts.role.grant", "accounts.role.revoke")
    assert grant.actor == admin_user and grant.detail == {
        "role": "organiser",
        "agency": "diskominfo",
    }

    client.force_login(admin_user)
    url = reverse("admin:accounts_user_change", args=[person.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        {
            "username": person.username,
            "email": person.email,
            "full_name": "Calon Editor",
            "date_joined_0": timezone.localdate().isoformat(),
            "date_joined_1": "08:00:00",
            "is_active": "on",
            "role_grants-TOTAL_FORMS": "2",
            "role_grants-INITIAL_FORMS": "1",
            "role_grants-0-id": str(person.role_grants.get().pk),
            "role_grants-0-user": str(person.pk),
            "role_grants-0-role": "creator",
            "role_grants-1-user": str(person.pk),
            "role_grants-1-role": "editor",
        }
    )
    data.pop("email_verified_at", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    added = (
        AuditEvent.objects.filter(action="accounts.role.grant", actor=admin_user)
        .order_by("seq")
        .last()
    )
    assert added.detail["role"] == "editor"
    assert AuditEvent.objects.filter(action="accounts.user.change", actor=admin_user).exists()
