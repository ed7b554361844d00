"""A property-based model of registrations (hypothesis RuleBasedStateMachine) through the
real services of src/ekraf/trainings/services/: any sequence of register, cancel, offer
(fill from the waiting list), accept, decline, expire, check-in and finish keeps

- confirmed ≤ seats, and confirmed + offered ≤ seats (a seat is never offered twice);
- every offered registration has its own open offer, each freed seat goes to one person;
- a ticket is checked in only while it holds a confirmed seat (waitlisted, offered and
  cancelled tickets are refused).

Bounded (few examples, short runs, derandomised) so it stays fast in CI."""

import contextlib
from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from ekraf.core.errors import DomainError
from ekraf.trainings import services
from ekraf.trainings.models import Attendance, Registration
from tests import factories
from tests.trainings import factories as tf

S = Registration.Status
SEATS = 2


class Registrations(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.people: list = []
        self.finished = False

    @initialize()
    def a_training(self):
        agency = factories.agency("diskominfo")
        self.organiser = factories.user("org", role="organiser", agency=agency)
        self.training = tf.training(agency, categories=(("Umum", SEATS),), sessions=1)
        self.session = self.training.sessions.get()

    def _registrations(self):
        return list(Registration.objects.filter(training=self.training).order_by("pk"))

    def _pick(self, index, status=None):
        rows = [r for r in self._registrations() if status is None or r.status == status]
        return rows[index % len(rows)] if rows else None

    @rule()
    def register(self):
        try:
            self.people.append(tf.register(self.training))
        except DomainError:
            assert self.finished  # only a finished training closes registration here

    @rule(i=st.integers(0, 20))
    def cancel(self, i):
        r = self._pick(i)
        if r is None:
            return
        with contextlib.suppress(DomainError):
            services.cancel_registration(r.user, r)

    @rule()
    def offer(self):
        services.fill_from_waitlist(self.training.categories.get().pk)

    @rule(i=st.integers(0, 20))
    def accept(self, i):
        r = self._pick(i, S.OFFERED)
        if r is not None:
            with contextlib.suppress(DomainError):
                services.accept_offer(r, actor=r.user)

    @rule(i=st.integers(0, 20))
    def decline(self, i):
        r = self._pick(i, S.OFFERED)
        if r is not None:
            with contextlib.suppress(DomainError):
                services.decline_offer(r, actor=r.user)

    @rule()
    def expire(self):
        services.expire_offers(now=timezone.now() + timedelta(days=30))

    @rule(i=st.integers(0, 20))
    def check_in(self, i):
        r = self._pick(i)
        if r is None:
            return
        held = r.status == S.CONFIRMED
        try:
            services.check_in(
                self.organiser, self.session, r.ticket_code, now=self.session.starts_at
            )
        except DomainError:
            assert not held or self.finished
        else:
            assert held, f"checked in a {r.status} ticket"

    @rule()
    def finish(self):
        try:
            services.finish_training(
                self.organiser, self.training, now=self.session.ends_at + timedelta(hours=1)
            )
            self.finished = True
        except DomainError:
            pass

    @invariant()
    def seats_are_never_oversold_nor_offered_twice(self):
        if not hasattr(self, "training"):
            return
        rows = self._registrations()
        confirmed = sum(r.status == S.CONFIRMED for r in rows)
        offered = [r for r in rows if r.status == S.OFFERED]
        assert confirmed <= SEATS
        assert confirmed + len(offered) <= SEATS
        assert all(r.offer_expires_at is not None for r in offered)

    @invariant()
    def only_seat_holders_were_checked_in(self):
        if not hasattr(self, "training"):
            return
        for a in Attendance.objects.filter(registration__training=self.training).select_related(
            "registration"
        ):
            # Checked in while confirmed; only cancelling afterwards may change the status.
            assert a.registration.status in (S.CONFIRMED, S.CANCELLED)


@pytest.mark.django_db
def test_registration_state_machine_keeps_seats_offers_and_checkins_consistent(city):
    run_state_machine_as_test(
        Registrations,
        settings=settings(
            max_examples=5,
            stateful_step_count=10,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
