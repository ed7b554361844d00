"""The public catalogue's filters (selectors.CatalogueFilters carries what they chose)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ekraf.core import selectors as core_selectors
from ekraf.core.forms import StyledForm

from ..models import Training


class CatalogueFilterForm(StyledForm):
    q = forms.CharField(label=_("Cari"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Jenis"), required=False, choices=[("", _("Semua jenis")), *Training.Kind.choices]
    )
    agency = forms.ChoiceField(label=_("Penyelenggara"), required=False)
    mode = forms.ChoiceField(
        label=_("Cara"),
        required=False,
        choices=[("", _("Luring & daring")), ("luring", _("Luring")), ("daring", _("Daring"))],
    )
    when = forms.ChoiceField(
        label=_("Waktu"),
        required=False,
        choices=[("mendatang", _("Mendatang")), ("lalu", _("Sudah lewat"))],
    )
    open_only = forms.BooleanField(label=_("Hanya yang masih dibuka"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("Semua penyelenggara"))] + [
            (a.code, a.short_name) for a in core_selectors.agencies()
        ]
