from django import forms
from django.utils.translation import gettext_lazy as _

from ekraf.core.forms import StyledForm, StyledModelForm
from ekraf.core.uploads import ImageUploadField

from . import codes
from .models import Referral, Signatory


class VerifyForm(StyledForm):
    kode = forms.CharField(
        label=_("Kode verifikasi"),
        max_length=40,
        help_text=_("13 karakter seperti tercetak di e-sertifikat, misalnya ABCD-EFGH-JKMN-P."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean_kode(self):
        code = codes.parse(self.cleaned_data["kode"])
        if code is None:
            raise forms.ValidationError(
                _("Kode tidak valid. Periksa kembali: mungkin ada huruf yang tertukar.")
            )
        return code


class RevokeForm(StyledForm):
    reason = forms.CharField(
        label=_("Alasan pencabutan"),
        max_length=300,
        min_length=5,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ditampilkan kepada siapa pun yang memeriksa e-sertifikat ini."),
    )


class SignatoryForm(StyledModelForm):
    # The upload gate (sniffed type, pixels checked from the header, re-encoded as PNG without
    # metadata, a generated name): the same rule as the admin site's form.
    signature = ImageUploadField(
        "signature",
        label=_("Gambar tanda tangan"),
        required=False,
        help_text=_("PNG (berlatar transparan atau putih) atau JPG, paling besar 2 MB."),
    )

    class Meta:
        model = Signatory
        fields = ["agency", "name", "nip", "title", "signature", "is_active"]

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["agency"].queryset = agencies
        self.fields["signature"].widget.attrs["accept"] = "image/png,image/jpeg"

    def clean_nip(self):
        nip = "".join(self.cleaned_data.get("nip", "").split())
        if nip and (not nip.isdigit() or len(nip) != 18):
            raise forms.ValidationError(_("NIP terdiri dari 18 digit angka."))
        return nip


class TrainingSignatoriesForm(StyledForm):
    first = forms.ModelChoiceField(label=_("Penandatangan 1"), queryset=Signatory.objects.none())
    second = forms.ModelChoiceField(
        label=_("Penandatangan 2 (opsional)"), queryset=Signatory.objects.none(), required=False
    )

    def __init__(self, *args, signatories=None, **kwargs):
        super().__init__(*args, **kwargs)
        if signatories is not None:
            self.fields["first"].queryset = signatories
            self.fields["second"].queryset = signatories


class ReferralForm(StyledForm):
    scheme = forms.CharField(
        label=_("Bidang/skema sertifikasi yang diminati"),
        max_length=200,
        help_text=_("Misalnya: Content Creator, Fotografer, Desainer Grafis Muda."),
    )
    motivation = forms.CharField(
        label=_("Alasan dan pengalaman Anda"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    phone = forms.CharField(
        label=_("Nomor WhatsApp (opsional)"),
        required=False,
        max_length=30,
        help_text=_("Agar petugas Disnaker-PMPTSP dapat menghubungi Anda. Contoh: 0812-3456-7890."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class ReferralUpdateForm(StyledForm):
    status = forms.ChoiceField(label=_("Status"), choices=Referral.Status.choices)
    lsp_name = forms.CharField(label=_("LSP tujuan"), max_length=200, required=False)
    scheduled_for = forms.DateField(
        label=_("Jadwal uji kompetensi"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(
        label=_("Catatan untuk pemohon"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, referral=None, **kwargs):
        super().__init__(*args, **kwargs)
        if referral is not None:
            allowed = [referral.status, *Referral.NEXT[Referral.Status(referral.status)]]
            self.fields["status"].choices = [
                (value, label) for value, label in Referral.Status.choices if value in allowed
            ]
            self.fields["status"].initial = referral.status
            self.fields["lsp_name"].initial = referral.lsp_name
            self.fields["scheduled_for"].initial = referral.scheduled_for
