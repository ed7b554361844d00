"""Odd but possible addresses (huge numbers, long codes, broken tokens) answer 4xx, not 5xx."""

import pytest

pytestmark = pytest.mark.django_db

URLS = [
    "/openbadges/status/diskominfo/99999999999999999999999",
    "/openbadges/status/diskominfo/2147483648",
    "/kelola/sertifikat/penandatangan/99999999999999999999999/",
    "/kelola/pelaku/?hal=99999999999999999999999",
    "/kelola/pelaku/?hal=-1",
    "/kelola/rujukan/?status=%FF",
    "/verifikasi?kode=" + "A" * 100,
    "/verifikasi/" + "A" * 5000,
    "/v/" + "a.b.c",
    "/v/" + "eyJhbGciOiJFZDI1NTE5Iiwia2lkIjpbMV19.e30.AA",
    "/v/" + "eyJhbGciOiJFZDI1NTE5In0.e30.AA",
    "/kelola/pelaku/?subsector=" + "x" * 500,
    "/kreator/" + "x" * 500 + "/",
    "/sertifikat-saya/ABCD/pdf",
    "/api/v1/regions?level=kelurahan&parent=" + "x" * 500,
]


@pytest.mark.parametrize("url", URLS)
def test_odd_address_is_not_a_server_error(client, admin_user, url):
    client.force_login(admin_user)
    assert client.get(url).status_code < 500
