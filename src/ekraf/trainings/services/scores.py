"""Pre- and post-test scores: typed one by one, in the grid, or imported from a quiz
export (preview first, then all or nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from ekraf.core.errors import Conflict, DomainError, NotFound
from ekraf.core.ids import normalise
from ekraf.core.services import audit

from ..models import Registration, Training
from .common import Status, require_manager
from .completion import _recompute_if_finished
from .registration import normalise_phone

UNSET = object()


def _score(value, field_name: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        score = Decimal(str(value).replace(",", ".")).quantize(Decimal("0.01"))
    except Exception as exc:  # noqa: BLE001 - decimal.InvalidOperation and friends
        raise DomainError(_("Nilai harus berupa angka 0–100."), field=field_name) from exc
    if not Decimal(0) <= score <= Decimal(100):
        raise DomainError(_("Nilai harus berupa angka 0–100."), field=field_name)
    return score


def set_scores(actor, registration: Registration, *, pre=UNSET, post=UNSET) -> Registration:
    require_manager(actor, registration.training)
    if registration.status != Status.CONFIRMED:
        raise Conflict(_("Nilai hanya untuk peserta terkonfirmasi."), code="not_confirmed")
    fields = []
    if pre is not UNSET:
        registration.pre_test_score = _score(pre, "pre_test_score")
        fields.append("pre_test_score")
    if post is not UNSET:
        registration.post_test_score = _score(post, "post_test_score")
        fields.append("post_test_score")
    if fields:
        with transaction.atomic():
            registration.save(update_fields=fields)
            audit(
                actor,
                "training.scores.set",
                registration,
                detail={f: str(getattr(registration, f)) for f in fields},
            )
        _recompute_if_finished(registration.training, [registration.pk])
    return registration


def save_score_grid(actor, training: Training, scores: dict[int, tuple]) -> int:
    """Scores typed in the grid: {registration id: (pre, post)}; all saved or none."""
    require_manager(actor, training)
    registrations = {
        r.pk: r
        for r in training.registrations.filter(pk__in=scores.keys(), status=Status.CONFIRMED)
    }
    changed = []
    for pk, (pre, post) in scores.items():
        registration = registrations.get(pk)
        if registration is None:
            raise NotFound(_("Peserta tidak ditemukan pada pelatihan ini."))
        try:
            pre_value, post_value = _score(pre, "pre_test_score"), _score(post, "post_test_score")
        except DomainError as exc:
            raise DomainError(f"{registration.full_name}: {exc.message}", field=exc.field) from exc
        if (pre_value, post_value) != (registration.pre_test_score, registration.post_test_score):
            registration.pre_test_score, registration.post_test_score = pre_value, post_value
            changed.append(registration)
    with transaction.atomic():
        Registration.objects.bulk_update(changed, ["pre_test_score", "post_test_score"])
        if changed:
            audit(actor, "training.scores.grid", training, detail={"n": len(changed)})
    _recompute_if_finished(training, [r.pk for r in changed])
    return len(changed)


# Which of a person's attempts counts when a quiz allowed retakes (Google Forms "allow more
# than one response"): the latest by default, as a teacher marks the last paper handed in.
ATTEMPTS = ("latest", "best", "first")


def attempt_choices():
    return [
        ("latest", _("Percobaan terakhir")),
        ("best", _("Nilai terbaik")),
        ("first", _("Percobaan pertama")),
    ]


@dataclass
class ImportRow:
    line: int
    label: str  # what identified the person in the file (email, phone or code)
    score: Decimal | None = None
    registration: Registration | None = None
    problem: str = ""
    when: object = None  # the row's timestamp, when the file has one that reads plainly
    # Every attempt of this person in the file (line, score), in the order they were made;
    # filled on the row that is used.
    attempts: list[tuple[int, Decimal]] = field(default_factory=list)
    used_line: int | None = None  # on a row not used: the line that was used instead
    why: str = ""  # why this row, of several attempts, is the one used


@dataclass
class ScoreImport:
    test: str  # "pre" | "post"
    attempt: str = "latest"
    matched: list[ImportRow] = field(default_factory=list)
    problems: list[ImportRow] = field(default_factory=list)
    not_used: list[ImportRow] = field(default_factory=list)  # other attempts of a person

    @property
    def ok(self) -> bool:
        return bool(self.matched) and not self.problems

    @property
    def retakers(self) -> int:
        return sum(1 for row in self.matched if len(row.attempts) > 1)


def _choose(rows: list[ImportRow], attempt: str) -> ImportRow:
    """The attempt that counts. Order of attempts: their timestamps when every one reads, else
    their order in the file (Google Forms writes responses in the order they came)."""
    if attempt == "best":
        # The highest score; of equal ones, the later.
        return max(enumerate(rows), key=lambda pair: (pair[1].score, pair[0]))[1]
    return rows[-1] if attempt == "latest" else rows[0]


def preview_score_import(
    actor, training: Training, rows: list[dict], test: str, attempt: str = "latest"
) -> ScoreImport:
    """Match each row of a quiz export to a confirmed participant by ticket code, e-mail or
    phone. Nothing is written. Rows that match nobody, or more than one person, or whose score
    cannot be read, are problems. Several rows of one person are attempts (retakes): the one
    `attempt` names (latest, best or first) is used, the others are listed as not used."""
    from ..imports import LINE, identify_columns, parse_score, parse_timestamp

    require_manager(actor, training)
    if test not in ("pre", "post"):
        raise DomainError(_("Pilih pre-test atau post-test."))
    if attempt not in ATTEMPTS:
        raise DomainError(_("Pilih percobaan terakhir, nilai terbaik, atau percobaan pertama."))
    if not rows:
        raise DomainError(_("Berkas tidak berisi baris data."))
    columns = identify_columns(rows[0].keys() if rows else [])
    if columns.score is None:
        raise DomainError(_("Kolom nilai (Score/Skor/Nilai) tidak ditemukan di berkas."))
    if not (columns.email or columns.phone or columns.code):
        raise DomainError(_("Berkas perlu kolom email, nomor telepon/WA, atau kode tiket."))
    participants = list(
        training.registrations.filter(status=Status.CONFIRMED).select_related("user")
    )
    by_code = {r.ticket_code: r for r in participants}
    by_email: dict[str, list[Registration]] = {}
    by_phone: dict[str, list[Registration]] = {}
    for r in participants:
        for email in {r.email.lower(), (r.user.email or "").lower()} - {""}:
            by_email.setdefault(email, []).append(r)
        if r.phone:
            by_phone.setdefault(r.phone, []).append(r)
    result = ScoreImport(test=test, attempt=attempt)
    per_person: dict[int, list[ImportRow]] = {}
    for index, row in enumerate(rows, start=2):
        line = int(row.get(LINE) or index)
        code = normalise(str(row.get(columns.code) or "")) if columns.code else ""
        email = str(row.get(columns.email) or "").strip().lower() if columns.email else ""
        phone_raw = str(row.get(columns.phone) or "").strip() if columns.phone else ""
        label = code or email or phone_raw or "—"
        item = ImportRow(line=line, label=label)
        if columns.timestamp:
            item.when = parse_timestamp(row.get(columns.timestamp))
        try:
            item.score = parse_score(row.get(columns.score))
        except ValueError as exc:
            item.problem = str(exc)
            result.problems.append(item)
            continue
        found: dict[int, Registration] = {}
        if code and code in by_code:
            found[by_code[code].pk] = by_code[code]
        if email:
            for r in by_email.get(email, []):
                found[r.pk] = r
        if phone_raw:
            try:
                phone = normalise_phone(phone_raw)
            except DomainError:
                phone = ""
            for r in by_phone.get(phone, []):
                found[r.pk] = r
        candidates = set(found)
        if not candidates:
            item.problem = _("tidak cocok dengan peserta terkonfirmasi mana pun")
        elif len(candidates) > 1:
            names = ", ".join(sorted(found[pk].full_name for pk in candidates))
            item.problem = _("ambigu: cocok dengan %(names)s") % {"names": names}
        else:
            item.registration = found[candidates.pop()]
            per_person.setdefault(item.registration.pk, []).append(item)
            continue
        result.problems.append(item)
    reasons = {
        "latest": _("percobaan terakhir"),
        "best": _("nilai terbaik"),
        "first": _("percobaan pertama"),
    }
    for attempts in per_person.values():
        if len(attempts) > 1 and all(a.when is not None for a in attempts):
            attempts.sort(key=lambda a: (a.when, a.line))
        chosen = _choose(attempts, attempt)
        chosen.attempts = [(a.line, a.score) for a in attempts]
        if len(attempts) > 1:
            chosen.why = _("%(reason)s dari %(n)s percobaan") % {
                "reason": reasons[attempt],
                "n": len(attempts),
            }
        result.matched.append(chosen)
        for other in attempts:
            if other is not chosen:
                other.used_line = chosen.line
                result.not_used.append(other)
    result.matched.sort(key=lambda r: r.line)
    result.not_used.sort(key=lambda r: r.line)
    return result


def apply_score_import(
    actor, training: Training, preview: ScoreImport, *, skip_problems: bool = False
) -> int:
    """Write every matched score in one transaction, or nothing. Rows with a problem stop the
    import unless the organiser, having seen them listed, chose to leave them out."""
    require_manager(actor, training)
    if preview.problems and not skip_problems:
        raise Conflict(
            _("Masih ada %(n)s baris bermasalah; perbaiki berkasnya lalu unggah lagi.")
            % {"n": len(preview.problems)}
        )
    if not preview.matched:
        raise DomainError(_("Tidak ada nilai yang bisa diimpor."))
    field_name = "pre_test_score" if preview.test == "pre" else "post_test_score"
    ids = [row.registration.pk for row in preview.matched]
    with transaction.atomic():
        current = {
            r.pk: r for r in training.registrations.filter(pk__in=ids, status=Status.CONFIRMED)
        }
        if len(current) != len(ids):
            raise Conflict(_("Daftar peserta berubah sejak pratinjau; unggah ulang berkasnya."))
        for row in preview.matched:
            setattr(current[row.registration.pk], field_name, row.score)
        Registration.objects.bulk_update(list(current.values()), [field_name])
        audit(
            actor,
            "training.scores.import",
            training,
            detail={"test": preview.test, "rows": len(ids)},
        )
    _recompute_if_finished(training, ids)
    return len(ids)
