"""The registry in the API: staff search, a creator's own profile, clear 4xx answers."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ekraf.accounts import services as account_services
from ekraf.creators.models import CreatorProfile
from tests import factories
from tests.creators import factories as cf

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    _record, token = account_services.create_api_token(user, "uji")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def put(client, data, **headers):
    return client.put(
        "/api/v1/me/profile", json.dumps(data), content_type="application/json", **headers
    )


def test_staff_search_the_registry(client, organiser):
    cf.creator("Ayu Kartika", subsectors=("kuliner",), channels=[("instagram", "@ayu.k", 100)])
    cf.creator("Budi", village="Klojen", subsectors=("fotografi",))
    headers = bearer(organiser)
    data = client.get("/api/v1/creators", **headers).json()
    assert data["count"] == 2
    ayu = next(item for item in data["items"] if item["full_name"] == "Ayu Kartika")
    assert ayu["kelurahan"] == {"code": "35.73.05.1004", "name": "Dinoyo"}
    assert ayu["kecamatan"] == {"code": "35.73.05", "name": "Lowokwaru"}
    assert ayu["subsectors"] == ["kuliner"]
    assert ayu["channels"][0]["url"] == "https://www.instagram.com/ayu.k/"
    assert "nik" not in json.dumps(ayu).lower()
    assert [
        i["full_name"] for i in client.get("/api/v1/creators?q=ayu.k", **headers).json()["items"]
    ] == ["Ayu Kartika"]
    assert client.get("/api/v1/creators?kecamatan=35.73.02", **headers).json()["count"] == 1
    assert client.get("/api/v1/creators?subsector=kuliner", **headers).json()["count"] == 1
    assert client.get("/api/v1/creators?platform=instagram", **headers).json()["count"] == 1
    assert client.get("/api/v1/creators?platform=myspace", **headers).status_code == 422

    detail = client.get(f"/api/v1/creators/{ayu['public_id']}", **headers).json()
    assert detail["nik_masked"] == ""
    assert client.get("/api/v1/creators/TIDAKADA00", **headers).status_code == 404


def test_list_query_count_is_constant(client, organiser):
    headers = bearer(organiser)
    cf.bulk_creators(1, prefix="Satu")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/creators", **headers).status_code == 200
        return len(ctx)

    count()  # the token's first use of the minute records last_used_at
    one = count()
    cf.bulk_creators(10, prefix="Banyak")
    assert count() == one


def test_a_page_number_beyond_reach_is_422_not_a_database_error(client, organiser):
    # The offset of page 10**30 fits no database integer: it was a 500 (SQLite and PostgreSQL).
    headers = bearer(organiser)
    response = client.get(f"/api/v1/creators?page={10**30}", **headers)
    assert response.status_code == 422
    assert client.get(f"/api/v1/creators?page_size={10**30}", **headers).status_code == 200
    assert client.get("/api/v1/creators?page=2&page_size=100", **headers).status_code == 200


def test_creators_and_strangers_cannot_search(client, creator_user):
    assert client.get("/api/v1/creators").status_code == 401
    response = client.get("/api/v1/creators", **bearer(creator_user))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_my_profile_get_and_put(client, creator_user):
    headers = bearer(creator_user)
    data = client.get("/api/v1/me/profile", **headers).json()
    assert data["full_name"] == creator_user.full_name  # created lazily
    response = put(
        client,
        {
            "display_name": "Ayu Ngalam",
            "phone": "0812 3456 7890",
            "kelurahan": "35.73.05.1004",
            "subsectors": ["kuliner"],
            "skills": ["review kuliner"],
            "pathways": ["narasumber"],
            "channels": [
                {"platform": "tiktok", "account": "tiktok.com/@ayu.ngalam", "followers": "5,2rb"}
            ],
        },
        **headers,
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["phone"] == "+6281234567890"
    assert data["channels"][0]["handle"] == "ayu.ngalam"
    assert data["channels"][0]["followers"] == 5200
    assert data["public_profile"] is False
    # Fields left out stay; null clears.
    data = put(client, {"kelurahan": None}, **headers).json()
    assert data["kelurahan"] is None and data["display_name"] == "Ayu Ngalam"


def test_put_errors_are_422_in_indonesian(client, creator_user):
    headers = bearer(creator_user)
    cf.creator(phone="+6281234567890")
    response = put(
        client,
        {
            "phone": "0812 3456 7890",
            "birth_year": 1800,
            "channels": [{"platform": "instagram", "account": "https://tiktok.com/@x"}],
        },
        **headers,
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["phone"] == ["Nomor telepon ini sudah dipakai akun lain."]
    assert "Tahun lahir harus antara" in errors["birth_year"][0]
    assert "bukan tautan Instagram" in errors["channels.0"][0]
    response = put(client, {"nik": cf.NIK_MAN}, **headers)
    assert response.status_code == 422 and "nik_consent" in response.json()["errors"]
    response = put(client, {"nik": "123", "nik_consent": True}, **headers)
    assert response.json()["errors"]["nik"] == ["NIK harus 16 angka (sekarang 3 karakter)."]
    assert CreatorProfile.objects.get(user=creator_user).phone == ""


@pytest.mark.parametrize(
    "payload",
    [
        "not json",
        json.dumps({"birth_year": "tahun"}),
        json.dumps({"channels": [{"platform": "x"}]}),
        json.dumps({"channels": "banyak"}),
        json.dumps({"subsectors": [None]}),
        json.dumps({"kelurahan": "x" * 5000}),
        json.dumps({"gender": "Z", "full_name": "   "}),
        json.dumps({"channels": [{"platform": "website", "account": "http://[::1"}]}),
        json.dumps({"channels": [{"platform": "x", "account": "@a", "followers": -5}]}),
        json.dumps({"channels": [{"platform": "x", "account": "@a", "followers": 10**11}]}),
        '{"channels": [{"platform": "x", "account": "@a", "followers": Infinity}]}',
    ],
)
def test_garbage_is_4xx_never_5xx(client, creator_user, payload):
    response = client.put(
        "/api/v1/me/profile", payload, content_type="application/json", **bearer(creator_user)
    )
    assert 400 <= response.status_code < 500, response.content


def test_a_body_that_is_not_an_object_is_not_a_server_error(client, creator_user):
    response = client.put(
        "/api/v1/me/profile", "[1, 2]", content_type="application/json", **bearer(creator_user)
    )
    assert response.status_code < 500


def test_staff_without_creator_role_have_no_own_profile(client, organiser):
    assert client.get("/api/v1/me/profile", **bearer(organiser)).status_code == 403


def test_api_docs_list_the_creator_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/creators",
        "/api/v1/creators/{public_id}",
        "/api/v1/me/profile",
        "/api/v1/creator-imports/{public_id}",
    ):
        assert path in schema["paths"]


def test_agency_staff_see_the_registry_but_not_imports(client, city, organiser):
    staff = factories.user("staf", role="agency_staff", agency=factories.agency("disporapar"))
    assert client.get("/api/v1/creators", **bearer(staff)).status_code == 200
