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

The directory's filters (subsector, declared and assessed pathway, kelurahan and kecamatan,
platform, and being listed at all) are words of the document too — `facets()`, lexemes such as
"ss=kuliner" that no word of the text can be, since the text loses every "=" — so PostgreSQL
answers text and filters with one GIN index scan instead of joining five tables for each of
100 000 creators (issue 10's p95 ≤ 100 ms). They only narrow: directory consent is still
checked live by the directory's query, so a withdrawal hides a creator at once even before
the document catches up. SQLite matches the facets as substrings of `facets`.

The document is rebuilt by signals when a profile, its channels or its skills change (after
commit, so the creators' pages keep their query counts), and a periodic job catches up rows
written in bulk (imports, the bench, demo data). `rebuild()` rebuilds everything.
"""

from __future__ import annotations

import re
import unicodedata

from django.db import connection, transaction
from django.db.models import F, FloatField, Q
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


_FACET_VALUE = re.compile(r"^[0-9A-Za-z_.-]{1,60}$")
LISTED = "listed"


def facet(kind: str, value) -> str | None:
    """One facet word ("ss=kuliner"), or None for a value no facet can have (a filter given
    such a value finds nobody rather than reaching the query's syntax)."""
    value = str(value or "")
    return f"{kind}={value.lower()}" if _FACET_VALUE.match(value) else None


def facets(profile) -> list[str]:
    """The filter words of one profile (its relations prefetched by `refresh`)."""
    from ekraf.creators.models import Consent

    found = set()
    if profile.deleted_at is None and any(
        c.purpose == Consent.Purpose.TALENT_DIRECTORY and c.withdrawn_at is None
        for c in profile.consents.all()
    ):
        found.add(LISTED)
    found.update(facet("ss", s.code) for s in profile.subsectors.all())
    found.update(facet("pwd", i.pathway) for i in profile.pathway_interests.all())
    found.update(facet("pwa", a.pathway) for a in profile.assessed_pathways.all())
    found.update(facet("pf", c.platform) for c in profile.channels.all())
    if profile.kelurahan_id:
        found.add(facet("kl", profile.kelurahan.code))
        if profile.kelurahan.parent_id:
            found.add(facet("kc", profile.kelurahan.parent.code))
    found.discard(None)
    return sorted(found)


def refresh(creator_ids) -> int:
    """Rebuild the search documents of these creators (a fixed number of queries per batch)."""
    from ekraf.creators.models import CreatorProfile

    ids = list(creator_ids)
    done = 0
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        profiles = (
            CreatorProfile.objects.filter(pk__in=chunk)
            .select_related("kelurahan__parent")
            .prefetch_related(
                "skills",
                "channels",
                "subsectors",
                "consents",
                "pathway_interests",
                "assessed_pathways",
            )
        )
        entries = [
            DirectoryEntry(
                creator=p, text=_document_text(p), facets=" " + " ".join(facets(p)) + " "
            )
            for p in profiles
        ]
        with transaction.atomic():
            DirectoryEntry.objects.bulk_create(
                entries,
                update_conflicts=True,
                unique_fields=["creator"],
                update_fields=["text", "facets", "updated_at"],
            )
            if connection.vendor == "postgresql":
                DirectoryEntry.objects.filter(creator_id__in=chunk).update(
                    # Punctuation to spaces first: PostgreSQL's parser would read a handle
                    # like "dewi.batik" as one host name, which "dewi" then never matches.
                    # The facets are taken as lexemes verbatim (array_to_tsvector parses
                    # nothing), so "ss=kuliner" stays one word.
                    document=RawSQL(
                        "to_tsvector('simple', regexp_replace(unaccent(text), '[^[:alnum:]]+',"
                        " ' ', 'g')) || array_to_tsvector(string_to_array(btrim(facets), ' '))",
                        [],
                    )
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
    """Refresh this creator's document when the transaction commits, once per commit however
    many signals asked (a profile form saves the profile, its skills, subsectors and channels:
    one refresh, not five, and a class assessment refreshes the class in one batch).

    The ids wait on the connection; every call registers a callback and the first to run
    takes them all, the rest find nothing. Ids of a transaction that rolled back stay and are
    refreshed with the next commit's (refreshing an unchanged creator is harmless)."""
    connection = transaction.get_connection()
    pending = connection.__dict__.setdefault("_talent_pending_refresh", set())
    pending.add(creator_id)
    transaction.on_commit(lambda: _refresh_pending(pending))


def _refresh_pending(pending: set) -> None:
    ids = sorted(pending)
    pending.clear()
    if ids:
        refresh(ids)


def tsquery(query: str) -> str:
    """'dewi batik' -> 'dewi:* & batik:*' (each word a prefix; words are [0-9a-z] only)."""
    return " & ".join(f"{word}:*" for word in words(query))


def _facet_query(groups) -> str:
    """[["listed"], ["pwa=x", "pwd=x"]] -> "'listed' & ( 'pwa=x' | 'pwd=x' )" (a tsquery; every
    word came from `facet()`, so it holds no quote or operator)."""
    return " & ".join("( " + " | ".join(f"'{word}'" for word in group) + " )" for group in groups)


def matching_ids(query: str, groups=()):
    """Creator ids whose document matches `query` and the facet `groups` (a subquery), or None
    when there is neither. Each group is a list of facet words of which one must be present;
    a group holding None (a value no facet can have) matches nobody."""
    found = words(query)
    groups = [list(group) for group in groups]
    if not found and not groups:
        return None
    if any(None in group or not group for group in groups):
        return DirectoryEntry.objects.none().values("creator_id")
    if connection.vendor == "postgresql":
        if not found:
            return RawSQL(
                "SELECT creator_id FROM talent_directoryentry WHERE document @@ %s::tsquery",
                [_facet_query(groups)],
            )
        # Trigram near-misses only when no document matches the words themselves: "dewy"
        # finds "dewi", but "talenta.uji1" does not also bring every "talenta.uji2". The exact
        # hits are found once (a CTE referenced twice is computed once) and gate the second
        # branch, which runs only when they are none.
        text_query = "to_tsquery('simple', unaccent(%s))"
        facet_query = "%s::tsquery" if groups else None
        both = f"({text_query} && {facet_query})" if facet_query else text_query
        both_params = [tsquery(query)] + ([_facet_query(groups)] if groups else [])
        near = "unaccent(%s) <%% text" + (f" AND document @@ {facet_query}" if groups else "")
        near_params = [" ".join(found)] + ([_facet_query(groups)] if groups else [])
        # Only constant fragments are formatted in; every value is a parameter.
        return RawSQL(  # noqa: S611
            "WITH hits AS (SELECT creator_id FROM talent_directoryentry"  # noqa: S608
            f" WHERE document @@ {both}) SELECT creator_id FROM hits UNION ALL"
            " SELECT creator_id FROM talent_directoryentry"
            f" WHERE NOT EXISTS (SELECT 1 FROM hits) AND {near}",
            both_params + near_params,
        )
    entries = DirectoryEntry.objects.all()
    for word in found:
        entries = entries.filter(text__contains=word)
    for group in groups:
        alternatives = Q()
        for word in group:
            alternatives |= Q(facets__contains=f" {word} ")
        entries = entries.filter(alternatives)
    return entries.values("creator_id")


def relevance(query: str):
    """An expression ranking profiles (rows of creators_creatorprofile) for `query`."""
    found = words(query)
    if connection.vendor != "postgresql" or not found:
        return None
    # An exact hit ranks by ts_rank alone (word_similarity over its whole text cost more than
    # the rest of the page at 1,000 hits); a near-miss (no exact hit) by trigram similarity.
    return RawSQL(
        "(SELECT CASE WHEN d.document @@ to_tsquery('simple', unaccent(%s))"
        " THEN 1 + ts_rank(d.document, to_tsquery('simple', unaccent(%s)))"
        " ELSE word_similarity(unaccent(%s), d.text) END"
        " FROM talent_directoryentry d WHERE d.creator_id = creators_creatorprofile.id)",
        [tsquery(query), tsquery(query), " ".join(found)],
        output_field=FloatField(),
    )
