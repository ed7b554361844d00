"""The participant's feedback: the overall rating, one rating per aspect, the open questions
and a comment (services.feedback checks and saves them)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ekraf.core.forms import StyledForm

from ..models import FEEDBACK_ASPECTS, FEEDBACK_OPEN_QUESTIONS

RATING_CHOICES = [(5, "5 — sangat baik"), (4, "4"), (3, "3"), (2, "2"), (1, "1 — buruk")]


class FeedbackForm(StyledForm):
    """The overall rating, a rating per aspect (FEEDBACK_ASPECTS), the open questions
    (FEEDBACK_OPEN_QUESTIONS) and a comment; services.clean_feedback checks them."""

    rating = forms.TypedChoiceField(
        label=_("Seberapa bermanfaat pelatihan ini?"),
        choices=[(5, "5 — sangat"), (4, "4"), (3, "3"), (2, "2"), (1, "1 — tidak")],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Komentar dan saran"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {"rating": self.fields.pop("rating")}
        for key, label in FEEDBACK_ASPECTS.items():
            fields[f"aspect_{key}"] = forms.TypedChoiceField(
                label=_("Penilaian %(aspect)s") % {"aspect": str(label).lower()},
                choices=RATING_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                required=False,  # an online training has no venue to rate
                empty_value=None,
            )
        for key, label in FEEDBACK_OPEN_QUESTIONS.items():
            fields[f"open_{key}"] = forms.CharField(
                label=label,
                widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
                max_length=2000,
                required=False,
            )
        fields["comment"] = self.fields.pop("comment")
        self.fields = fields

    def aspects(self) -> dict:
        return {
            key: self.cleaned_data[f"aspect_{key}"]
            for key in FEEDBACK_ASPECTS
            if self.cleaned_data.get(f"aspect_{key}") is not None
        }

    def open_answers(self) -> dict:
        return {key: self.cleaned_data.get(f"open_{key}", "") for key in FEEDBACK_OPEN_QUESTIONS}
