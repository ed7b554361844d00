"""What a training asks of its registrants: the profile fields it requires (so the report
has no "Tidak diisi") and the organiser's own questions with their answers.

The answers are checked here, once, for the registration page and the API alike
(`clean_answers`); `register` calls it before taking any lock.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ekraf.accounts import permissions
from ekraf.core import validation
from ekraf.core.errors import Conflict, DomainError
from ekraf.core.services import audit

from ..models import PROFILE_FIELDS, RegistrationQuestion, Training

Kind = RegistrationQuestion.Kind

MAX_QUESTIONS = 20
MAX_CHOICES = 20
SHORT_MAX, LONG_MAX, CHOICE_MAX = 300, 2000, 100


def answer_field(question: RegistrationQuestion) -> str:
    """The name of a question's field on the registration form (and in the API's errors)."""
    return f"q_{question.pk}"


def questions_of(training: Training) -> list[RegistrationQuestion]:
    """The training's questions in order. No query when they were prefetched, or when the
    training was read with its `has_questions` annotation and has none (the rush's path)."""
    if "questions" in getattr(training, "_prefetched_objects_cache", {}):
        return sorted(training.questions.all(), key=lambda q: (q.position, q.pk))
    if getattr(training, "has_questions", None) is False:
        return []
    return list(training.questions.all())


def with_has_questions(qs):
    """Trainings annotated with whether they have registration questions (no extra query)."""
    from django.db.models import Exists, OuterRef

    return qs.annotate(
        has_questions=Exists(RegistrationQuestion.objects.filter(training=OuterRef("pk")))
    )


def _empty(value) -> bool:
    return (
        value is None
        or value == ""
        or value == []
        or (isinstance(value, str) and not value.strip())
    )


def _yesno(value, question) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("ya", "yes", "true", "1", "y"):
        return True
    if text in ("tidak", "no", "false", "0", "n"):
        return False
    raise DomainError(
        _("%(label)s: jawab ya atau tidak.") % {"label": question.label},
        field=answer_field(question),
        code="invalid_answer",
    )


def _choice(value, question) -> str:
    if not isinstance(value, str) or value not in question.choices:
        raise DomainError(
            _("%(label)s: pilih salah satu pilihan yang tersedia.") % {"label": question.label},
            field=answer_field(question),
            code="invalid_answer",
        )
    return value


def clean_answer(question: RegistrationQuestion, value, *, enforce_required: bool = True):
    """One answer, checked and normalised; None when left empty (allowed if not required)."""
    name = answer_field(question)
    if _empty(value):
        if question.required and enforce_required:
            raise DomainError(
                _("%(label)s wajib dijawab.") % {"label": question.label},
                field=name,
                code="answer_required",
            )
        return None
    if question.kind in (Kind.SHORT, Kind.LONG):
        if not isinstance(value, str):
            raise DomainError(
                _("%(label)s: jawaban harus berupa teks.") % {"label": question.label},
                field=name,
                code="invalid_answer",
            )
        check = validation.line if question.kind == Kind.SHORT else validation.text
        return check(
            value,
            field=name,
            max_length=SHORT_MAX if question.kind == Kind.SHORT else LONG_MAX,
            label=question.label,
        )
    if question.kind == Kind.SINGLE:
        return _choice(value, question)
    if question.kind == Kind.MULTIPLE:
        values = value if isinstance(value, list) else [value]
        picked = [_choice(v, question) for v in values]
        return [c for c in question.choices if c in picked]  # the organiser's order, no repeats
    return _yesno(value, question)


def clean_answers(
    questions: list[RegistrationQuestion], raw: dict | None, *, enforce_required: bool = True
) -> dict:
    """{question: value} from {question id (int or str): raw value}; every question is
    checked (a required one left out is refused), an id of no question of the training is
    refused too. DomainError names the question's field (`q_<id>`)."""
    raw = dict(raw or {})
    known = {str(q.pk): q for q in questions}
    unknown = sorted(str(k) for k in raw if str(k) not in known)
    if unknown:
        raise DomainError(
            _("Pertanyaan tidak dikenal pada pelatihan ini: %(ids)s.")
            % {"ids": ", ".join(unknown)},
            field="answers",
            code="unknown_question",
        )
    values = {str(k): v for k, v in raw.items()}
    cleaned = {}
    for question in questions:
        value = clean_answer(
            question, values.get(str(question.pk)), enforce_required=enforce_required
        )
        if value is not None:
            cleaned[question] = value
    return cleaned


def required_profile_fields(training: Training) -> list[str]:
    return [f for f in (training.required_profile_fields or []) if f in PROFILE_FIELDS]


def missing_profile_refusal(training: Training, applicant) -> DomainError | None:
    """The first required profile field the applicant left empty, as the error to raise."""
    for name in required_profile_fields(training):
        if _empty(getattr(applicant, name, None)):
            return DomainError(
                _("%(label)s wajib diisi untuk pelatihan ini.")
                % {"label": str(PROFILE_FIELDS[name])},
                field=name,
                code="profile_field_required",
            )
    return None


def save_missing_to_profile(user, applicant, names) -> list[str]:
    """Copy into the person's creator profile the fields of `names` it lacks (gender,
    kelurahan, birth year) from what they typed at registration; never overwrites. Returns
    the fields saved."""
    from ekraf.creators import services as creators
    from ekraf.creators.models import CreatorProfile

    from .registration import creator_profile_of

    names = [n for n in names if n in ("gender", "kelurahan", "birth_year")]
    if not names:
        return []
    profile = creator_profile_of(user)
    if profile is None:
        if not permissions.is_creator(user):
            return []
        profile = creators.ensure_profile(user)
    saved = []
    for name in names:
        value = getattr(applicant, name, None)
        if _empty(value) or getattr(profile, name):
            continue
        empty = {f"{name}__isnull": True} if name in ("kelurahan", "birth_year") else {name: ""}
        if CreatorProfile.objects.filter(pk=profile.pk, **empty).update(**{name: value}):
            saved.append(name)
    return saved


@dataclass
class QuestionInput:
    """One question as the organiser's page or the API gives it; `id` None for a new one."""

    label: str
    kind: str
    id: int | None = None
    help_text: str = ""
    choices: list[str] = field(default_factory=list)
    required: bool = False


def _clean_question(item: QuestionInput, index: int) -> QuestionInput:
    where = _("Pertanyaan %(n)s") % {"n": index + 1}
    item.label = validation.line(item.label, max_length=200, required=True, label=where)
    item.help_text = validation.line(item.help_text, max_length=300, label=where)
    if item.kind not in Kind.values:
        raise DomainError(_("%(where)s: jenis jawaban tidak dikenal.") % {"where": where})
    choices = []
    for raw in item.choices or []:
        choice = validation.line(raw, max_length=CHOICE_MAX, label=where)
        if choice and choice not in choices:
            choices.append(choice)
    if item.kind in RegistrationQuestion.CHOICE_KINDS:
        if len(choices) < 2:
            raise DomainError(
                _("%(where)s: tulis paling sedikit dua pilihan, satu per baris.") % {"where": where}
            )
        if len(choices) > MAX_CHOICES:
            raise DomainError(
                _("%(where)s: paling banyak %(n)s pilihan.") % {"where": where, "n": MAX_CHOICES}
            )
    else:
        choices = []
    item.choices = choices
    return item


def save_questions(
    actor, training: Training, items: list[QuestionInput], required_fields: list[str]
) -> list[RegistrationQuestion]:
    """Replace the training's questions with `items`, in their order: existing ones (by id)
    are updated, new ones added, the others deleted with their answers. Also sets the
    required profile fields. Only the training's managers."""
    permissions.require(
        permissions.can_manage_training(actor, training),
        _("Hanya penyelenggara pelatihan ini yang bisa mengubah pertanyaan pendaftaran."),
    )
    if training.status in (Training.Status.FINISHED, Training.Status.CANCELLED):
        raise Conflict(
            _("Pelatihan yang sudah selesai atau dibatalkan tidak bisa diubah."),
            code="training_closed",
        )
    if len(items) > MAX_QUESTIONS:
        raise DomainError(_("Paling banyak %(n)s pertanyaan.") % {"n": MAX_QUESTIONS})
    unknown = [f for f in required_fields if f not in PROFILE_FIELDS]
    if unknown:
        raise DomainError(_("Data profil wajib tidak dikenal."), field="required_profile_fields")
    items = [_clean_question(item, i) for i, item in enumerate(items)]
    with transaction.atomic():
        existing = {q.pk: q for q in training.questions.select_for_update()}
        kept = []
        for position, item in enumerate(items):
            question = existing.get(item.id) if item.id else None
            if item.id and question is None:
                raise DomainError(_("Pertanyaan itu tidak ada pada pelatihan ini."))
            if question is None:
                question = RegistrationQuestion(training=training)
            question.position = position
            question.kind = item.kind
            question.label = item.label
            question.help_text = item.help_text
            question.choices = item.choices
            question.required = item.required
            question.save()
            kept.append(question)
        kept_ids = {q.pk for q in kept}
        removed = [pk for pk in existing if pk not in kept_ids]
        if removed:
            RegistrationQuestion.objects.filter(pk__in=removed).delete()
        ordered = [f for f in PROFILE_FIELDS if f in required_fields]
        if ordered != (training.required_profile_fields or []):
            training.required_profile_fields = ordered
            training.save(update_fields=["required_profile_fields", "updated_at"])
        audit(
            actor,
            "training.questions.update",
            training,
            detail={"questions": len(kept), "removed": len(removed), "required": ordered},
        )
    return kept


def store_answers(registration, answers: dict) -> None:
    """Inside the registration's transaction: one INSERT for all its answers."""
    from ..models import RegistrationAnswer

    if not answers:
        return
    try:
        with transaction.atomic():
            RegistrationAnswer.objects.bulk_create(
                RegistrationAnswer(registration=registration, question=q, value=v)
                for q, v in answers.items()
            )
    except IntegrityError as exc:  # a question deleted meanwhile
        raise DomainError(
            _("Pertanyaan pendaftaran baru saja diubah penyelenggara; muat ulang halaman."),
            code="questions_changed",
        ) from exc
