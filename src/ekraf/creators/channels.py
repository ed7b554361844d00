"""Social channels as people type them: a handle or a link, turned into one canonical form.

"@ayu.kreatif", "ayu.kreatif", "instagram.com/ayu.kreatif" and
"https://www.instagram.com/ayu.kreatif/?igsh=abc" are the same account; we store the handle
and one canonical URL, so duplicates and searches work. Each platform has its own handle rules;
a link to another platform, or to a post instead of an account, is refused with a clear message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from .models import Channel

P = Channel.Platform


class ChannelError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class NormalisedChannel:
    platform: str
    handle: str
    url: str


@dataclass(frozen=True)
class Rule:
    hosts: tuple[str, ...]
    handle: re.Pattern | None  # None: the platform has no handles (a URL is required)
    at_prefix_in_path: bool = False
    reserved: frozenset[str] = frozenset()
    example: str = ""


_IG = re.compile(r"^(?!.*\.\.)(?!\.)(?!.*\.$)[a-z0-9._]{1,30}$")
RULES: dict[str, Rule] = {
    P.INSTAGRAM: Rule(
        hosts=("instagram.com", "instagr.am"),
        handle=_IG,
        reserved=frozenset({"p", "reel", "reels", "stories", "explore", "tv", "accounts"}),
        example="@namaakun",
    ),
    P.TIKTOK: Rule(
        hosts=("tiktok.com",),
        handle=re.compile(r"^(?!.*\.$)[a-z0-9._]{2,24}$"),
        at_prefix_in_path=True,
        example="@namaakun",
    ),
    P.YOUTUBE: Rule(
        hosts=("youtube.com", "youtu.be"),
        handle=re.compile(r"^[a-z0-9._-]{3,30}$"),
        at_prefix_in_path=True,
        example="@namakanal",
    ),
    P.FACEBOOK: Rule(
        hosts=("facebook.com", "fb.com"),
        handle=re.compile(r"^[a-z0-9.]{5,50}$"),
        reserved=frozenset({"groups", "events", "watch", "photo", "story.php", "share", "reel"}),
        example="namahalaman",
    ),
    P.X: Rule(
        hosts=("x.com", "twitter.com"),
        handle=re.compile(r"^[a-z0-9_]{1,15}$"),
        reserved=frozenset({"home", "i", "search", "intent", "share", "hashtag"}),
        example="@namaakun",
    ),
    P.THREADS: Rule(
        hosts=("threads.net", "threads.com"),
        handle=_IG,
        at_prefix_in_path=True,
        example="@namaakun",
    ),
    P.LINKEDIN: Rule(
        hosts=("linkedin.com",),
        handle=re.compile(r"^[a-z0-9][a-z0-9-]{2,99}$"),
        example="linkedin.com/in/nama-anda",
    ),
    P.PODCAST: Rule(hosts=(), handle=None, example="https://open.spotify.com/show/…"),
    P.WEBSITE: Rule(hosts=(), handle=None, example="https://namaanda.id"),
}

_url_validator = URLValidator(schemes=["http", "https"])


def platform_label(platform: str) -> str:
    """The platform's name as people know it ("Instagram"); programmes use it for content links."""
    return str(P(platform).label)


def _looks_like_url(platform: str, value: str) -> bool:
    """A link rather than a handle ("ayu.kreatif" is an Instagram handle, not a host)."""
    if "://" in value or "/" in value or "?" in value:
        return True
    _parts, host, _segments = _split(value)
    return host_matches(host, RULES[platform].hosts)


def _split(value: str):
    if "://" not in value:
        value = "https://" + value
    parts = urlsplit(value)
    host = (parts.hostname or "").lower()
    for prefix in ("www.", "m.", "mobile.", "web.", "vm.", "vt."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
    segments = [s for s in parts.path.split("/") if s]
    return parts, host, segments


def host_matches(host: str, hosts: tuple[str, ...]) -> bool:
    """Whether a link's host is the platform's (a subdomain counts): the one rule for channels
    and for programme content links."""
    return any(host == h or host.endswith("." + h) for h in hosts)


def _check_handle(platform: str, handle: str) -> str:
    rule = RULES[platform]
    handle = handle.strip().lstrip("@").lower()
    if not handle:
        raise ChannelError(_("Isi nama akun atau tautan."))
    if rule.handle is None or not rule.handle.match(handle):
        raise ChannelError(
            _("Nama akun %(platform)s tidak sah. Contoh: %(example)s")
            % {"platform": platform_label(platform), "example": rule.example}
        )
    return handle


def _canonical(platform: str, handle: str) -> str:
    return {
        P.INSTAGRAM: f"https://www.instagram.com/{handle}/",
        P.TIKTOK: f"https://www.tiktok.com/@{handle}",
        P.YOUTUBE: f"https://www.youtube.com/@{handle}",
        P.FACEBOOK: f"https://www.facebook.com/{handle}",
        P.X: f"https://x.com/{handle}",
        P.THREADS: f"https://www.threads.net/@{handle}",
        P.LINKEDIN: f"https://www.linkedin.com/in/{handle}/",
    }[platform]


def _free_url(platform: str, value: str) -> NormalisedChannel:
    """Podcast and website: any http(s) address; the host becomes the handle."""
    url = value if "://" in value else "https://" + value
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ChannelError(_("Tautan harus diawali http:// atau https://."))
    try:
        _url_validator(url)
    except ValidationError as exc:
        raise ChannelError(
            _("Tautan tidak sah. Contoh: %(example)s") % {"example": RULES[platform].example}
        ) from exc
    host = (parts.hostname or "").lower()
    path = parts.path if parts.path not in ("", "/") else "/"
    canonical = f"{parts.scheme}://{host}{f':{parts.port}' if parts.port else ''}{path}"
    if parts.query:
        canonical += "?" + parts.query
    if len(canonical) > 300:
        raise ChannelError(_("Tautan terlalu panjang (maksimal 300 karakter)."))
    handle = host[4:] if host.startswith("www.") else host
    return NormalisedChannel(platform=platform, handle=handle[:100], url=canonical)


def _from_url(platform: str, value: str) -> NormalisedChannel:
    rule = RULES[platform]
    label = platform_label(platform)
    parts, host, segments = _split(value)
    if not host_matches(host, rule.hosts):
        raise ChannelError(
            _("Tautan ini bukan tautan %(platform)s. Contoh: %(example)s")
            % {"platform": label, "example": rule.example}
        )
    not_account = _("Tautan ini menuju postingan atau halaman lain, bukan akun %(platform)s.") % {
        "platform": label
    }
    if platform == P.FACEBOOK and segments[:1] == ["profile.php"]:
        ident = parse_qs(parts.query).get("id", [""])[0]
        if not ident.isdigit():
            raise ChannelError(not_account)
        return NormalisedChannel(
            platform, ident, f"https://www.facebook.com/profile.php?id={ident}"
        )
    if platform == P.YOUTUBE and segments[:1] == ["channel"] and len(segments) >= 2:
        ident = segments[1]
        if not re.match(r"^UC[\w-]{22}$", ident):
            raise ChannelError(_("ID kanal YouTube tidak sah."))
        return NormalisedChannel(platform, ident, f"https://www.youtube.com/channel/{ident}")
    if platform == P.YOUTUBE and segments[:1] in (["c"], ["user"]) and len(segments) >= 2:
        name = _check_handle(platform, segments[1])
        return NormalisedChannel(platform, name, f"https://www.youtube.com/{segments[0]}/{name}")
    if platform == P.LINKEDIN:
        if len(segments) < 2 or segments[0] not in ("in", "company"):
            raise ChannelError(not_account)
        slug = _check_handle(platform, segments[1])
        kind = segments[0]
        return NormalisedChannel(platform, slug, f"https://www.linkedin.com/{kind}/{slug}/")
    if not segments:
        raise ChannelError(not_account)
    first = segments[0]
    if rule.at_prefix_in_path:
        if not first.startswith("@"):
            raise ChannelError(not_account)
    elif first.lower() in rule.reserved or first.startswith("@"):
        raise ChannelError(not_account)
    # A link to one video ("tiktok.com/@ayu/video/123") still names the account: keep that.
    handle = _check_handle(platform, first)
    return NormalisedChannel(platform, handle, _canonical(platform, handle))


def normalise(platform: str, value: str) -> NormalisedChannel:
    """The canonical handle and URL for what the person typed, or ChannelError."""
    if platform not in RULES:
        raise ChannelError(_("Platform tidak dikenal."))
    value = (value or "").strip()
    if not value:
        raise ChannelError(_("Isi nama akun atau tautan."))
    if len(value) > 300:
        raise ChannelError(_("Tautan terlalu panjang (maksimal 300 karakter)."))
    try:
        rule = RULES[platform]
        if rule.handle is None:
            return _free_url(platform, value)
        if _looks_like_url(platform, value):
            return _from_url(platform, value)
        handle = _check_handle(platform, value)
        return NormalisedChannel(platform, handle, _canonical(platform, handle))
    except ChannelError:
        raise
    except ValueError as exc:  # urlsplit: a malformed host or port
        raise ChannelError(_("Tautan tidak sah.")) from exc


_COUNT = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(rb|ribu|k|jt|juta|m)?$")


MAX_FOLLOWERS = 2_000_000_000  # within the database column (a 32-bit integer on PostgreSQL)


def parse_followers(raw) -> int | None:
    """'12.500', '12,5 rb', '1,2jt', '3k' → an integer; blank → None; anything else ValueError."""
    if raw is None:
        return None
    bad = ChannelError(_("Jumlah pengikut harus angka, misalnya 12500 atau 12,5rb."))
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if raw < 0:
            raise ChannelError(_("Jumlah pengikut tidak boleh negatif."))
        if not raw <= MAX_FOLLOWERS:  # also NaN and infinity, which JSON parsers accept
            raise bad
        return int(raw)
    text = str(raw).strip().lower().replace(" ", "")
    if not text:
        return None
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", text):
        value = int(re.sub(r"[.,]", "", text))
        if value > MAX_FOLLOWERS:
            raise bad
        return value
    match = _COUNT.match(text)
    if not match:
        raise bad
    number, unit = match.groups()
    value = float(number.replace(",", "."))
    multiplier = {"rb": 1_000, "ribu": 1_000, "k": 1_000, "jt": 1_000_000, "juta": 1_000_000}
    multiplier["m"] = 1_000_000
    value *= multiplier.get(unit or "", 1)
    if value > MAX_FOLLOWERS:
        raise bad
    return int(round(value))
