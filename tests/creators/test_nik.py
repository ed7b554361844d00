"""NIK: shape, the +40 rule, agreement with gender and birth year, protection at rest."""

import datetime

import pytest
from django.test import override_settings

from ekraf.creators import nik

TODAY = datetime.date(2024, 1, 25)
# Kota Malang (35.73.05), born 12 March 1995, serial 0012.
MAN = "3573051203950012"
# The same, for a woman: day + 40.
WOMAN = "3573055203950012"


def test_a_good_nik_is_read():
    info = nik.parse(MAN, today=TODAY)
    assert info.birth_date == datetime.date(1995, 3, 12)
    assert info.gender == "L"
    assert info.region == "357305"
    assert info.serial == "0012"


def test_spaces_and_dots_as_printed_on_the_ktp_are_accepted():
    assert nik.parse("3573 0512 0395 0012", today=TODAY).nik == MAN
    assert nik.parse("3573.05.120395.0012", today=TODAY).nik == MAN


def test_a_nik_from_another_city_is_fine():
    assert nik.parse("3171011203950012", today=TODAY).province == "31"  # Jakarta


@pytest.mark.parametrize("value", ["357305120395001", "35730512039500121", "", "35730512039500a2"])
def test_bad_length_or_characters(value):
    with pytest.raises(nik.NikError, match="16 angka"):
        nik.parse(value, today=TODAY)


@pytest.mark.parametrize(
    "value",
    [
        "3573053102950012",  # 31 February
        "3573051213950012",  # month 13
        "3573050003950012",  # day 0
        "3573057203950012",  # women's day 72 → 32
    ],
)
def test_bad_birth_date(value):
    with pytest.raises(nik.NikError, match="bukan tanggal yang sah"):
        nik.parse(value, today=TODAY)


def test_two_digit_year_is_never_in_the_future():
    # 12 March 2024 is after "today" (25 January 2024): the person was born in 1924.
    assert nik.parse("3573051203240012", today=TODAY).birth_date.year == 1924
    # A baby born today is fine.
    assert nik.parse("3573052501240012", today=TODAY).birth_date == TODAY
    assert nik.parse("3573051203050012", today=TODAY).birth_date.year == 2005


def test_female_plus_forty():
    info = nik.parse(WOMAN, today=TODAY)
    assert info.gender == "P"
    assert info.birth_date == datetime.date(1995, 3, 12)


def test_gender_must_agree_with_the_nik():
    assert nik.parse(WOMAN, gender="P", today=TODAY)
    with pytest.raises(nik.NikError, match="milik perempuan"):
        nik.parse(WOMAN, gender="L", today=TODAY)
    with pytest.raises(nik.NikError, match="milik laki-laki"):
        nik.parse(MAN, gender="P", today=TODAY)


def test_birth_year_must_agree_with_the_nik():
    assert nik.parse(MAN, birth_year=1995, today=TODAY)
    with pytest.raises(nik.NikError, match="1995.*1996"):
        nik.parse(MAN, birth_year=1996, today=TODAY)


@pytest.mark.parametrize(
    "value",
    [
        "9973051203950012",  # no province 99
        "2073051203950012",
        "3500051203950012",  # kabupaten/kota 00
        "3573001203950012",  # kecamatan 00
        "3573051203950000",  # serial 0000
    ],
)
def test_region_code_and_serial_get_the_same_words_as_a_taken_nik(value):
    """A refusal the person cannot check on their KTP says the same as "already registered"
    would, so typing NIKs tells nobody which ones have an account."""
    with pytest.raises(nik.NikError) as refused:
        nik.parse(value, today=TODAY)
    assert refused.value.message == nik.not_accepted()


def test_mask():
    assert nik.mask(MAN) == "3573••••••••0012"


def test_encryption_round_trip_and_key_rotation(settings):
    from cryptography.fernet import Fernet

    token = nik.encrypt(MAN)
    assert MAN not in token
    assert nik.decrypt(token) == MAN
    # A new key in front encrypts; the old one still decrypts what it wrote.
    new = Fernet.generate_key().decode()
    with override_settings(FIELD_ENCRYPTION_KEYS=[new, *settings.FIELD_ENCRYPTION_KEYS]):
        assert nik.decrypt(token) == MAN
    with override_settings(FIELD_ENCRYPTION_KEYS=[new]), pytest.raises(nik.NikError):
        nik.decrypt(token)


def test_keyed_hash_finds_equal_niks_only_with_the_key(settings):
    assert nik.keyed_hash(MAN) == nik.keyed_hash("3573 0512 0395 0012")
    assert nik.keyed_hash(MAN) != nik.keyed_hash(WOMAN)
    before = nik.keyed_hash(MAN)
    with override_settings(PERSONAL_DATA_HASH_KEY="another-key"):
        assert nik.keyed_hash(MAN) != before
