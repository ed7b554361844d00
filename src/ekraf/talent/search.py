"""The talent directory's text search: one search document per creator, and how it is matched.

Why PostgreSQL's `simple` configuration, unaccent and pg_trgm (and not a stemming dictionary):
PostgreSQL ships no Indonesian dictionary or stemmer, and the text searched here is mostly
names, handles ("@dewi.batik"), skill tags and short bios mixing Indonesian, Javanese and
English. A stemmer for any one language would mangle the rest; `simple` only lower-cases, so
"batik" finds "batik" and, with prefix matching (`batik:*`), "batiknya". `unaccent` makes
"Déwi" and "dewi" the same word (names from imports carry diacritics or not). Trigram word
similarity (`<%`) catches what full-text search cannot: a name typed slightly wrong ("dewy
sartika"); it is used only when no document matches the words themselves, so near-misses never
crowd out exact hits. Both are answered from GIN indexes (migration 0001).

SQLite (the embedded default) has neither: there every word of the query must occur as a
substring of the same normalised text (lower-cased, diacritics stripped in Python), which
finds what PostgreSQL finds except the trigram near-misses.

The document is rebuilt by signals when a profile, its channels or its skills change (after
commit, so the creators' pages keep their query counts), and a periodic job catches up rows
written in bulk (imports, the bench, demo data). `rebuild()` rebuilds everything.
"""

from __future__ import annotations

import re
import unicodedata

from django.db import connection, transaction
from django.db.models import BooleanField, F, FloatField, Q
from django.db.models.expressions import RawSQL

from .models import DirectoryEntry

_WORD = re.compile(r"[0-9a-z]+")


def normalise(text: str) -> str:
    """Lower-case, without diacritics, whitespace collapsed (the SQLite side of unaccent)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def words(query: str) -> list[str]:
    return _WORD.findall(normalise(query))[:8]


def _document_text(profile) -> str:
    parts = [profile.full_name, profile.display_name, profile.bio]
    parts += [skill.name for skill in profile.skills.all()]
    for channel in profile.channels.all():
        if channel.handle:
            parts += [channel.handle, channel.handle.lstrip("@")]
    return normalise(" ".join(p for p in parts if p))


def refresh(creator_ids) -> int:
    """Rebuild the search documents of these creators (a fixed number of queries per batch)."""
    from ekraf.creators.models import CreatorProfile

    ids = list(creator_ids)
    done = 0
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        profiles = CreatorProfile.objects.filter(pk__in=chunk).prefetch_related(
            "skills", "channels"
        )
        entries = [DirectoryEntry(creator=p, text=_document_text(p)) for p in profiles]
        with transaction.atomic():
            DirectoryEntry.objects.bulk_create(
                entries,
                update_conflicts=True,
                unique_fields=["creator"],
                update_fields=["text", "updated_at"],
            )
            if connection.vendor == "postgresql":
                DirectoryEntry.objects.filter(creator_id__in=chunk).update(
                    document=RawSQL("to_tsvector('simple', unaccent(text))", [])
                )
        done += len(entries)
    return done


def rebuild() -> int:
    from ekraf.creators.models import CreatorProfile

    return refresh(CreatorProfile.objects.values_list("pk", flat=True).order_by("pk"))


def catch_up(limit: int = 5000) -> int:
    """Documents missing or older than their profile (rows written in bulk): the periodic job."""
    from ekraf.creators.models import CreatorProfile

    stale = (
        CreatorProfile.objects.filter(
            Q(directory_entry__isnull=True) | Q(directory_entry__updated_at__lt=F("updated_at"))
        )
        .values_list("pk", flat=True)
        .order_by("pk")[:limit]
    )
    return refresh(list(stale))


def refresh_later(creator_id: int) -> None:
    transaction.on_commit(lambda: refresh([creator_id]))


def tsquery(query: str) -> str:
    """'dewi batik' -> 'dewi:* & batik:*' (each word a prefix; words are [0-9a-z] only)."""
    return " & ".join(f"{word}:*" for word in words(query))


def matching_ids(query: str):
    """Creator ids whose document matches `query` (a subquery), or None when it has no words."""
    found = words(query)
    if not found:
        return None
    entries = DirectoryEntry.objects.all()
    if connection.vendor == "postgresql":
        # Trigram near-misses only when no document matches the words themselves (an
        # uncorrelated NOT EXISTS, evaluated once): "dewy" finds "dewi", but "talenta.uji1"
        # does not also bring every "talenta.uji2".
        hit = RawSQL(
            "(document @@ to_tsquery('simple', unaccent(%s)) OR (NOT EXISTS (SELECT 1 FROM"
            " talent_directoryentry e WHERE e.document @@ to_tsquery('simple', unaccent(%s)))"
            " AND unaccent(%s) <%% text))",
            [tsquery(query), tsquery(query), " ".join(found)],
            output_field=BooleanField(),
        )
        return entries.annotate(hit=hit).filter(hit=True).values("creator_id")
    for word in found:
        entries = entries.filter(text__contains=word)
    return entries.values("creator_id")


def relevance(query: str):
    """An expression ranking profiles (rows of creators_creatorprofile) for `query`."""
    found = words(query)
    if connection.vendor != "postgresql" or not found:
        return None
    return RawSQL(
        "(SELECT ts_rank(d.document, to_tsquery('simple', unaccent(%s)))"
        " + word_similarity(unaccent(%s), d.text)"
        " FROM talent_directoryentry d WHERE d.creator_id = creators_creatorprofile.id)",
        [tsquery(query), " ".join(found)],
        output_field=FloatField(),
    )
