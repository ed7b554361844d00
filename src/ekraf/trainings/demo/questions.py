"""The organiser's own registration questions on two demo trainings, and each registrant's
answers."""

from __future__ import annotations

from ..models import RegistrationAnswer, RegistrationQuestion

# The trainings whose organisers ask their own questions (and require gender and kelurahan).
ASKING = {"Bimtek Konten Kreator: Branding Kota", "Pelatihan Konten Kreator Angkatan I"}
QUESTIONS = [
    ("short", "Nama akun media sosial utama Anda", "Mis. @kopi.arema", [], True),
    (
        "single",
        "Platform yang paling sering Anda pakai",
        "",
        ["Instagram", "TikTok", "YouTube", "Facebook"],
        True,
    ),
    (
        "multiple",
        "Peralatan yang Anda punya",
        "Pilih semua yang sesuai.",
        ["Ponsel", "Tripod", "Mikrofon clip-on", "Lampu ring", "Kamera mirrorless"],
        False,
    ),
    ("yesno", "Apakah Anda membawa laptop sendiri?", "", [], True),
    ("long", "Konten seperti apa yang ingin Anda buat?", "", [], False),
]
HANDLES = ["@kopi.arema", "@batik.celaket", "@jalan2malang", "@dapur.bunda", "@kriya.tumapel"]
IDEAS = [
    "Video pendek tentang kuliner legendaris di Kayutangan.",
    "Seri foto produk kriya dengan latar kampung tematik.",
    "Vlog wisata murah meriah keliling Kota Malang.",
    "",
]


def _questions_and_answers(training, registrations, rng) -> None:
    """Questions on the registration form, and an answer from each registrant (in bulk)."""
    training.required_profile_fields = ["gender", "kelurahan"]
    training.save(update_fields=["required_profile_fields"])
    questions = RegistrationQuestion.objects.bulk_create(
        RegistrationQuestion(
            training=training,
            position=i,
            kind=kind,
            label=label,
            help_text=help_text,
            choices=choices,
            required=required,
        )
        for i, (kind, label, help_text, choices, required) in enumerate(QUESTIONS)
    )
    answers = []
    for r in registrations:
        for q in questions:
            if q.kind == "short":
                value = rng.choice(HANDLES)
            elif q.kind == "single":
                value = rng.choice(q.choices)
            elif q.kind == "multiple":
                value = [c for c in q.choices if c == "Ponsel" or rng.random() < 0.35]
            elif q.kind == "yesno":
                value = rng.random() < 0.6
            else:
                value = rng.choice(IDEAS)
            if value not in ("", []):
                answers.append(RegistrationAnswer(registration=r, question=q, value=value))
    RegistrationAnswer.objects.bulk_create(answers, batch_size=1000)
