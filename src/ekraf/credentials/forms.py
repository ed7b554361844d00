from django import forms
from django.utils.translation import gettext_lazy as _

from ekraf.core.errors import DomainError
from ekraf.core.forms import StyledForm, StyledModelForm
from ekraf.core.uploads import ImageUploadField

from . import codes
from .models import Referral, RevocationCategory, Signatory


class VerifyForm(StyledForm):
    kode = forms.CharField(
        label=_("Kode verifikasi"),
        max_length=40,
        help_text=_("13 karakter seperti tercetak di e-sertifikat, misalnya ABCD-EFGH-JKMN-P."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean_kode(self):
        code = codes.parse(self.cleaned_data["kode"])
        if code is None and codes.is_mistyped(self.cleaned_data["kode"]):
            raise forms.ValidationError(_("Kode salah ketik — periksa huruf yang mirip."))
        if code is None:
            raise forms.ValidationError(
                _("Kode tidak valid: kode verifikasi terdiri dari 13 huruf dan angka.")
            )
        return code


class HolderDidForm(StyledForm):
    did = forms.CharField(
        label=_("DID dompet digital Anda (opsional)"),
        max_length=300,
        required=False,
        help_text=_(
            "Bila dompet Anda (misalnya Learner Credential Wallet) memberi DID, tempel di sini: "
            "kredensial Open Badges Anda akan menyebut DID itu sebagai pemegangnya. Kosongkan "
            "untuk menghapusnya."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


def _domain_rule(form, field: str, check):
    """Run a services rule (DomainError) as the form's validation, on `field`."""
    try:
        return check()
    except DomainError as exc:
        form.add_error(exc.field or field, exc.message)
        return None


class RevokeForm(StyledForm):
    category = forms.ChoiceField(
        label=_("Jenis alasan"),
        choices=[("", _("— pilih —")), *RevocationCategory.choices],
    )
    reason = forms.CharField(
        label=_("Penjelasan"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Ditampilkan kepada siapa pun yang memeriksa e-sertifikat ini. Jelaskan dengan "
            'kalimat (minimal 15 karakter dan 3 kata), misalnya "Peserta tidak hadir, '
            'tercatat hadir karena salah pindai".'
        ),
    )

    def clean(self):
        data = super().clean()
        if "category" in data and "reason" in data:
            from .services import clean_revocation

            cleaned = _domain_rule(
                self, "reason", lambda: clean_revocation(data["category"], data["reason"])
            )
            if cleaned:
                data["category"], data["reason"] = cleaned
        return data

    def public_text(self) -> str:
        """What verifiers will read, for the preview."""
        from .services import public_reason

        data = self.cleaned_data
        return public_reason(data["category"], data["reason"])


class ReissueForm(StyledForm):
    holder_name = forms.CharField(
        label=_("Nama pemegang (yang benar)"),
        max_length=150,
        help_text=_("Tercetak di e-sertifikat pengganti, lengkap dengan gelar bila ada."),
    )
    reason = forms.CharField(
        label=_("Apa yang diperbaiki"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            'Dicatat di log audit, misalnya "Nama peserta salah ketik saat pendaftaran". '
            "Data pelatihan (judul, tanggal, tempat, JP) dicetak seperti yang tercatat sekarang."
        ),
    )

    def clean_reason(self):
        from .services import meaningful_text

        reason = self.cleaned_data["reason"]
        try:
            return meaningful_text(reason, field="reason", what=_("Alasan penerbitan ulang"))
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from exc


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
