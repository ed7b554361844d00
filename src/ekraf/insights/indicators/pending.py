"""Indicators whose source capability has not landed on this branch yet (talent pathways,
programmes, stories, speaker engagements, the trained → active conversion).

They are defined here with their metadata so that the dictionary lists them, and are shown as
"belum tersedia" — never as zero — until their models exist in the app registry and their
computation is written beside them (then `compute` is set)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from . import AGENCY, COUNT, KECAMATAN, PATHWAY, PERCENT, Indicator, register

HASHTAG = "hashtag"

register(
    Indicator(
        code="TAL-01",
        name=_("Jalur talenta hasil asesmen"),
        theme="talent",
        concept=_("Banyaknya pelaku yang dinilai layak pada suatu jalur talenta."),
        formula=_("Σ asesmen jalur per bulan asesmen, per jalur"),
        unit=COUNT,
        classification=(KECAMATAN, PATHWAY),
        key=PATHWAY,
        sources=("talent.AssessedPathway",),
        requires=("talent.AssessedPathway",),
    )
)
register(
    Indicator(
        code="TAL-02",
        name=_("Keterlibatan narasumber"),
        theme="talent",
        concept=_("Banyaknya penugasan narasumber yang diterima atau selesai."),
        formula=_("Σ pemesanan narasumber berstatus diterima/selesai per bulan mulai"),
        unit=COUNT,
        classification=(AGENCY, KECAMATAN),
        sources=("talent.SpeakerRequest", "talent.SpeakerBooking"),
        requires=("talent.SpeakerRequest", "talent.SpeakerBooking"),
    )
)
register(
    Indicator(
        code="PRG-01",
        name=_("Konten program disetujui"),
        theme="programs",
        concept=_("Banyaknya konten (deliverable) program yang disetujui."),
        formula=_("Σ deliverable disetujui per bulan persetujuan, per instansi dan tagar"),
        unit=COUNT,
        classification=(AGENCY, HASHTAG),
        key=HASHTAG,
        sources=("programs.Programme", "programs.Engagement", "programs.Deliverable"),
        requires=("programs.Deliverable",),
    )
)
register(
    Indicator(
        code="PRG-02",
        name=_("Jangkauan konten program"),
        theme="programs",
        concept=_("Jumlah tayangan konten program yang disetujui (pembacaan terakhir)."),
        formula=_("Σ views dari pembacaan metrik terakhir tiap deliverable"),
        unit=COUNT,
        classification=(AGENCY, HASHTAG),
        key=HASHTAG,
        sources=("programs.Deliverable", "programs.MetricReading"),
        requires=("programs.MetricReading",),
    )
)
register(
    Indicator(
        code="PRG-03",
        name=_("Interaksi konten program"),
        theme="programs",
        concept=_("Jumlah suka, komentar, bagikan dan simpan pada konten program."),
        formula=_("Σ (likes + comments + shares + saves) dari pembacaan terakhir"),
        unit=COUNT,
        classification=(AGENCY, HASHTAG),
        key=HASHTAG,
        sources=("programs.Deliverable", "programs.MetricReading"),
        requires=("programs.MetricReading",),
    )
)
register(
    Indicator(
        code="BER-01",
        name=_("Berita warga terbit"),
        theme="newsroom",
        concept=_("Banyaknya berita pewarta warga yang terbit."),
        formula=_("Σ berita berstatus terbit per bulan terbit, per kecamatan"),
        unit=COUNT,
        classification=(KECAMATAN,),
        sources=("newsroom.Story",),
        requires=("newsroom.Story",),
    )
)
register(
    Indicator(
        code="KNV-01",
        name=_("Konversi terlatih → aktif (6 bulan)"),
        theme="conversion",
        concept=_(
            "Bagian orang yang lulus pelatihan dan dalam 6 bulan sesudahnya menghasilkan konten "
            "program yang disetujui, menerbitkan berita warga, atau menjadi narasumber."
        ),
        formula=_("Σ lulusan bulan itu yang aktif dalam 6 bulan ÷ Σ lulusan bulan itu × 100"),
        unit=PERCENT,
        classification=(AGENCY,),
        sources=(
            "trainings.Registration",
            "programs.Deliverable",
            "newsroom.Story",
            "talent.SpeakerBooking",
        ),
        caveats=_("Angka bulan-bulan terakhir masih bisa naik selama jendela 6 bulan berjalan."),
        requires=("programs.Deliverable", "newsroom.Story", "talent.SpeakerBooking"),
    )
)
