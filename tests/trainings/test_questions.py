"""Issue 13, point 7: what an organiser needs to ask. A training requires profile fields
(gender, kelurahan) and asks its own questions; the answers are checked in one place, for the
registration page and the API alike, and end up in the participant spreadsheet."""

import pytest

from ekraf.core.errors import DomainError, NotAllowed
from ekraf.trainings import services
from ekraf.trainings.models import RegistrationAnswer, RegistrationQuestion
from tests import factories
from tests.trainings import factories as tf
from tests.trainings.test_api import post

pytestmark = pytest.mark.django_db

Q = services.QuestionInput


def ask(training, organiser, *items, required=()):
    return services.save_questions(organiser, training, list(items), list(required))


@pytest.fixture
def asked(training, organiser):
    """The training asks four questions and requires gender and kelurahan."""
    questions = ask(
        training,
        organiser,
        Q(label="Nama usaha", kind="short", required=True),
        Q(label="Produk yang dijual", kind="multiple", choices=["Makanan", "Kriya", "Fesyen"]),
        Q(label="Sudah punya NIB?", kind="yesno", required=True),
        Q(label="Ukuran kaos", kind="single", choices=["S", "M", "L", "XL"]),
        required=("gender", "kelurahan"),
    )
    training.refresh_from_db()
    return questions


def test_the_organiser_adds_reorders_edits_and_deletes_questions(training, organiser):
    first, second = ask(
        training,
        organiser,
        Q(label="Nama usaha", kind="short"),
        Q(label="Ukuran kaos", kind="single", choices=["S", " M ", "M", ""]),
    )
    assert second.choices == ["S", "M"]  # trimmed, no repeats, no empty line
    # Reordered, the first edited, the second removed, a new one added.
    kept = ask(
        training,
        organiser,
        Q(id=first.pk, label="Nama usaha/merek", kind="long", required=True),
        Q(label="Alergi makanan?", kind="yesno"),
    )
    assert [q.label for q in training.questions.all()] == ["Nama usaha/merek", "Alergi makanan?"]
    assert kept[0].pk == first.pk and kept[0].kind == "long" and kept[0].required
    assert not RegistrationQuestion.objects.filter(pk=second.pk).exists()


def test_bad_questions_are_refused_with_a_message(training, organiser, other_organiser):
    with pytest.raises(DomainError, match="dua pilihan"):
        ask(training, organiser, Q(label="Ukuran", kind="single", choices=["S"]))
    with pytest.raises(DomainError, match="wajib diisi"):
        ask(training, organiser, Q(label=" ", kind="short"))
    with pytest.raises(DomainError, match="jenis jawaban"):
        ask(training, organiser, Q(label="Apa?", kind="essay"))
    with pytest.raises(DomainError, match="profil"):
        ask(training, organiser, required=("nik",))
    with pytest.raises(NotAllowed):
        ask(training, other_organiser, Q(label="Apa?", kind="short"))
    assert not training.questions.exists()


def test_answers_are_checked_and_stored(training, asked):
    name, products, nib, size = asked
    person = tf.person()
    with pytest.raises(DomainError) as missing:
        tf.register(training, person)
    assert missing.value.field == "gender"
    where = {"gender": "P", "kelurahan": factories.village("Dinoyo")}
    with pytest.raises(DomainError) as unanswered:
        services.register(person, training, tf.applicant(person, **where), answers={})
    assert unanswered.value.field == f"q_{name.pk}"
    with pytest.raises(DomainError) as wrong:
        services.register(
            person,
            training,
            tf.applicant(person, **where),
            answers={name.pk: "Batik Sari", nib.pk: True, size.pk: "XXL"},
        )
    assert wrong.value.field == f"q_{size.pk}"
    registration = services.register(
        person,
        training,
        tf.applicant(person, **where),
        answers={
            str(name.pk): "  Batik Sari ",
            str(products.pk): ["Fesyen", "Makanan"],
            str(nib.pk): "tidak",
        },
    )
    stored = {a.question_id: a.value for a in registration.answers.all()}
    assert stored == {name.pk: "Batik Sari", products.pk: ["Makanan", "Fesyen"], nib.pk: False}


def test_an_organiser_registering_a_walk_in_may_leave_them_empty(training, asked, organiser):
    registration = tf.register(training, actor=organiser)
    assert registration.status == "confirmed" and not registration.answers.exists()


def test_the_api_takes_answers_and_answers_4xx_with_clear_messages(
    client, training, asked, creator_user
):
    name, products, nib, size = asked
    url = f"/api/v1/trainings/{training.public_id}/registrations"
    where = {"gender": "L", "kelurahan": factories.village("Dinoyo").code}
    response = post(client, url, {"full_name": "Ayu"}, creator_user)
    assert response.status_code == 400 and response.json()["field"] == "gender"
    response = post(client, url, {**where, "answers": {str(nib.pk): True}}, creator_user)
    assert response.status_code == 400
    assert response.json()["field"] == f"q_{name.pk}"
    assert "Nama usaha wajib dijawab" in response.json()["detail"]
    response = post(client, url, {**where, "answers": {"999999": "x"}}, creator_user)
    assert response.status_code == 400 and response.json()["code"] == "unknown_question"
    response = post(client, url, {**where, "answers": {str(nib.pk): {"a": 1}}}, creator_user)
    assert response.status_code == 422
    response = post(
        client,
        url,
        {
            **where,
            "answers": {str(name.pk): "Kopi Dampit", str(nib.pk): True, str(size.pk): "M"},
        },
        creator_user,
    )
    assert response.status_code == 201, response.content
    assert RegistrationAnswer.objects.filter(registration__user=creator_user).count() == 3


def _formset(prefix, rows):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(sum(1 for r in rows if r.get("id"))),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "20",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


def test_journey_organiser_asks_and_a_person_answers_on_the_page(client, training, organiser):
    """Sari (organiser) requires gender and kelurahan and asks two questions; Bima registers
    on his phone, forgets a required answer, keeps what he typed, then succeeds; his gender
    and kelurahan go into his profile; the answers show on his participant page."""
    from django.urls import reverse

    from ekraf.trainings.models import Registration

    client.force_login(organiser)
    url = reverse("trainings:manage_questions", args=[training.public_id])
    page = client.get(url)
    assert page.status_code == 200 and "Data profil wajib" in page.content.decode()
    data = {
        "required_profile_fields": ["gender", "kelurahan"],
        **_formset(
            "tanya",
            [
                {"label": "Ukuran kaos", "kind": "single", "choices": "S\nM\nL", "ORDER": "2"},
                {"label": "Nama usaha", "kind": "short", "required": "on", "ORDER": "1"},
                {"label": "", "kind": "short", "ORDER": ""},  # the empty one to add: ignored
            ],
        ),
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    training.refresh_from_db()
    assert training.required_profile_fields == ["gender", "kelurahan"]
    name, size = training.questions.all()
    assert (name.label, size.label) == ("Nama usaha", "Ukuran kaos")
    # Reorder and delete on the same page.
    edit = {
        "required_profile_fields": ["gender", "kelurahan"],
        **_formset(
            "tanya",
            [
                {
                    "id": str(name.pk),
                    "label": "Nama usaha",
                    "kind": "short",
                    "required": "on",
                    "ORDER": "1",
                },
                {
                    "id": str(size.pk),
                    "label": "Ukuran kaos",
                    "kind": "single",
                    "choices": "S\nM\nL\nXL",
                    "ORDER": "2",
                },
                {"label": "", "kind": "short"},
            ],
        ),
    }
    assert client.post(url, edit).status_code == 302
    size.refresh_from_db()
    assert size.choices == ["S", "M", "L", "XL"]

    bima = tf.person("bima")
    client.force_login(bima)
    register = reverse("trainings:register", args=[training.public_id])
    form = client.get(register).content.decode()
    assert "Nama usaha" in form and "Ukuran kaos" in form
    assert "Simpan juga ke profil saya" in form
    base = {
        "category": training.categories.get().pk,
        "full_name": "Bima Sakti",
        "phone": "081234567891",
        "audience": "umum",
        "consent": "on",
        f"q_{size.pk}": "XL",
        "save_profile": "on",
    }
    again = client.post(register, base)
    body = again.content.decode()
    assert again.status_code == 200
    assert "Nama usaha" in body and "Bima Sakti" in body  # what he typed stays
    assert not Registration.objects.filter(user=bima).exists()
    done = client.post(
        register,
        {
            **base,
            "gender": "L",
            "kelurahan": factories.village("Dinoyo").pk,
            f"q_{name.pk}": "Keripik Tempe Bima",
        },
    )
    assert done.status_code == 302, done.content.decode()[:2000]
    registration = Registration.objects.get(user=bima)
    assert registration.gender == "L"
    assert {a.question_id: a.value for a in registration.answers.all()} == {
        name.pk: "Keripik Tempe Bima",
        size.pk: "XL",
    }
    bima.creator_profile.refresh_from_db()
    assert bima.creator_profile.gender == "L"
    assert bima.creator_profile.kelurahan.name == "Dinoyo"

    client.force_login(organiser)
    detail = client.get(
        reverse("trainings:manage_participant", args=[training.public_id, registration.public_id])
    ).content.decode()
    assert "Keripik Tempe Bima" in detail and "Ukuran kaos" in detail


def _xlsx(client, training):
    import io

    from django.urls import reverse
    from openpyxl import load_workbook

    response = client.get(reverse("trainings:manage_participants_xlsx", args=[training.public_id]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.getvalue()))
    return book, list(book.active.iter_rows(values_only=True))


def _answering(training, asked, n):
    name, products, nib, size = asked
    for i in range(n):
        person = tf.person()
        services.register(
            person,
            training,
            tf.applicant(person, gender="P", kelurahan=factories.village("Dinoyo")),
            answers={
                name.pk: '=HYPERLINK("http://x","klik")' if i == 0 else f"Usaha {i}",
                products.pk: ["Makanan", "Kriya"],
                nib.pk: i % 2 == 0,
            },
        )


def test_answers_are_columns_of_the_participant_xlsx(client, organiser, training, asked):
    _answering(training, asked, 2)
    client.force_login(organiser)
    book, rows = _xlsx(client, training)
    header = rows[0]
    assert header[-4:] == ("Nama usaha", "Produk yang dijual", "Sudah punya NIB?", "Ukuran kaos")
    first, second = rows[1], rows[2]
    assert first[-4:] == ('=HYPERLINK("http://x","klik")', "Makanan; Kriya", "Ya", None)
    cell = book.active.cell(row=2, column=len(header) - 3)
    assert cell.data_type != "f"  # a formula someone typed stays text
    assert second[-4:-1] == ("Usaha 1", "Makanan; Kriya", "Tidak")


def test_the_xlsx_costs_the_same_queries_for_3_or_12_participants(
    client, organiser, training, asked, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(organiser)
    _answering(training, asked, 3)
    with CaptureQueriesContext(connection) as few:
        _xlsx(client, training)
    _answering(training, asked, 9)
    with django_assert_max_num_queries(len(few)):
        _xlsx(client, training)


def test_a_duplicate_asks_the_same_questions_without_the_answers(training, asked, organiser):
    from datetime import timedelta

    from django.utils import timezone

    _answering(training, asked, 1)
    copy = services.duplicate_training(
        organiser, training, first_day=timezone.localdate() + timedelta(days=60)
    )
    assert copy.required_profile_fields == ["gender", "kelurahan"]
    assert [(q.label, q.kind, q.choices) for q in copy.questions.all()] == [
        (q.label, q.kind, q.choices) for q in training.questions.all()
    ]
    assert not RegistrationAnswer.objects.filter(question__training=copy).exists()


def test_the_persons_answers_are_exported_and_erased_with_the_account(training, asked):
    from ekraf.trainings.models import Registration

    _answering(training, asked, 1)
    registration = Registration.objects.get(training=training)
    exported = services.export_person(registration.user)
    assert {"question": "Nama usaha", "answer": '=HYPERLINK("http://x","klik")'} in exported[0][
        "answers"
    ]
    services.erase_person(registration.user)
    assert not RegistrationAnswer.objects.filter(registration=registration).exists()


def test_the_api_lists_the_questions_to_answer(client, training, asked):
    data = client.get(f"/api/v1/trainings/{training.public_id}").json()
    assert data["required_profile_fields"] == ["gender", "kelurahan"]
    assert [(q["id"], q["kind"], q["required"]) for q in data["questions"]] == [
        (q.pk, q.kind, q.required) for q in asked
    ]
    assert data["questions"][1]["choices"] == ["Makanan", "Kriya", "Fesyen"]


def put_questions(client, training, body, user):
    from tests.trainings.test_api import bearer

    url = f"/api/v1/trainings/{training.public_id}/questions"
    return client.put(url, body, content_type="application/json", **bearer(user))


def test_the_organiser_sets_the_questions_by_api_and_a_registrant_answers_them(
    client, training, organiser, creator_user
):
    """The questions page's whole job through the API: questions in order, required profile
    fields; then kept by id, reordered, one removed; a registrant answers by the API."""
    body = {
        "questions": [
            {"label": "Nama usaha", "kind": "short", "required": True},
            {"label": "Ukuran kaos", "kind": "single", "choices": ["S", " M ", "M", ""]},
        ],
        "required_profile_fields": ["gender"],
    }
    answer = put_questions(client, training, body, organiser)
    assert answer.status_code == 200, answer.content
    got = answer.json()
    assert [q["label"] for q in got["questions"]] == ["Nama usaha", "Ukuran kaos"]
    assert got["questions"][1]["choices"] == ["S", "M"] and got["required_profile_fields"] == [
        "gender"
    ]
    name, size = got["questions"]
    again = {
        "questions": [
            {"id": size["id"], "label": "Ukuran kaos", "kind": "single", "choices": ["M", "L"]},
            {"id": name["id"], "label": "Nama usaha/merek", "kind": "short", "required": True},
        ]
    }
    got = put_questions(client, training, again, organiser).json()
    assert [q["id"] for q in got["questions"]] == [size["id"], name["id"]]
    assert got["required_profile_fields"] == []

    url = f"/api/v1/trainings/{training.public_id}/registrations"
    answers = {str(name["id"]): "Kopi Dampit", str(size["id"]): "L"}
    registered = post(client, url, {"answers": answers}, creator_user)
    assert registered.status_code == 201, registered.content
    stored = RegistrationAnswer.objects.filter(registration__training=training)
    assert {a.value for a in stored} == {"Kopi Dampit", "L"}


def test_bad_questions_by_api_are_4xx_with_the_pages_messages(
    client, training, draft, organiser, other_organiser, creator_user
):
    def put(body, user=organiser, target=training):
        return put_questions(client, target, body, user)

    one_choice = {"questions": [{"label": "Ukuran", "kind": "single", "choices": ["S"]}]}
    refused = put(one_choice)
    assert refused.status_code == 400 and "dua pilihan" in refused.json()["detail"]
    assert put({"questions": [{"label": "Apa?", "kind": "essay"}]}).status_code == 400
    assert put({"required_profile_fields": ["nik"]}).status_code == 400
    many = {"questions": [{"label": f"P{n}", "kind": "short"} for n in range(21)]}
    assert "Paling banyak 20" in put(many).json()["detail"]
    assert put({"questions": [{"id": 999999, "label": "X", "kind": "short"}]}).status_code == 400
    assert put({"questions": [{"label": "X", "kind": "short", "extra": 1}]}).status_code == 422
    assert put({"questions": "bukan daftar"}).status_code == 422
    assert put({"questions": [{"label": "X" * 201, "kind": "short"}]}).status_code == 422
    assert put({"questions": []}, other_organiser).status_code == 403
    assert put({"questions": []}, other_organiser, draft).status_code == 404
    assert put({"questions": []}, creator_user).status_code == 403
    anonymous = client.put(
        f"/api/v1/trainings/{training.public_id}/questions", {}, content_type="application/json"
    )
    assert anonymous.status_code == 401
    assert not training.questions.exists()


def test_a_finished_trainings_questions_cannot_change_by_page_or_api(client, training, organiser):
    """The rule lives in the service, so the API refuses (409) as the page does."""
    training.status = training.Status.FINISHED
    training.save(update_fields=["status"])
    with pytest.raises(DomainError, match="tidak bisa diubah"):
        ask(training, organiser, Q(label="Apa?", kind="short"))
    answer = put_questions(client, training, {"questions": []}, organiser)
    assert answer.status_code == 409 and answer.json()["code"] == "training_closed"
