"""Issue 9, point 3: consent is enforced on every surface, not on one query.

An organiser could read any creator's hidden phone and e-mail by putting that creator into one
of their own trainings: the participant page and peserta.xlsx showed them. The world's creator
(tests/security/world.py) withholds consent to be contacted, and was put into agency A's
training by an administrator, who may see the contact (so it is stored on the registration).
Here every route of the permission matrix that a role can open is read as that role — pages,
CSV, XLSX, PDF and API answers alike — and none may hold that phone or e-mail; nor may any
message the outbox holds for staff.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from ekraf.accounts import permissions
from ekraf.core.models import OutboxMessage
from ekraf.trainings import services as training_services
from ekraf.trainings.models import Registration

from .matrix import load
from .test_permission_matrix import Visitors, walk
from .world import HIDDEN_EMAIL, HIDDEN_PHONE

# Everyone but the person and administrators (who see every contact).
MAY_NOT_SEE = ("anon", "org_a", "org_b", "staff", "editor", "space", "comm")
SECRETS = (
    HIDDEN_EMAIL,
    HIDDEN_EMAIL.replace("@", "%40"),
    HIDDEN_PHONE,
    HIDDEN_PHONE.lstrip("+"),  # wa.me/62…
    "0" + HIDDEN_PHONE[3:],  # 0812…
    HIDDEN_PHONE[3:],
)


def readable(response) -> str:
    """The text a person would read in the answer, whatever its format."""
    content = response.content_bytes
    kind = response.get("Content-Type", "")
    if content.startswith(b"%PDF"):
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    if content.startswith(b"PK\x03\x04") or "spreadsheet" in kind:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
    return content.decode("utf-8", "replace")


def leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


def _readable_get(route, registry):
    return route.method == "GET"


@pytest.mark.django_db
def test_no_surface_shows_a_contact_the_creator_withheld(world):
    registry = load()
    found, read = [], 0
    for route, role, url, response in walk(
        world, registry, wanted_roles=MAY_NOT_SEE, only=_readable_get
    ):
        if response.status_code != 200:
            continue
        read += 1
        leaked = leaks(readable(response))
        if leaked:
            found.append(f"{route.key} ({url}) as {role}: {leaked}")
    assert read > 100  # the walk really read the pages the roles can open
    assert not found, "\n".join(found)


@pytest.mark.django_db
def test_the_organisers_own_pages_hide_it_while_the_administrator_sees_it(world):
    """The surfaces where the leak was: the participant list (and a search by the phone),
    the participant's page with its wa.me links, peserta.xlsx, the registry export as XLSX."""
    training = world.training
    visitors = Visitors(world)
    urls = [
        reverse("trainings:manage_participants", args=[training.public_id]),
        reverse("trainings:manage_participants", args=[training.public_id])
        + "?q="
        + HIDDEN_PHONE.replace("+", "%2B"),
        reverse(
            "trainings:manage_participant",
            args=[training.public_id, world.registration.public_id],
        ),
        reverse("trainings:manage_participants_xlsx", args=[training.public_id]),
        reverse("creators:staff_export", args=["xlsx"]),
    ]
    from .routes import Route

    page = Route("page", "", "page")
    for url in urls:
        organiser = visitors.request("org_a", page, url, None)
        assert organiser.status_code == 200, url
        if "?q=" in url:  # the search box shows what the organiser typed, and finds nobody
            assert "Kirana Tertutup" not in readable(organiser)
        else:
            assert not leaks(readable(organiser)), url
    assert "tidak bersedia dihubungi" in readable(visitors.request("org_a", page, urls[2], None))
    admin = visitors.request("admin", page, urls[2], None)
    assert HIDDEN_EMAIL in readable(admin) and "wa.me/" + HIDDEN_PHONE.lstrip("+") in readable(
        admin
    )


@pytest.mark.django_db
def test_no_outbox_message_to_staff_carries_the_contact(world):
    staff = [user for role, user in world.users.items() if role in MAY_NOT_SEE and user]
    for message in OutboxMessage.objects.filter(recipient__in=staff):
        text = " ".join([message.subject, message.body, message.wa_text, message.to_phone])
        assert not leaks(text), message.kind


@pytest.mark.django_db
def test_registering_someone_copies_only_what_the_organiser_may_see(world):
    """Organiser A puts the creator into another training: the registration stores no phone
    and no e-mail of theirs (the person is still told, through their account's address)."""
    from tests.trainings import factories as tf

    organiser = world.users["org_a"]
    other = tf.training(world.agency_a, title="Bimtek Video Pendek")
    assert not permissions.can_see_creator_contact(organiser, world.profile)
    defaults = training_services.applicant_defaults(world.creator, viewer=organiser)
    assert "phone" not in defaults and "email" not in defaults
    registration = training_services.register(
        organiser,
        other,
        training_services.Applicant(
            full_name=defaults["full_name"], phone=HIDDEN_PHONE, email=HIDDEN_EMAIL
        ),
        user=world.creator,
    )
    stored = Registration.objects.get(pk=registration.pk)
    assert (stored.phone, stored.email) == ("", "")
    message = OutboxMessage.objects.filter(dedupe_key__contains=registration.public_id).get()
    assert message.to_email == HIDDEN_EMAIL and message.to_phone == ""


@pytest.mark.django_db
def test_a_person_who_registers_themselves_gives_their_contact_to_that_training(world):
    """Their own registration is theirs to give: its organisers see what they typed."""
    from tests.trainings import factories as tf

    other = tf.training(world.agency_a, title="Bimtek Podcast")
    registration = tf.register(other, world.creator, phone=HIDDEN_PHONE, email=HIDDEN_EMAIL)
    registration = Registration.objects.select_related("training").get(pk=registration.pk)
    assert permissions.can_see_registration_contact(world.users["org_a"], registration, None)
    assert not permissions.can_see_registration_contact(world.users["org_b"], registration, None)


@pytest.mark.django_db
def test_a_copy_read_with_its_contact_hidden_is_never_saved(world):
    from ekraf.trainings import selectors

    row = selectors.participant(world.users["org_a"], world.training, world.registration.public_id)
    assert row.contact_hidden and row.phone == ""
    with pytest.raises(RuntimeError):
        row.save()
    assert Registration.objects.get(pk=row.pk).phone == HIDDEN_PHONE
