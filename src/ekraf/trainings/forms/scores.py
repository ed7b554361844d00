"""Importing pre- or post-test scores from a CSV or XLSX file, and which attempt counts when
someone took the test more than once (services.scores reads the file)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ekraf.core.forms import StyledForm


class ScoreImportForm(StyledForm):
    test = forms.ChoiceField(
        label=_("Nilai yang diimpor"),
        choices=[("post", _("Post-test")), ("pre", _("Pre-test"))],
        widget=forms.RadioSelect,
        initial="post",
    )
    attempt = forms.ChoiceField(
        label=_("Bila seseorang mengerjakan lebih dari sekali"),
        choices=[],
        widget=forms.RadioSelect,
        initial="latest",
        required=False,  # the latest attempt, when a client sends none
        help_text=_(
            "Urutan percobaan menurut kolom Timestamp/Stempel waktu, atau urutan baris bila "
            "kolom itu tidak ada. Pratinjau menunjukkan baris mana yang dipakai per orang."
        ),
    )
    file = forms.FileField(
        label=_("Berkas CSV atau XLSX"),
        help_text=_(
            "Ekspor Google Forms (kuis) atau lembar sendiri: kolom email, nomor WhatsApp atau "
            "kode tiket, dan kolom nilai (Score/Skor/Nilai, mis. “8 / 10” atau 80)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        from ..services import attempt_choices

        super().__init__(*args, **kwargs)
        self.fields["attempt"].choices = attempt_choices()
