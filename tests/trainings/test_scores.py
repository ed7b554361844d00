"""The scores half of journey 4: pre/post-test typed in a grid or imported from a Google Forms
quiz export (CSV/XLSX) matched by e-mail, phone or ticket code — unmatched and ambiguous rows
listed, nothing half-imported — and completion computed by the rule with its reason."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from ekraf.core.errors import Conflict, DomainError
from ekraf.core.models import OutboxMessage
from ekraf.trainings import imports, services
from ekraf.trainings.models import Registration
from tests.trainings import factories as tf

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(training):
    return [
        tf.register(training, full_name="Andi Wijaya", phone="081111111111"),
        tf.register(training, full_name="Bunga Citra", phone="082222222222"),
        tf.register(training, full_name="Cahya Purnama", phone="083333333333"),
    ]


def _csv(text: str) -> bytes:
    return text.strip().replace("\n", "\r\n").encode("utf-8-sig")


def test_score_parsing_as_google_forms_writes_it():
    assert imports.parse_score("8 / 10") == Decimal("80.00")
    assert imports.parse_score("17/20") == Decimal("85.00")
    assert imports.parse_score("85,5") == Decimal("85.50")
    assert imports.parse_score("100") == Decimal("100.00")
    for bad in ("", "abc", "120", "5 / 0"):
        with pytest.raises(ValueError):
            imports.parse_score(bad)


def test_columns_are_recognised_in_english_and_indonesian():
    english = imports.identify_columns(["Timestamp", "Email Address", "Score", "Nomor WhatsApp"])
    assert (english.email, english.score, english.phone) == (
        "Email Address",
        "Score",
        "Nomor WhatsApp",
    )
    indonesian = imports.identify_columns(["Stempel waktu", "Alamat email", "Skor", "Kode tiket"])
    assert (indonesian.email, indonesian.score, indonesian.code) == (
        "Alamat email",
        "Skor",
        "Kode tiket",
    )


def test_google_forms_csv_import_lists_problems_and_writes_nothing_until_told(
    organiser, training, people
):
    andi, bunga, cahya = people
    # Two registrations share a phone (siblings): a row with only that phone is ambiguous.
    dimas = tf.register(training, full_name="Dimas Wijaya", phone="081111111111")
    csv = _csv(f"""
Timestamp,Email Address,Score,Nomor WhatsApp,Apa itu branding kota?
2024/01/25 10:00:00,{andi.email.upper()},8 / 10,,Identitas
2024/01/25 10:01:00,,7 / 10,0822-2222-2222,Citra
2024/01/25 10:02:00,orang.lain@contoh.id,9 / 10,,Lain
2024/01/25 10:03:00,,6 / 10,+62 811 1111 1111,Dobel
2024/01/25 10:04:00,{andi.email},9 / 10,,Kirim dua kali
2024/01/25 10:05:00,{cahya.email},sepuluh,,Salah
""")
    rows = imports.read_rows("kuis.csv", csv)
    preview = services.preview_score_import(organiser, training, rows, "post")
    matched = {row.registration.full_name: row.score for row in preview.matched}
    # Andi sent it twice: a retake, the latest attempt counts by default (not a problem).
    assert matched == {"Andi Wijaya": Decimal("90.00"), "Bunga Citra": Decimal("70.00")}
    assert [(row.line, row.used_line) for row in preview.not_used] == [(2, 6)]
    problems = {row.line: row.problem for row in preview.problems}
    assert set(problems) == {4, 5, 7}
    assert "tidak cocok" in problems[4]
    assert (
        "ambigu" in problems[5] and "Andi Wijaya" in problems[5] and "Dimas Wijaya" in problems[5]
    )
    assert "bukan angka" in problems[7]
    with pytest.raises(Conflict, match="3 baris bermasalah"):
        services.apply_score_import(organiser, training, preview)
    assert not Registration.objects.filter(post_test_score__isnull=False).exists()
    assert services.apply_score_import(organiser, training, preview, skip_problems=True) == 2
    scores = dict(Registration.objects.values_list("full_name", "post_test_score"))
    assert scores["Andi Wijaya"] == Decimal("90.00")
    assert scores["Bunga Citra"] == Decimal("70.00")
    assert scores["Cahya Purnama"] is None and scores["Dimas Wijaya"] is None
    assert dimas.pk


def test_xlsx_export_in_indonesian_matched_by_ticket_code(organiser, training, people):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Stempel waktu", "Alamat email", "Skor", "Kode tiket"])
    for r, score in zip(people, ("9 / 10", "6 / 10", "10 / 10"), strict=True):
        code = f"{r.ticket_code[:4]}-{r.ticket_code[4:]}".lower()
        sheet.append([timezone.now().replace(tzinfo=None), "", score, code])
    sheet.append([None, None, None, None])  # blank rows are skipped
    out = io.BytesIO()
    workbook.save(out)
    rows = imports.read_rows("Kuis pre-test (Jawaban).xlsx", out.getvalue())
    preview = services.preview_score_import(organiser, training, rows, "pre")
    assert preview.ok and len(preview.matched) == 3
    services.apply_score_import(organiser, training, preview)
    assert list(Registration.objects.order_by("pk").values_list("pre_test_score", flat=True)) == [
        Decimal("90.00"),
        Decimal("60.00"),
        Decimal("100.00"),
    ]


def test_files_without_needed_columns_are_refused(organiser, training, people):
    rows = imports.read_rows("x.csv", _csv("Nama,Nilai\nAndi,80"))
    with pytest.raises(DomainError, match="email, nomor telepon"):
        services.preview_score_import(organiser, training, rows, "post")
    rows = imports.read_rows("x.csv", _csv("Email,Catatan\na@b.id,baik"))
    with pytest.raises(DomainError, match="Kolom nilai"):
        services.preview_score_import(organiser, training, rows, "post")
    with pytest.raises(imports.ImportFileError):
        imports.read_rows("x.pdf", b"%PDF")
    with pytest.raises(imports.ImportFileError):
        imports.read_rows("x.xlsx", b"bukan xlsx")


def test_semicolon_csv_from_excel_in_indonesian_locale(organiser, training, people):
    rows = imports.read_rows("x.csv", _csv(f"Email;Nilai\n{people[0].email};85,5"))
    preview = services.preview_score_import(organiser, training, rows, "post")
    assert preview.ok and preview.matched[0].score == Decimal("85.50")


def test_import_pages_preview_then_apply(client, organiser, training, people):
    client.force_login(organiser)
    upload = io.BytesIO(_csv(f"Email Address,Score\n{people[0].email},8 / 10\nx@y.id,5 / 10"))
    upload.name = "kuis.csv"
    url = reverse("trainings:manage_score_import", args=[training.public_id])
    page = client.post(url, {"test": "post", "file": upload}).content.decode()
    assert "1 baris bermasalah" in page and "x@y.id" in page
    assert not Registration.objects.filter(post_test_score__isnull=False).exists()
    response = client.post(url, {"step": "apply"}, follow=True)
    assert "bermasalah" in response.content.decode()
    assert not Registration.objects.filter(post_test_score__isnull=False).exists()
    client.post(url, {"step": "apply", "skip_problems": "1"})
    assert Registration.objects.get(pk=people[0].pk).post_test_score == Decimal("80.00")


def test_score_grid_saves_all_or_nothing_and_keeps_input(client, organiser, training, people):
    client.force_login(organiser)
    url = reverse("trainings:manage_scores", args=[training.public_id])
    andi, bunga, cahya = people
    data = {f"pre_{andi.pk}": "40", f"post_{andi.pk}": "75", f"post_{bunga.pk}": "120"}
    response = client.post(url, data)
    body = response.content.decode()
    assert "Bunga Citra: Nilai harus berupa angka 0–100." in body
    assert 'value="120"' in body and 'value="75"' in body
    assert not Registration.objects.filter(post_test_score__isnull=False).exists()
    data[f"post_{bunga.pk}"] = "65,5"
    client.post(url, data)
    scores = dict(Registration.objects.values_list("full_name", "post_test_score"))
    assert scores == {
        "Andi Wijaya": Decimal("75.00"),
        "Bunga Citra": Decimal("65.50"),
        "Cahya Purnama": None,
    }


def test_completion_by_the_rule_with_its_reason(organiser, training, people):
    andi, bunga, cahya = people
    first, second = training.sessions.order_by("starts_at")
    for r in (andi, bunga):
        services.check_in(organiser, first, r.ticket_code)
        services.check_in(organiser, second, r.ticket_code)
    services.check_in(organiser, first, cahya.ticket_code)
    services.set_scores(organiser, andi, post=85)
    services.set_scores(organiser, bunga, post=65)
    services.set_scores(organiser, cahya, post=90)
    counts = services.compute_completion(organiser, training)
    assert counts == {"completed": 1, "not_completed": 2}
    outcome = {
        r.full_name: (r.completed, r.completion_reason)
        for r in Registration.objects.filter(training=training)
    }
    assert outcome == {
        "Andi Wijaya": (True, "hadir 2/2 sesi, post-test 85 ≥ 70"),
        "Bunga Citra": (False, "post-test 65 < 70"),
        "Cahya Purnama": (False, "hadir 1/2 sesi"),
    }
    # A corrected score updates completion at once.
    services.set_scores(organiser, bunga, post="72.5")
    bunga.refresh_from_db()
    assert (bunga.completed, bunga.completion_reason) == (
        True,
        "hadir 2/2 sesi, post-test 72,5 ≥ 70",
    )


def test_missing_post_test_is_a_reason(organiser, training, people):
    for session in training.sessions.all():
        services.check_in(organiser, session, people[0].ticket_code)
    services.compute_completion(organiser, training)
    people[0].refresh_from_db()
    assert (people[0].completed, people[0].completion_reason) == (False, "post-test belum ada")


def test_finishing_notifies_completers_once(organiser, diskominfo):
    t = tf.training(diskominfo, starts_in=timedelta(days=-3), completion_min_attendance=50)
    a = Registration.objects.create(
        training=t, category=t.categories.get(), user=tf.person(), status="confirmed", full_name="A"
    )
    b = Registration.objects.create(
        training=t, category=t.categories.get(), user=tf.person(), status="confirmed", full_name="B"
    )
    services.check_in(organiser, t.sessions.first(), a.ticket_code)
    services.finish_training(organiser, t)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.completed, b.completed) == (True, False)
    assert a.completion_reason == "hadir 1/2 sesi"
    services.compute_completion(organiser, t)  # again: nobody is told twice
    completed = OutboxMessage.objects.filter(kind="training.completed")
    assert list(completed.values_list("recipient", flat=True)) == [a.user_id]


def test_scores_are_for_the_organiser_only(other_organiser, training, people):
    from ekraf.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        services.set_scores(other_organiser, people[0], post=99)
    with pytest.raises(NotAllowed):
        services.preview_score_import(
            other_organiser, training, [{"Email": "a", "Score": "1"}], "post"
        )
