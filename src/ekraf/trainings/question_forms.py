"""Forms of what a training asks: the organiser's question editor (a formset: add, edit,
reorder, delete) with the required profile fields, and the questions' fields on the
registration form. They parse; services.questions checks and writes."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ekraf.core.errors import DomainError
from ekraf.core.forms import StyledForm

from . import services
from .models import PROFILE_FIELDS, RegistrationQuestion

Kind = RegistrationQuestion.Kind
YES, NO = "ya", "tidak"


class RequiredFieldsForm(StyledForm):
    required_profile_fields = forms.MultipleChoiceField(
        label=_("Data profil yang wajib diisi pendaftar"),
        choices=list(PROFILE_FIELDS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Agar laporan tidak berisi \u201cTidak diisi\u201d. Pendaftar yang belum mengisinya "
            "di profil diminta mengisinya di formulir pendaftaran."
        ),
    )


class QuestionForm(StyledForm):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    label = forms.CharField(label=_("Pertanyaan"), max_length=200)
    kind = forms.ChoiceField(label=_("Jenis jawaban"), choices=Kind.choices, initial=Kind.SHORT)
    help_text = forms.CharField(label=_("Keterangan (opsional)"), max_length=300, required=False)
    choices = forms.CharField(
        label=_("Pilihan, satu per baris"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Hanya untuk \u201cPilih satu\u201d dan \u201cPilih beberapa\u201d."),
    )
    required = forms.BooleanField(label=_("Wajib dijawab"), required=False)

    def to_input(self) -> services.QuestionInput:
        d = self.cleaned_data
        return services.QuestionInput(
            id=d.get("id"),
            label=d["label"],
            kind=d["kind"],
            help_text=d.get("help_text", ""),
            choices=(d.get("choices") or "").splitlines(),
            required=d.get("required", False),
        )


QuestionFormSet = forms.formset_factory(
    QuestionForm,
    extra=1,  # an empty one to add a question, even without script
    can_delete=True,
    can_order=True,
    max_num=services.MAX_QUESTIONS,
    validate_max=True,
)


def question_initial(questions) -> list[dict]:
    return [
        {
            "id": q.pk,
            "label": q.label,
            "kind": q.kind,
            "help_text": q.help_text,
            "choices": "\n".join(q.choices),
            "required": q.required,
            "ORDER": i,
        }
        for i, q in enumerate(questions, start=1)
    ]


def ordered_inputs(formset) -> list[services.QuestionInput]:
    """The kept questions in the order the organiser numbered them (ties: page order)."""
    kept = [
        (f.cleaned_data.get("ORDER") or 10_000, i, f)
        for i, f in enumerate(formset.forms)
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]
    return [f.to_input() for _o, _i, f in sorted(kept, key=lambda t: (t[0], t[1]))]


def answer_form_field(question: RegistrationQuestion) -> forms.Field:
    """The registration form's field for one question."""
    common = {
        "label": question.label,
        "help_text": question.help_text,
        "required": question.required,
    }
    if question.kind == Kind.SHORT:
        return forms.CharField(max_length=services.questions.SHORT_MAX, **common)
    if question.kind == Kind.LONG:
        return forms.CharField(
            max_length=services.questions.LONG_MAX,
            widget=forms.Textarea(attrs={"rows": 3}),
            **common,
        )
    if question.kind == Kind.SINGLE:
        return forms.ChoiceField(
            choices=[(c, c) for c in question.choices], widget=forms.RadioSelect, **common
        )
    if question.kind == Kind.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=[(c, c) for c in question.choices],
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    return forms.ChoiceField(
        choices=[(YES, _("Ya")), (NO, _("Tidak"))], widget=forms.RadioSelect, **common
    )


class AnswersMixin:
    """Adds a training's questions to a form (fields `q_<id>`), checked by the service."""

    def add_questions(self, questions):
        self.questions = list(questions)
        for question in self.questions:
            field = answer_form_field(question)
            if question.kind in (Kind.SHORT, Kind.LONG):
                field.widget.attrs["class"] = "form-control"
            self.fields[services.answer_field(question)] = field

    def clean(self):
        cleaned = super().clean()
        for question in getattr(self, "questions", []):
            name = services.answer_field(question)
            if name in self.errors:
                continue
            try:
                services.clean_answer(question, cleaned.get(name))
            except DomainError as exc:
                self.add_error(name, ValidationError(exc.message))
        return cleaned

    def answers(self) -> dict:
        return {q.pk: self.cleaned_data.get(services.answer_field(q)) for q in self.questions}
