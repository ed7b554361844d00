"""Contact details follow consent: registry staff see a creator's phone and e-mail only while
the person consents to the talent directory, or when their own agency imported the person;
administrators always. Pages, exports and the API decide alike (can_see_creator_contact), and
a search by phone or e-mail never finds a hidden contact."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from ekraf.accounts import permissions
from ekraf.accounts import services as account_services
from ekraf.creators import services
from ekraf.creators.models import CreatorProfile
from tests import factories
from tests.creators import factories as cf

pytestmark = pytest.mark.django_db

LIST = reverse("creators:staff_list")
HIDDEN = "tidak bersedia dihubungi"


@pytest.fixture
def agency_staff(city):
    return factories.user("staf", role="agency_staff", agency=factories.agency("disporapar"))


def consenting(name, **kwargs):
    profile = cf.creator(name, **kwargs)
    services.set_sharing(
        profile.user,
        profile,
        services.SharingChoice(public_profile=False, talent_directory=True),
    )
    return profile


def imported_by(agency, name, **kwargs):
    profile = cf.creator(name, **kwargs)
    CreatorProfile.objects.filter(pk=profile.pk).update(
        source=CreatorProfile.Source.IMPORT, source_agency=agency
    )
    profile.refresh_from_db()
    return profile


@pytest.fixture
def people(diskominfo):
    return {
        "hidden": cf.creator("Hana Tertutup", phone="+6281211110001", email="hana@contoh.id"),
        "open": consenting("Oki Terbuka", phone="+6281211110002", email="oki@contoh.id"),
        "imported": imported_by(
            diskominfo, "Ima Impor", phone="+6281211110003", email="ima@contoh.id"
        ),
    }


def test_the_rule(people, organiser, agency_staff, admin_user, creator_user):
    hidden, open_, imported = people["hidden"], people["open"], people["imported"]
    see = permissions.can_see_creator_contact
    # Consent to the talent directory opens the contact to every registry user.
    assert see(organiser, open_) and see(agency_staff, open_)
    # Without it: only the importing agency (Diskominfo), and administrators.
    assert not see(organiser, hidden) and not see(agency_staff, hidden)
    assert see(organiser, imported) and not see(agency_staff, imported)
    assert see(admin_user, hidden) and see(admin_user, imported)
    # Creators are not registry staff; the person always sees their own.
    assert not see(creator_user, open_)
    assert see(hidden.user, hidden)
    # Withdrawing the consent hides the contact again, at once.
    services.set_sharing(
        open_.user, open_, services.SharingChoice(public_profile=False, talent_directory=False)
    )
    assert not see(organiser, CreatorProfile.objects.get(pk=open_.pk))
    # A deleted profile has no contact to show to anyone.
    services.erase_profile(imported.user)
    imported = CreatorProfile.objects.get(pk=imported.pk)
    assert not see(admin_user, imported) and not see(organiser, imported)


def _row(response, name):
    body = response.content.decode()
    start = body.index(name)
    return body[start : body.index("</tr>", start)]


def test_staff_list_shows_contacts_only_where_allowed(client, people, organiser, agency_staff):
    client.force_login(agency_staff)
    response = client.get(LIST)
    assert "oki@contoh.id" in _row(response, "Oki Terbuka")
    assert "+6281211110002" in _row(response, "Oki Terbuka")
    for name, secret in (("Hana Tertutup", "hana@contoh.id"), ("Ima Impor", "ima@contoh.id")):
        row = _row(response, name)
        assert secret not in row and HIDDEN in row
    assert "+6281211110001" not in response.content.decode()

    client.force_login(organiser)  # Diskominfo imported Ima
    response = client.get(LIST)
    assert "ima@contoh.id" in _row(response, "Ima Impor")
    assert HIDDEN in _row(response, "Hana Tertutup")
    assert "hana@contoh.id" not in response.content.decode()


def test_staff_profile_page(client, people, organiser, admin_user):
    hidden_url = reverse("creators:staff_detail", args=[people["hidden"].public_id])
    client.force_login(organiser)
    body = client.get(hidden_url).content.decode()
    assert HIDDEN in body
    assert "hana@contoh.id" not in body and "+6281211110001" not in body
    assert "wa.me" not in body
    body = client.get(reverse("creators:staff_detail", args=[people["imported"].public_id]))
    assert "ima@contoh.id" in body.content.decode()
    client.force_login(admin_user)
    body = client.get(hidden_url).content.decode()
    assert "hana@contoh.id" in body and "wa.me/6281211110001" in body and HIDDEN not in body


def _export(client, fmt):
    response = client.get(reverse("creators:staff_export", args=[fmt]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_exports_leave_hidden_contacts_empty(client, people, organiser):
    client.force_login(organiser)
    rows = list(csv.reader(io.StringIO(_export(client, "csv").decode("utf-8-sig"))))
    header = rows[0]
    email, phone, contact = header.index("Email"), header.index("Telepon"), header.index("Kontak")
    by_name = {r[1]: r for r in rows[1:]}
    hana = by_name["Hana Tertutup"]
    assert (hana[email], hana[phone], hana[contact]) == ("", "", HIDDEN)
    oki = by_name["Oki Terbuka"]
    assert (oki[email], oki[phone], oki[contact]) == ("oki@contoh.id", "+6281211110002", "")
    assert by_name["Ima Impor"][email] == "ima@contoh.id"  # Diskominfo's own import

    workbook = load_workbook(io.BytesIO(_export(client, "xlsx")), read_only=True)
    cells = list(workbook.active.iter_rows(values_only=True))
    hana = next(r for r in cells if r[1] == "Hana Tertutup")
    assert hana[email] in (None, "") and hana[phone] in (None, "") and hana[contact] == HIDDEN
    flat = " ".join(str(c) for row in cells for c in row)
    assert "hana@contoh.id" not in flat and "+6281211110001" not in flat


def bearer(user) -> dict:
    _record, token = account_services.create_api_token(user, "uji")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_api_nulls_hidden_contacts_with_a_flag(client, people, agency_staff, admin_user):
    headers = bearer(agency_staff)
    items = {i["full_name"]: i for i in client.get("/api/v1/creators", **headers).json()["items"]}
    assert items["Hana Tertutup"]["email"] is None and items["Hana Tertutup"]["phone"] is None
    assert items["Hana Tertutup"]["contact_hidden"] is True
    assert items["Ima Impor"]["contact_hidden"] is True  # imported by another agency
    assert items["Oki Terbuka"]["email"] == "oki@contoh.id"
    assert items["Oki Terbuka"]["phone"] == "+6281211110002"
    assert items["Oki Terbuka"]["contact_hidden"] is False
    detail = client.get(f"/api/v1/creators/{people['hidden'].public_id}", **headers).json()
    assert (detail["email"], detail["phone"], detail["contact_hidden"]) == (None, None, True)
    assert "hana@contoh.id" not in json_dump(detail)

    detail = client.get(
        f"/api/v1/creators/{people['hidden'].public_id}", **bearer(admin_user)
    ).json()
    assert detail["email"] == "hana@contoh.id" and detail["contact_hidden"] is False


def json_dump(data) -> str:
    import json

    return json.dumps(data)


def test_the_owner_still_reads_their_own_contact_in_the_api(client, people):
    hana = people["hidden"].user
    data = client.get("/api/v1/me/profile", **bearer(hana)).json()
    assert data["email"] == "hana@contoh.id" and data["phone"] == "+6281211110001"
    assert data["contact_hidden"] is False


def names(response) -> set[str]:
    return {p.full_name for p in response.context["page"]}


def test_search_by_phone_or_email_never_finds_a_hidden_contact(
    client, people, organiser, agency_staff, admin_user
):
    client.force_login(agency_staff)
    # A hidden number cannot be probed digit by digit, nor a hidden address guessed.
    for probe in ("0812-1111-0001", "+6281211110001", "1110001", "hana@contoh.id", "hana@"):
        assert names(client.get(LIST, {"q": probe})) == set(), probe
    assert names(client.get(LIST, {"q": "ima@contoh.id"})) == set()  # another agency's import
    # Names and visible contacts are still found.
    assert names(client.get(LIST, {"q": "Hana"})) == {"Hana Tertutup"}
    assert names(client.get(LIST, {"q": "0812-1111-0002"})) == {"Oki Terbuka"}
    assert names(client.get(LIST, {"q": "08121111"})) == {"Oki Terbuka"}
    assert names(client.get(LIST, {"q": "oki@"})) == {"Oki Terbuka"}

    client.force_login(organiser)
    assert names(client.get(LIST, {"q": "08121111"})) == {"Oki Terbuka", "Ima Impor"}
    client.force_login(admin_user)
    assert names(client.get(LIST, {"q": "08121111"})) == {
        "Hana Tertutup",
        "Oki Terbuka",
        "Ima Impor",
    }

    headers = bearer(agency_staff)
    found = client.get("/api/v1/creators", {"q": "hana@contoh.id"}, **headers).json()
    assert found["count"] == 0
    # The export follows the same search.
    client.force_login(organiser)
    response = client.get(reverse("creators:staff_export", args=["csv"]), {"q": "hana@contoh.id"})
    assert b"Hana" not in b"".join(response.streaming_content)


def _count(client, url, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params, **params.pop("headers", {}))
    assert response.status_code == 200
    return len(ctx)


def test_deciding_per_row_costs_no_query(client, organiser, diskominfo):
    """Mixed consent on a page costs the same queries as one row: the consent comes in the
    rows' own query (an EXISTS annotation), never one query per row."""
    consenting("Satu Terbuka", phone="+6281299990001")
    client.force_login(organiser)
    headers = bearer(organiser)

    def counts():
        out = []
        for url in (LIST, "/api/v1/creators"):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url, **headers).status_code == 200
            out.append(len(ctx))
        with CaptureQueriesContext(connection) as ctx:
            _export(client, "csv")
        out.append(len(ctx))
        return out

    counts()  # the token's first use of the minute records last_used_at
    one = counts()
    for i in range(4):
        cf.creator(f"Tertutup {i}", phone=f"+628129999100{i}")
        consenting(f"Terbuka {i}", phone=f"+628129999200{i}")
        imported_by(diskominfo, f"Impor {i}", phone=f"+628129999300{i}")
    assert counts() == one
