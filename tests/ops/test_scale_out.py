"""Scaled out on standard parts: two gunicorn web processes and one worker, separate processes
with separate local directories, sharing nothing but PostgreSQL, Redis and an S3-compatible
server, all on loopback.

The journey proves each shared part: a session started on one web process is valid on the
other (sessions in Redis, written through to PostgreSQL); a file uploaded through one is
served by the other (S3); people register on both (one seat count in PostgreSQL) and their
confirmations, queued by the web processes, are sent by the worker (RQ on Redis); tickets are
checked in on the other web process; the organiser's certificate run, started on one, is
carried out by the worker (PDFs signed and stored in S3), followed on the other, and every
certificate verifies on both.
The hosts share configuration too, as production hosts do: the environment and the key files.
"""

import html.parser
import io
import json
import re
import subprocess
import time

import pytest
from django_otp.oath import totp

from ekraf.bench.servers import start_web, start_worker, stop_all, wait_healthy

from .conftest import PYTHON, production_env

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
# The administrator's authenticator app (the admin site needs the second step).
ADMIN_TOTP_KEY = "3132333435363738393031323334353637383930"

SETUP = """
import datetime as dt, io, json
import django
django.setup()
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image
call_command("migrate", interactive=False, verbosity=0)
call_command("createcachetable")
call_command("load_city", verbosity=0)
call_command("credential_keys", "init", verbosity=0)
from ekraf.accounts import services as accounts
from ekraf.accounts.models import User
from ekraf.core.models import Agency
from ekraf.credentials.models import Signatory
from ekraf.trainings.models import QuotaCategory, Session, Training

admin = User.objects.create_superuser(
    username="admin", email="admin@contoh.id", password="Admin-Uji-2024!"
)
from django_otp.plugins.otp_totp.models import TOTPDevice
TOTPDevice.objects.create(user=admin, name="uji", key="ADMIN_TOTP_KEY", confirmed=True)
diskominfo = Agency.objects.get(code="diskominfo")
organiser = User.objects.create_user(
    username="penyelenggara", email="org@contoh.id", password="Org-Uji-2024!", full_name="Rina",
    email_verified_at=timezone.now(),
)
accounts.grant_role(organiser, "organiser", diskominfo)
_, token = accounts.create_api_token(organiser, "skala")
png = io.BytesIO()
Image.new("RGBA", (120, 40), (20, 30, 110, 255)).save(png, format="PNG")
signatory = Signatory.objects.create(
    agency=diskominfo, name="Dr. Siti Rahayu, M.Si.", nip="197501012000032001", title="Kepala Dinas"
)
signatory.signature.save("ttd.png", ContentFile(png.getvalue()), save=True)
training = Training.objects.create(
    agency=diskominfo, title="Bimtek Konten Kreator: Branding Kota", hours=16,
    certificate_kind="completion", status="published", completion_min_attendance=100,
    completion_min_post_test=70, registration_opens_at=timezone.now() - dt.timedelta(days=1),
    registration_closes_at=timezone.now() + dt.timedelta(days=1),
)
start = timezone.now() + dt.timedelta(days=2)
sessions = [
    Session.objects.create(
        training=training, starts_at=start + dt.timedelta(days=day),
        ends_at=start + dt.timedelta(days=day, hours=8), address="Malang Creative Center",
    )
    for day in range(2)
]
QuotaCategory.objects.create(training=training, name="Umum", seats=30)
tokens = []
for n, name in enumerate(["Dimas Pratama", "Ayu Lestari", "Bagus Santoso"]):
    person = User.objects.create_user(
        username=f"peserta{n}", email=f"peserta{n}@contoh.id", password="x", full_name=name,
        email_verified_at=timezone.now(),
    )
    tokens.append(accounts.create_api_token(person, "skala")[1])
print(json.dumps({
    "token": token, "training": training.public_id, "participants": tokens,
    "sessions": [session.public_id for session in sessions],
}))
"""


class FormParser(html.parser.HTMLParser):
    """Each form's fields as a browser would submit them (default choices included)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({})
            return
        if not self.forms:
            return
        fields, name = self.forms[-1], a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields[name] = a.get("value", "on")
            elif kind not in ("file", "submit", "button", "image", "reset"):
                fields[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            if self._select not in fields or "selected" in a:
                fields[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_fields(page: str) -> dict[str, str]:
    """The page's main form: the one with the most fields (not the logout button's)."""
    parser = FormParser()
    parser.feed(page)
    return max(parser.forms, key=len)


@pytest.fixture
def scratch_database(on_postgres):
    """A database of its own for the processes (they cannot see the test's transaction)."""
    import psycopg
    from django.db import connection

    base = connection.settings_dict
    host, port, user = base["HOST"] or "127.0.0.1", base["PORT"] or 5432, base["USER"]
    name = f"{base['NAME']}_scale"
    admin = f"postgres://{user}@{host}:{port}/postgres"
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')
    yield f"postgres://{user}@{host}:{port}/{name}"
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def cluster(tmp_path, scratch_database, redis_url, s3_bucket):
    import requests

    from ekraf.bench.servers import free_port

    s3 = {key: value for key, value in s3_bucket.items() if key.startswith("EKRAF_S3_")}
    port_a = free_port()

    def env(name):
        # Same keys, database, Redis and bucket; a local directory of its own each.
        return production_env(
            tmp_path / name,
            DATABASE_URL=scratch_database,
            REDIS_URL=redis_url,
            EKRAF_BASE_URL=f"http://127.0.0.1:{port_a}",
            EKRAF_ALLOWED_HOSTS="127.0.0.1",
            # Configuration every host shares (docs/deploy.md, "Keys"): the same key files.
            EKRAF_KEYS_DIR=str(tmp_path / "keys"),
            **s3,
            **shared,
        )

    shared = {}
    first = env("setup")
    shared.update({k: first[k] for k in ("EKRAF_SECRET_KEY", "EKRAF_FIELD_KEYS", "EKRAF_HASH_KEY")})
    first = env("setup")
    result = subprocess.run(
        [PYTHON, "-c", SETUP.replace("ADMIN_TOTP_KEY", ADMIN_TOTP_KEY)],
        env={**first, "DJANGO_SETTINGS_MODULE": "ekraf.settings"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    made = json.loads(result.stdout.strip().splitlines()[-1])

    servers = []
    try:
        web_a = start_web(env("web-a"), tmp_path / "web-a.log", port=port_a)
        servers.append(web_a)
        web_b = start_web(env("web-b"), tmp_path / "web-b.log")
        servers.append(web_b)
        worker = start_worker(env("worker"), tmp_path / "worker.log")
        servers.append(worker)
        for web in (web_a, web_b):
            assert wait_healthy(web) == {
                "status": "ok",
                "database": "ok",
                "queue": "ok",
                "storage": "ok",
            }
        yield {
            "a": web_a,
            "b": web_b,
            "worker": worker,
            "browser": requests.Session(),
            "root": tmp_path,
            "env": env("client"),
            "bucket": s3_bucket,
            **made,
        }
    finally:
        stop_all(servers)


def run_python(env, code):
    result = subprocess.run(
        [PYTHON, "-c", "import django; django.setup()\n" + code],
        env={**env, "DJANGO_SETTINGS_MODULE": "ekraf.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def wait_for(predicate, what, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def post_form(browser, url, data, files=None):
    page = browser.get(url)
    assert page.status_code == 200, page.text[:500]
    fields = form_fields(page.text)
    fields.update(data)
    return browser.post(url, data=fields, files=files, headers={"Referer": url})


def test_two_web_processes_and_a_worker_share_only_postgres_redis_and_s3(cluster):
    a, b, worker, browser = cluster["a"], cluster["b"], cluster["worker"], cluster["browser"]

    # Sign up on A. The session A writes is read by B.
    response = post_form(
        browser,
        a.url + "/daftar/",
        {
            "full_name": "Sekar Ayu Lestari",
            "email": "sekar@contoh.id",
            "password1": "Rahasia-Sekali-2024",
            "password2": "Rahasia-Sekali-2024",
            "agree": "on",
        },
    )
    assert response.url.endswith("/daftar/terkirim/"), response.text[:1000]
    assert "sekar@contoh.id" in browser.get(b.url + "/daftar/terkirim/").text

    # The verification e-mail (queued by A in the outbox, sent by the worker; the console mail
    # backend prints it). Open its link on B: it verifies and logs in there; A then knows the
    # person too.
    link = wait_for(
        lambda: re.search(r"https?://[^/\s]+(/verifikasi-email/[^/\s]+/)", worker.output()),
        "the verification e-mail",
    )
    verified = browser.get(b.url + link.group(1))
    assert verified.url.endswith("/akun/")
    account_on_a = browser.get(a.url + "/akun/", allow_redirects=False)
    assert account_on_a.status_code == 200
    assert "Sekar Ayu Lestari" in account_on_a.text

    # Files: an administrator uploads an agency's logo through A; B serves it.
    admin = type(browser)()
    signed_in = post_form(
        admin,
        b.url + "/admin/login/?next=/admin/",
        {"username": "admin", "password": "Admin-Uji-2024!"},
    )
    assert "/masuk/verifikasi/" in signed_in.url, signed_in.url
    code = f"{totp(bytes.fromhex(ADMIN_TOTP_KEY)):06d}"
    post_form(admin, signed_in.url, {"code": code})
    change = b.url + "/admin/core/agency/"
    listing = admin.get(change).text
    agency_path = re.search(r'href="(/admin/core/agency/\d+/change/)"', listing).group(1)
    # A real image: the upload gate decodes it and stores it re-encoded, metadata stripped.
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (160, 60), (200, 40, 40)).save(picture, format="PNG")
    logo = picture.getvalue()
    saved = post_form(
        admin,
        a.url + agency_path,
        {"_save": "Simpan"},
        files={"logo": ("logo-baru.png", logo, "image/png")},
    )
    assert saved.status_code == 200 and "/change/" not in saved.url, re.findall(
        r"errorlist.{0,200}", saved.text
    )
    logo_url = re.search(
        r'href="(?:https?://[^/"]+)?(/media/agencies/[^"]+)"', admin.get(b.url + agency_path).text
    )
    assert logo_url, "B's admin shows the logo A stored"
    served = browser.get(b.url + logo_url.group(1))
    assert served.status_code == 200 and served.content.startswith(b"\x89PNG")
    assert browser.get(a.url + logo_url.group(1)).content == served.content

    # Nothing landed on a local disk: each process's own directory holds no media.
    for name in ("web-a", "web-b", "worker"):
        assert not (cluster["root"] / name / "media").exists()
    bucket = cluster["bucket"]
    keys = [
        item["Key"]
        for item in bucket["client"]
        .list_objects_v2(Bucket=bucket["EKRAF_S3_BUCKET"])
        .get("Contents", [])
    ]
    assert any(key.startswith("agencies/") for key in keys)

    # Registration: Sekar registers on A through her browser session (the API with CSRF),
    # three others with their tokens, alternately on A and B: one seat count for all.
    training = cluster["training"]
    registered = browser.post(
        f"{a.url}/api/v1/trainings/{training}/registrations",
        json={},
        headers={"X-CSRFToken": browser.cookies["csrftoken"], "Referer": a.url + "/"},
    )
    assert registered.status_code == 201, registered.text
    tickets = [registered.json()]
    for n, token in enumerate(cluster["participants"]):
        web = (a, b)[n % 2]
        answer = type(browser)().post(
            f"{web.url}/api/v1/trainings/{training}/registrations",
            json={},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert answer.status_code == 201, answer.text
        tickets.append(answer.json())
    assert {ticket["status"] for ticket in tickets} == {"confirmed"}

    # The confirmations were queued by the web processes and sent by the worker.
    wait_for(
        lambda: worker.output().count("send_outbox_message") >= 4 and "Sekar" in worker.output(),
        "the worker to send the confirmations",
    )

    # Check-in at the door on B, for both sessions; a second scan on A changes nothing.
    organiser = type(browser)()
    organiser.headers["Authorization"] = f"Bearer {cluster['token']}"
    for session in cluster["sessions"]:
        for ticket in tickets:
            scanned = organiser.post(
                f"{b.url}/api/v1/checkins",
                json={"ticket_code": ticket["ticket_code"], "session_id": session},
            )
            assert scanned.status_code == 201, scanned.text
    again = organiser.post(
        f"{a.url}/api/v1/checkins",
        json={"ticket_code": tickets[0]["ticket_code"], "session_id": cluster["sessions"][0]},
    )
    assert again.status_code == 200 and again.json()["status"] == "already_checked_in"

    # Post-test scores through A; completion computed on B's organiser page: everyone
    # attended both sessions and scored 80 (rule: all sessions, post-test >= 70).
    for ticket in tickets:
        scored = organiser.put(
            f"{a.url}/api/v1/registrations/{ticket['id']}/scores", json={"post_test_score": 80}
        )
        assert scored.status_code == 200, scored.text
    desk = type(browser)()
    post_form(desk, b.url + "/masuk/", {"username": "penyelenggara", "password": "Org-Uji-2024!"})
    computed = desk.post(
        f"{b.url}/kelola/pelatihan/{training}/kelulusan/",
        data={"csrfmiddlewaretoken": desk.cookies["csrftoken"]},
        headers={"Referer": b.url + "/"},
    )
    assert computed.status_code == 200 and "4 lulus" in computed.text, computed.text[-2000:]

    # Certificate day: the organiser asks A to issue; the worker draws, signs and stores the
    # PDFs; B reports the job's progress; both verify every certificate.
    started = organiser.post(f"{a.url}/api/v1/trainings/{training}/certificates")
    assert started.status_code == 202, started.text
    job = started.json()
    finished = wait_for(
        lambda: (lambda j: j if j["status"] == "finished" else None)(
            organiser.get(f"{b.url}/api/v1/jobs/{job['id']}").json()
        ),
        "the worker to issue the certificates",
        timeout=60,
    )
    assert (finished["done"], finished["total"], finished["failed"]) == (4, 4, 0)
    codes = run_python(
        cluster["env"],
        "from ekraf.credentials.models import Certificate\n"
        "for c in Certificate.objects.order_by('holder_name'): print(c.code, c.pdf)",
    ).split("\n")
    rows = [line.split() for line in codes if line.strip()]
    assert len(rows) == 4
    holders = set()
    for code, pdf_name in rows:
        page = browser.get(f"{a.url}/verifikasi/{code}")
        assert page.status_code == 200
        assert "Bimtek Konten Kreator: Branding Kota" in page.text
        answer = browser.get(f"{b.url}/api/v1/certificates/{code}").json()
        assert answer["status"] == "valid"
        holders.add(answer["holder_name"])
        pdf = bucket["client"].get_object(Bucket=bucket["EKRAF_S3_BUCKET"], Key=pdf_name)
        assert pdf["Body"].read().startswith(b"%PDF")
    assert holders == {"Sekar Ayu Lestari", "Dimas Pratama", "Ayu Lestari", "Bagus Santoso"}
    # Sekar finds hers in her wallet on B and downloads the PDF from A.
    wallet = browser.get(f"{b.url}/sertifikat-saya/")
    assert "Bimtek Konten Kreator: Branding Kota" in wallet.text
    sekar_code = next(
        code for code, _ in rows if browser.get(f"{a.url}/sertifikat-saya/{code}/pdf").ok
    )
    assert browser.get(f"{a.url}/sertifikat-saya/{sekar_code}/pdf").content.startswith(b"%PDF")
