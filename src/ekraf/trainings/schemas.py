"""The trainings API's schemas: what clients send (`…In`) and what they get back (`…Out`).
Kept apart from the endpoints in api.py, which stay thin."""

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import ConfigDict, field_validator

from ekraf.api.errors import ErrorOut, choice

from .models import QuotaCategory, Registration, Training


class In(Schema):
    """Input: text with a NUL character is refused (PostgreSQL cannot store it)."""

    @field_validator("*")
    @classmethod
    def _no_nul(cls, value):
        if isinstance(value, str) and "\x00" in value:
            raise ValueError(_("Karakter NUL tidak diperbolehkan."))
        return value


class SessionIn(In):
    starts_at: datetime
    ends_at: datetime
    title: str = Field("", max_length=200)
    space: str | None = Field(
        None, description="Kode ruang MCC (lihat data kota), mis. ruang-workshop"
    )
    address: str = Field("", max_length=255)
    online_url: str = Field("", max_length=200)
    self_checkin: bool = False


class CategoryIn(In):
    name: str = Field(..., min_length=1, max_length=60)
    seats: int = Field(..., ge=1, le=100000)
    audience: choice(QuotaCategory.Audience) = QuotaCategory.Audience.ANYONE
    residents_only: bool = False
    min_age: int | None = Field(None, ge=0, le=120)
    max_age: int | None = Field(None, ge=0, le=120)


class TrainingIn(In):
    agency: str = Field(..., description="Kode perangkat daerah penyelenggara, mis. diskominfo")
    title: str = Field(..., min_length=3, max_length=200)
    kind: Training.Kind = Training.Kind.BIMTEK
    audience: str = Field("", max_length=200)
    description: str = Field("", max_length=20000)
    learning_outcomes: str = Field("", max_length=10000)
    hours: int = Field(0, ge=0, le=1000)
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    cancellation_deadline: datetime | None = None
    selection_mode: Training.SelectionMode = Training.SelectionMode.FIRST_COME
    offer_hours: int = Field(48, ge=0, le=720)
    completion_min_attendance: int = Field(100, ge=0, le=100)
    completion_min_post_test: Decimal | None = Field(None, ge=0, le=100, decimal_places=2)
    certificate_kind: Training.CertificateKind = Training.CertificateKind.COMPLETION
    sessions: list[SessionIn] = Field(..., min_length=1, max_length=100)
    categories: list[CategoryIn] = Field(..., min_length=1, max_length=20)
    publish: bool = Field(False, description="Langsung umumkan (buka pendaftaran)")


class SessionOut(Schema):
    id: str
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str
    space: str | None
    online: bool


class CategoryOut(Schema):
    id: int
    name: str
    seats: int
    seats_left: int
    waiting: int
    audience: str
    residents_only: bool
    min_age: int | None
    max_age: int | None


class QuestionOut(Schema):
    id: int
    kind: str
    label: str
    help_text: str
    choices: list[str]
    required: bool


class QuestionIn(In):
    """One registration question; `id` of an existing question to keep (and its answers), none
    for a new one. Checked by services.save_questions, as the organiser's page is. A field it
    does not know is refused (422): a misspelt "required" must not leave a question optional."""

    model_config = ConfigDict(extra="forbid")

    id: int | None = None
    kind: str = Field(..., description="short, long, single, multiple atau yesno")
    label: str = Field(..., max_length=200)
    help_text: str = Field("", max_length=300)
    choices: list[str] = Field(default_factory=list, max_length=50)
    required: bool = False


class QuestionsIn(In):
    """Everything a training asks its registrants, replaced as a whole: the questions in their
    order (those left out are deleted, with their answers) and the required profile fields."""

    model_config = ConfigDict(extra="forbid")

    questions: list[QuestionIn] = Field(default_factory=list, max_length=50)
    required_profile_fields: list[str] = Field(default_factory=list, max_length=20)


class TrainingOut(Schema):
    id: str
    title: str
    kind: str
    status: str
    agency: str
    agency_name: str
    audience: str
    description: str
    learning_outcomes: str
    hours: int
    selection_mode: str
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None
    cancellation_deadline: datetime | None
    completion_min_attendance: int
    completion_min_post_test: Decimal | None
    url: str
    sessions: list[SessionOut]
    categories: list[CategoryOut]
    required_profile_fields: list[str] = Field(
        default_factory=list, description="Data profil yang wajib diisi saat mendaftar"
    )
    questions: list[QuestionOut] = Field(
        default_factory=list,
        description="Pertanyaan pendaftaran; jawab lewat `answers` saat mendaftar",
    )


class TrainingItem(Schema):
    id: str = Field(..., alias="public_id")
    title: str
    kind: str
    status: str
    agency: str = Field(..., alias="agency.code")
    starts_at: datetime | None = Field(None, alias="first_start")
    ends_at: datetime | None = Field(None, alias="last_end")
    seats: int = Field(..., alias="seats_total")
    seats_left: int
    waiting: int
    url: str

    @staticmethod
    def resolve_seats_left(obj) -> int:
        return max((obj.seats_total or 0) - (obj.seats_held or 0), 0)

    @staticmethod
    def resolve_url(obj) -> str:
        return training_url(obj)


class RegistrationIn(In):
    category_id: int | None = Field(
        None,
        ge=1,
        le=2**63 - 1,
        description="Kategori kuota; kosong = kategori pertama yang memenuhi syarat",
    )
    creator_id: str | None = Field(
        None, description="Penyelenggara: ID pelaku ekraf yang didaftarkan. Kosong = diri sendiri."
    )
    full_name: str | None = Field(None, max_length=150)
    phone: str | None = Field(None, max_length=20)
    gender: str | None = Field(None, pattern="^[LP]?$")
    birth_year: int | None = Field(None, ge=1900, le=2100)
    kelurahan: str | None = Field(None, description="Kode Kemendagri kelurahan tempat tinggal")
    origin: str | None = Field(None, max_length=150)
    audience: choice(Registration.Audience) | None = None
    motivation: str | None = Field(None, max_length=2000)
    answers: dict[str, str | bool | list[str]] | None = Field(
        None,
        description=(
            "Jawaban atas pertanyaan pendaftaran pelatihan: {id pertanyaan: jawaban}; teks, "
            "satu pilihan, daftar pilihan, atau true/false untuk ya/tidak"
        ),
    )


class RegistrationOut(Schema):
    id: str
    training: str
    status: str
    category: str
    full_name: str
    ticket_code: str
    ticket_url: str
    waitlist_position: int | None
    offer_expires_at: datetime | None
    created_at: datetime


class TrainingCancelIn(In):
    reason: str = Field("", max_length=200)


class CheckinIn(In):
    ticket_code: str = Field(..., min_length=1, max_length=200)
    session_id: str = Field(..., min_length=1, max_length=16)


class CheckinOut(Schema):
    status: str = Field(
        ..., description="checked_in, atau already_checked_in (tidak mengubah apa pun)"
    )
    message: str
    registration_id: str
    full_name: str
    category: str
    checked_in_at: datetime


class ScoresIn(In):
    pre_test_score: Decimal | None = Field(None, ge=0, le=100, decimal_places=2)
    post_test_score: Decimal | None = Field(None, ge=0, le=100, decimal_places=2)


class ScoresOut(Schema):
    id: str
    pre_test_score: Decimal | None
    post_test_score: Decimal | None
    completed: bool | None
    completion_reason: str


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def training_url(training) -> str:
    """The training's public page, absolute (what the API's `url` fields hold)."""
    return settings.BASE_URL + reverse("trainings:detail", args=[training.public_id])
