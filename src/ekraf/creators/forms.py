"""Forms of the creator registry. They parse input; the rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ekraf.core.forms import StyledForm
from ekraf.core.selectors import districts, subsectors

from . import channels as channel_rules
from . import selectors, services
from .models import Channel, Consent, Gender, Pathway

GENDER_CHOICES = [("", _("— tidak diisi —")), *Gender.choices]


def kelurahan_choices():
    return [("", _("— pilih kelurahan —"))] + [
        (district.name, [(v.code, v.name) for v in villages])
        for district, villages in selectors.villages_by_district()
    ]


class ProfileForm(StyledForm):
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    display_name = forms.CharField(
        label=_("Nama tampilan"),
        max_length=80,
        required=False,
        help_text=_("Nama panggung atau nama akun, bila berbeda dari nama lengkap."),
    )
    photo = forms.FileField(
        label=_("Foto profil"),
        required=False,
        help_text=_("JPG, PNG atau WebP, paling besar 5 MB. Data lokasi di foto dihapus."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_photo = forms.BooleanField(label=_("Hapus foto yang sekarang"), required=False)
    gender = forms.ChoiceField(label=_("Jenis kelamin"), choices=GENDER_CHOICES, required=False)
    birth_year = forms.IntegerField(
        label=_("Tahun lahir"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "1995"}),
    )
    phone = forms.CharField(
        label=_("Nomor WhatsApp"),
        max_length=30,
        required=False,
        help_text=_("Contoh: 0812-3456-7890. Tidak pernah ditampilkan untuk umum."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    kelurahan = forms.ChoiceField(label=_("Kelurahan domisili"), required=False)
    subsectors = forms.MultipleChoiceField(
        label=_("Subsektor"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    skills = forms.CharField(
        label=_("Keterampilan"),
        required=False,
        max_length=1500,
        help_text=_(
            "Pisahkan dengan koma, misalnya: editing video, fotografi produk, copywriting."
        ),
    )
    bio = forms.CharField(
        label=_("Bio singkat"),
        required=False,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Paling banyak 600 karakter, teks biasa."),
    )
    pathways = forms.MultipleChoiceField(
        label=_("Jalur yang diminati"),
        required=False,
        choices=Pathway.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    nik = forms.CharField(
        label=_("NIK (tidak wajib)"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    nik_consent = forms.BooleanField(
        label=services.CONSENT_TEXTS[Consent.Purpose.NIK].text, required=False
    )
    remove_nik = forms.BooleanField(label=_("Hapus NIK saya"), required=False)

    def __init__(self, *args, profile=None, **kwargs):
        self.profile = profile
        super().__init__(*args, **kwargs)
        self.fields["kelurahan"].choices = kelurahan_choices()
        self.fields["subsectors"].choices = [(s.code, s.name) for s in subsectors()]
        if profile is not None and profile.nik_masked:
            self.fields["nik"].label = _("Ganti NIK")
            self.fields["nik"].help_text = _(
                "Tersimpan: %(masked)s. Kosongkan bila tidak ingin mengganti."
            ) % {"masked": profile.nik_masked}
        else:
            self.fields["nik"].help_text = _(
                "16 angka sesuai KTP. Disimpan terenkripsi dan hanya ditampilkan tersamar."
            )
            del self.fields["remove_nik"]
        if profile is None or not profile.photo:
            del self.fields["remove_photo"]

    @staticmethod
    def initial_for(profile) -> dict:
        return {
            "full_name": profile.full_name,
            "display_name": profile.display_name,
            "gender": profile.gender,
            "birth_year": profile.birth_year,
            "phone": profile.phone,
            "kelurahan": profile.kelurahan.code if profile.kelurahan else "",
            "subsectors": [s.code for s in profile.subsectors.all()],
            "skills": ", ".join(s.name for s in profile.skills.all()),
            "bio": profile.bio,
            "pathways": [p.pathway for p in profile.pathway_interests.all()],
        }

    def clean(self):
        data = super().clean()
        if data.get("nik") and not data.get("nik_consent"):
            self.add_error("nik_consent", _("Centang persetujuan ini untuk menyimpan NIK."))
        return data

    def to_input(self, channel_inputs) -> services.ProfileInput:
        data = self.cleaned_data
        nik = None
        if data.get("remove_nik"):
            nik = ""
        elif data.get("nik"):
            nik = data["nik"]
        unset = {name for name in ("birth_year", "kelurahan") if not data.get(name)}
        return services.ProfileInput(
            full_name=data["full_name"],
            display_name=data["display_name"],
            gender=data["gender"],
            birth_year=data["birth_year"],
            kelurahan=data["kelurahan"] or None,
            subsectors=data["subsectors"],
            skills=data["skills"],
            bio=data["bio"],
            pathways=data["pathways"],
            phone=data["phone"],
            nik=nik,
            channels=channel_inputs,
            unset=unset,
        )


class ChannelForm(StyledForm):
    platform = forms.ChoiceField(label=_("Platform"), choices=Channel.Platform.choices)
    value = forms.CharField(
        label=_("Nama akun atau tautan"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"autocapitalize": "none", "placeholder": "@namaakun"}),
    )
    followers = forms.CharField(
        label=_("Jumlah pengikut"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "12500"}),
    )
    followers_read_on = forms.DateField(
        label=_("Dibaca pada tanggal"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Kosongkan untuk hari ini."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_permitted = True
        self.use_required_attribute = False

    def to_input(self) -> services.ChannelInput | None:
        data = getattr(self, "cleaned_data", {})
        if not data.get("value"):
            return None  # an empty row, or a channel the person cleared: removed
        return services.ChannelInput(
            platform=data["platform"],
            value=data["value"],
            followers=data.get("followers") or None,
            followers_read_on=data.get("followers_read_on"),
        )


ChannelFormSet = forms.formset_factory(
    ChannelForm, extra=1, max_num=services.MAX_CHANNELS, validate_max=True
)


def _shown_value(channel) -> str:
    """'@handle' where that leads back to the same account, else the stored link.

    A LinkedIn company page, a YouTube channel id or /c/ name, a Facebook profile.php?id are
    not '@handle' accounts: shown as one, saving the form unchanged re-pointed them at a
    different (or no) account.
    """
    if channel.platform in ("podcast", "website") or not channel.handle:
        return channel.url
    as_handle = f"@{channel.handle}"
    try:
        same = channel_rules.normalise(channel.platform, as_handle).url == channel.url
    except channel_rules.ChannelError:
        same = False
    return as_handle if same else channel.url


def channel_initial(profile) -> list[dict]:
    return [
        {
            "platform": c.platform,
            "value": _shown_value(c),
            "followers": c.followers if c.followers is not None else "",
            "followers_read_on": c.followers_read_on,
        }
        for c in profile.channels.all()
    ]


class SharingForm(StyledForm):
    public_profile = forms.BooleanField(
        label=services.CONSENT_TEXTS[Consent.Purpose.PUBLIC_PROFILE].text, required=False
    )
    show_photo = forms.BooleanField(label=_("Tampilkan foto"), required=False)
    show_area = forms.BooleanField(label=_("Tampilkan kelurahan dan kecamatan"), required=False)
    show_bio = forms.BooleanField(label=_("Tampilkan bio"), required=False)
    show_channels = forms.BooleanField(
        label=_("Tampilkan kanal media sosial dan jumlah pengikut"), required=False
    )
    talent_directory = forms.BooleanField(
        label=services.CONSENT_TEXTS[Consent.Purpose.TALENT_DIRECTORY].text, required=False
    )

    def to_choice(self) -> services.SharingChoice:
        return services.SharingChoice(**self.cleaned_data)


class DeleteAccountForm(StyledForm):
    password = forms.CharField(
        label=_("Kata sandi Anda"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("Saya mengerti akun saya dihapus dan tidak bisa dikembalikan.")
    )


class RevealNikForm(StyledForm):
    reason = forms.CharField(
        label=_("Alasan membuka NIK"),
        max_length=200,
        help_text=_("Dicatat di log audit bersama nama Anda."),
    )


# --- staff list -------------------------------------------------------------------------------


class CreatorFilterForm(StyledForm):
    q = forms.CharField(
        label=_("Cari"),
        required=False,
        widget=forms.SearchInput(attrs={"placeholder": _("Nama, email, telepon, atau akun")}),
    )
    subsector = forms.ChoiceField(label=_("Subsektor"), required=False)
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    kelurahan = forms.ChoiceField(label=_("Kelurahan"), required=False)
    platform = forms.ChoiceField(
        label=_("Platform"),
        required=False,
        choices=[("", _("Semua platform")), *Channel.Platform.choices],
    )
    pathway = forms.ChoiceField(
        label=_("Jalur minat"), required=False, choices=[("", _("Semua jalur")), *Pathway.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subsector"].choices = [("", _("Semua subsektor"))] + [
            (s.code, s.name) for s in subsectors()
        ]
        self.fields["kecamatan"].choices = [("", _("Semua kecamatan"))] + [
            (d.code, d.name) for d in districts()
        ]
        kelurahan = kelurahan_choices()
        kelurahan[0] = ("", _("Semua kelurahan"))
        self.fields["kelurahan"].choices = kelurahan


# --- import -----------------------------------------------------------------------------------


class ImportUploadForm(StyledForm):
    agency = forms.ChoiceField(label=_("Atas nama perangkat daerah"))
    file = forms.FileField(
        label=_("Berkas CSV atau XLSX"),
        help_text=_(
            "Misalnya hasil unduhan Google Forms. Baris pertama berisi judul kolom; paling besar "
            "10 MB."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(a.code, a.short_name) for a in agencies]


class ImportMappingForm(StyledForm):
    """One select per field of the registry: which column of the file holds it."""

    def __init__(self, *args, headers=(), targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— abaikan —"))] + [
            (str(i), header or _("(kolom %(n)d tanpa judul)") % {"n": i + 1})
            for i, header in enumerate(headers)
        ]
        for target in targets:
            self.fields[target.name] = forms.ChoiceField(
                label=target.label, choices=choices, required=target.required
            )
        from .imports import NIK_CONFIRMATION

        self.fields["nik_confirmed"] = forms.BooleanField(
            label=NIK_CONFIRMATION.text,
            required=False,
            help_text=_(
                "Wajib dicentang agar kolom NIK diimpor; tanpa pernyataan ini kolom NIK "
                "diabaikan. Setiap NIK yang diimpor dicatat dengan persetujuan atas nama "
                "perangkat daerah Anda (versi pernyataan %(version)s)."
            )
            % {"version": NIK_CONFIRMATION.version},
        )

    def mapping(self) -> dict:
        return {
            k: v
            for k, v in self.cleaned_data.items()
            if k != "nik_confirmed" and v not in ("", None)
        }
