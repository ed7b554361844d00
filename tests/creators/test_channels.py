"""Channels: whatever people type (handle or link) becomes one canonical account."""

import pytest

from ekraf.creators.channels import ChannelError, normalise, parse_followers


@pytest.mark.parametrize(
    "typed",
    [
        "@Ayu.Kreatif",
        "ayu.kreatif",
        "instagram.com/ayu.kreatif",
        "https://www.instagram.com/ayu.kreatif/?igsh=MTc4bWZ",
        "http://m.instagram.com/ayu.kreatif",
    ],
)
def test_instagram_handle_or_link(typed):
    channel = normalise("instagram", typed)
    assert channel.handle == "ayu.kreatif"
    assert channel.url == "https://www.instagram.com/ayu.kreatif/"


@pytest.mark.parametrize(
    ("platform", "typed", "handle", "url"),
    [
        ("tiktok", "@malang.kuliner", "malang.kuliner", "https://www.tiktok.com/@malang.kuliner"),
        (
            "tiktok",
            "https://www.tiktok.com/@malang.kuliner/video/7312345678901234567",
            "malang.kuliner",
            "https://www.tiktok.com/@malang.kuliner",
        ),
        ("youtube", "@NgalamVlog", "ngalamvlog", "https://www.youtube.com/@ngalamvlog"),
        (
            "youtube",
            "https://youtube.com/channel/UCabcdefghijklmnopqrstuv",
            "UCabcdefghijklmnopqrstuv",
            "https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv",
        ),
        (
            "facebook",
            "fb.com/batik.malang",
            "batik.malang",
            "https://www.facebook.com/batik.malang",
        ),
        (
            "facebook",
            "https://www.facebook.com/profile.php?id=100012345678",
            "100012345678",
            "https://www.facebook.com/profile.php?id=100012345678",
        ),
        ("x", "https://twitter.com/Arema_Kreatif", "arema_kreatif", "https://x.com/arema_kreatif"),
        ("x", "@arema_kreatif", "arema_kreatif", "https://x.com/arema_kreatif"),
        (
            "threads",
            "threads.net/@ayu.kreatif",
            "ayu.kreatif",
            "https://www.threads.net/@ayu.kreatif",
        ),
        (
            "linkedin",
            "https://id.linkedin.com/in/ayu-kartika",
            "ayu-kartika",
            "https://www.linkedin.com/in/ayu-kartika/",
        ),
        ("website", "Ayukartika.id", "ayukartika.id", "https://ayukartika.id/"),
        (
            "podcast",
            "https://open.spotify.com/show/4rOoJ6Egrf8K2IrywzwOMk",
            "open.spotify.com",
            "https://open.spotify.com/show/4rOoJ6Egrf8K2IrywzwOMk",
        ),
    ],
)
def test_each_platform(platform, typed, handle, url):
    channel = normalise(platform, typed)
    assert (channel.handle, channel.url) == (handle, url)


@pytest.mark.parametrize(
    ("platform", "typed", "message"),
    [
        ("instagram", "https://www.tiktok.com/@ayu", "bukan tautan Instagram"),
        ("instagram", "https://www.instagram.com/p/C1a2b3c4/", "bukan akun"),
        ("instagram", "ayu..kreatif", "tidak sah"),
        ("instagram", "a" * 31, "tidak sah"),
        ("x", "nama_yang_terlalu_panjang", "tidak sah"),
        ("tiktok", "https://www.tiktok.com/ayu", "bukan akun"),
        ("linkedin", "https://www.linkedin.com/feed/", "bukan akun"),
        ("website", "javascript:alert(1)", "tidak sah"),
        ("website", "bukan alamat", "tidak sah"),
        ("website", "http://[::1", "tidak sah"),
        ("website", "https://contoh.id:99999/", "tidak sah"),
        ("instagram", "", "Isi nama akun"),
    ],
)
def test_refused_with_a_reason(platform, typed, message):
    with pytest.raises(ChannelError, match=message):
        normalise(platform, typed)


@pytest.mark.parametrize(
    ("typed", "count"),
    [
        ("12500", 12500),
        ("12.500", 12500),
        ("1,250,000", 1250000),
        ("12,5rb", 12500),
        ("12.5 rb", 12500),
        ("1,2jt", 1200000),
        ("3k", 3000),
        ("", None),
        (None, None),
        (840, 840),
    ],
)
def test_follower_counts_as_people_write_them(typed, count):
    assert parse_followers(typed) == count


@pytest.mark.parametrize(
    "typed",
    # The large ones overflowed the database column (a 500 on PostgreSQL), or int() itself.
    ["banyak", "-5", "12 ribu lebih", 99_999_999_999, "999.999.999.999", float("inf"), 1e300],
)
def test_bad_follower_counts(typed):
    with pytest.raises(ChannelError):
        parse_followers(typed)
