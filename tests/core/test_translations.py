"""Every translatable string in src/ekraf has an English translation, without system gettext.

The source strings are Indonesian; English lives in src/ekraf/locale/en/LC_MESSAGES/django.po,
and, for an app that has its own `locale/` folder (talent, programs, spaces, newsroom…), in
src/ekraf/<app>/locale/en/LC_MESSAGES/django.po — the catalogue nearest to the file, as
makemessages assigns it. `make messages` regenerates them with Django's makemessages (needs GNU
gettext, dev only); this test does its own extraction so that it runs anywhere the suite runs:

- Python files through `ast`: calls to _, gettext, gettext_lazy, gettext_noop, ngettext(_lazy),
  pgettext(_lazy), npgettext(_lazy) with literal string arguments (implicit concatenation is
  already joined by the parser);
- templates (.html, .txt — the extensions makemessages reads) through Django's own `templatize`,
  the function makemessages uses, whose pseudo-Python gettext(u'…') calls are parsed here.

Each msgid (with its context and plural) must be in the .po, translated, not fuzzy, and keep
the placeholders (%(name)s, {name}) and HTML tags of the Indonesian text.
"""

import ast
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation.template import templatize

import ekraf

SRC = Path(ekraf.__file__).resolve().parent
PO_PATH = SRC / "locale" / "en" / "LC_MESSAGES" / "django.po"
TEMPLATE_SUFFIXES = {".html", ".txt"}  # makemessages' defaults for the "django" domain

# Function name -> the roles of its leading positional arguments.
KEYWORDS = {
    "_": ("msgid",),
    "gettext": ("msgid",),
    "gettext_lazy": ("msgid",),
    "gettext_noop": ("msgid",),
    "ngettext": ("msgid", "plural"),
    "ngettext_lazy": ("msgid", "plural"),
    "pgettext": ("context", "msgid"),
    "pgettext_lazy": ("context", "msgid"),
    "npgettext": ("context", "msgid", "plural"),
    "npgettext_lazy": ("context", "msgid", "plural"),
}


PO_RELATIVE = Path("locale") / "en" / "LC_MESSAGES" / "django.po"


def catalogue_path(source: Path, root=SRC) -> Path:
    """The catalogue a source file's messages belong in: the nearest locale/ folder above it
    (an app's own, else the package's), the rule makemessages follows."""
    folder = source.parent
    while True:
        candidate = folder / PO_RELATIVE
        if candidate.exists() or folder == root or root not in folder.parents:
            return candidate if candidate.exists() else root / PO_RELATIVE
        folder = folder.parent


def catalogue_paths(root=SRC) -> list[Path]:
    return sorted(root.rglob("locale/en/LC_MESSAGES/django.po"))


def source_files(root=SRC):
    for path in sorted(root.rglob("*")):
        parts = path.relative_to(root).parts
        if any(p.startswith(".") or p in ("__pycache__", "locale") for p in parts):
            continue
        if path.is_file():
            yield path


def _call_name(node):
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):  # translation.gettext(...)
        return node.func.attr
    return None


def python_messages(path, root=SRC):
    """(context, msgid, plural, 'file:line') for each gettext call with literal arguments, and
    a list of calls whose message is built at run time (f-string, % or .format inside the call),
    which no catalogue can ever match."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found, dynamic = [], []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        roles = KEYWORDS.get(_call_name(node))
        if roles is None or len(node.args) < len(roles):
            continue
        values = {}
        for role, arg in zip(roles, node.args, strict=False):
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                values[role] = arg.value
            elif isinstance(arg, ast.JoinedStr | ast.BinOp) or (
                isinstance(arg, ast.Call)
                and isinstance(arg.func, ast.Attribute)
                and arg.func.attr == "format"
            ):
                dynamic.append(f"{path.relative_to(root)}:{node.lineno}")
        if len(values) == len(roles):
            found.append(
                (
                    values.get("context"),
                    values["msgid"],
                    values.get("plural"),
                    f"{path.relative_to(root)}:{node.lineno}",
                )
            )
    return found, dynamic


# What templatize writes for {% translate %} / {% blocktranslate %}: gettext(u'…'),
# pgettext(u'ctx', u'…'), ngettext(u'…', u'…', count), npgettext(u'ctx', u'…', u'…',count),
# and _("…") for the _("…") constants allowed in variables and tag arguments. The strings are
# Python literals (repr() output, or the template's own quoted constant).
_STR = r"""u?(?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")"""
TEMPLATE_CALL = re.compile(
    rf"""(?<![\w.])(?:
        gettext\((?P<g>{_STR})\)
      | pgettext\((?P<pc>{_STR}),\s*(?P<pm>{_STR})\)
      | ngettext\((?P<ns>{_STR}),\s*(?P<np>{_STR}),\s*count\)
      | npgettext\((?P<npc>{_STR}),\s*(?P<nps>{_STR}),\s*(?P<npp>{_STR}),\s*count\)
      | _\((?P<c>{_STR})\)
    )""",
    re.VERBOSE | re.DOTALL,
)


def _lit(text):
    return ast.literal_eval(text) if text is not None else None


def template_messages(path, root=SRC):
    text = path.read_text(encoding="utf-8")
    found = []
    for match in TEMPLATE_CALL.finditer(templatize(text, origin=str(path))):
        groups = match.groupdict()
        if groups["g"] or groups["c"]:
            entry = (None, _lit(groups["g"] or groups["c"]), None)
        elif groups["pm"]:
            entry = (_lit(groups["pc"]), _lit(groups["pm"]), None)
        elif groups["ns"]:
            entry = (None, _lit(groups["ns"]), _lit(groups["np"]))
        else:
            entry = (_lit(groups["npc"]), _lit(groups["nps"]), _lit(groups["npp"]))
        found.append((*entry, str(path.relative_to(root))))
    return found


def extract(root=SRC, *, catalogue: Path | None = None):
    """All messages of the project (or of the files whose catalogue is `catalogue`):
    {(context, msgid): (plural, [where, …])}, plus the calls whose message is not a literal."""
    messages, dynamic = {}, []
    for path in source_files(root):
        if catalogue is not None and catalogue_path(path, root) != catalogue:
            continue
        if path.suffix == ".py":
            found, bad = python_messages(path, root)
            dynamic += bad
        elif path.suffix in TEMPLATE_SUFFIXES:
            found = template_messages(path, root)
        else:
            continue
        for context, msgid, plural, where in found:
            if msgid == "":
                continue
            known = messages.setdefault((context, msgid), [plural, []])
            known[0] = known[0] or plural
            known[1].append(where)
    return messages, dynamic


PRINTF = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc%]")
BRACES = re.compile(r"\{[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*(?:![rsa])?(?::[^{}]*)?\}|\{\d*\}")
TAG = re.compile(r"</?[A-Za-z][^>]*>")


def placeholders(text):
    """The parts a translation must keep: printf and brace placeholders, HTML tags."""
    return sorted(PRINTF.findall(text) + BRACES.findall(text) + TAG.findall(text))


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(PO_PATH), wrapwidth=0)


@pytest.fixture(scope="module")
def catalogues():
    return {path: polib.pofile(str(path), wrapwidth=0) for path in catalogue_paths()}


@pytest.fixture(scope="module")
def source_messages():
    return extract()


def test_extraction_finds_python_and_template_messages(source_messages):
    """The extractor itself: a model field, an ngettext plural and template strings."""
    messages, _dynamic = source_messages
    assert (None, "Kata sandi") in messages  # accounts/forms.py and templates
    assert (None, "Langsung ke isi") in messages  # base.html {% translate %}
    assert (None, "Halo %(name)s,") in messages  # a blocktranslate with a variable
    assert messages[(None, "%(n)s pelaku")][0] == "%(n)s pelaku"  # blocktranslate count/plural
    assert len(messages) > 500


def test_extractor_understands_every_call_form(tmp_path):
    (tmp_path / "mod.py").write_text(
        "from django.utils import translation\n"
        "from django.utils.translation import gettext as _, ngettext, npgettext, pgettext_lazy\n"
        "a = _('Satu ' 'dua')\n"
        "b = ngettext('%(n)d kursi', '%(n)d kursi', 3)\n"
        "c = pgettext_lazy('bulan', 'Mei')\n"
        "d = npgettext('orang', '%(n)d peserta', '%(n)d peserta', 2)\n"
        "e = translation.gettext('Lewat modul')\n"
        "f = _(f'Halo {a}')\n"
    )
    (tmp_path / "page.html").write_text(
        "{% load i18n %}{% translate \"Kutip 'tunggal'\" %}{% translate 'Ada (kurung), koma' %}"
        '{% translate "Mei" context "bulan" %}'
        "{% blocktranslate trimmed count n=items|length %}\n  Satu barang\n"
        "{% plural %}\n  {{ n }} barang, 100%\n{% endblocktranslate %}"
        '{% blocktranslate with name=user.name context "sapaan" %}Halo {{ name }}{% endblocktranslate %}'
        '{{ _("Konstanta") }}'
    )
    messages, dynamic = extract(tmp_path)
    assert set(messages) == {
        (None, "Satu dua"),
        (None, "%(n)d kursi"),
        ("bulan", "Mei"),
        ("orang", "%(n)d peserta"),
        (None, "Lewat modul"),
        (None, "Kutip 'tunggal'"),
        (None, "Ada (kurung), koma"),
        (None, "Satu barang"),
        ("sapaan", "Halo %(name)s"),
        (None, "Konstanta"),
    }
    assert messages[(None, "Satu barang")][0] == "%(n)s barang, 100%%"
    assert dynamic == ["mod.py:8"]


def test_no_message_is_built_before_translation(source_messages):
    """_(f"…") or _("…" % x) looks up a string no catalogue has: format after translating."""
    assert source_messages[1] == []


def test_catalogue_header_is_english_with_two_plural_forms(catalogues):
    assert PO_PATH in catalogues
    for catalogue in catalogues.values():
        assert catalogue.metadata["Language"] == "en"
        assert catalogue.metadata["Plural-Forms"].startswith("nplurals=2;")
        assert not catalogue.metadata_is_fuzzy


def test_a_file_belongs_to_the_nearest_catalogue(tmp_path):
    app_po = tmp_path / "app" / PO_RELATIVE
    app_po.parent.mkdir(parents=True)
    app_po.write_text("")
    (tmp_path / PO_RELATIVE).parent.mkdir(parents=True)
    (tmp_path / PO_RELATIVE).write_text("")
    assert catalogue_path(tmp_path / "app" / "templates" / "app" / "x.html", tmp_path) == app_po
    assert catalogue_path(tmp_path / "other" / "views.py", tmp_path) == tmp_path / PO_RELATIVE


@pytest.mark.parametrize(
    "po_path", catalogue_paths(), ids=lambda p: str(p.relative_to(SRC).parents[3] or "ekraf")
)
def test_every_source_string_has_an_english_translation(catalogues, po_path):
    messages, _dynamic = extract(catalogue=po_path)
    catalogue = catalogues[po_path]
    entries = {(e.msgctxt, e.msgid): e for e in catalogue if not e.obsolete}
    problems = []
    for (context, msgid), (plural, where) in sorted(messages.items(), key=str):
        label = f"{where[0]}: {msgid!r}" + (f" (context {context!r})" if context else "")
        entry = entries.get((context, msgid))
        if entry is None:
            problems.append(f"missing      {label}")
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy        {label}")
        if (plural or None) != (entry.msgid_plural or None):
            problems.append(f"plural differs {label}: {entry.msgid_plural!r} vs {plural!r}")
            continue
        if plural:
            forms = [entry.msgstr_plural.get(0, ""), entry.msgstr_plural.get(1, "")]
            expected = [msgid, plural]
        else:
            forms, expected = [entry.msgstr], [msgid]
        if not all(form.strip() for form in forms):
            problems.append(f"untranslated {label}")
            continue
        for source, form in zip(expected, forms, strict=True):
            if placeholders(source) != placeholders(form):
                problems.append(f"placeholders {label}: {placeholders(source)} vs {form!r}")
    assert not problems, (
        f"{len(problems)} English translation problem(s) in {po_path.relative_to(SRC.parent)} "
        "(run `make messages` on a machine with gettext, then translate):\n  "
        + "\n  ".join(problems)
    )


def test_javascript_has_no_gettext_calls():
    """No JavaScript catalogue is served: scripts take their text from the page (data-
    attributes rendered by translated templates). A gettext() in a script would stay
    Indonesian in English, so this fails until a djangojs catalogue is set up."""
    calls = re.compile(r"(?<![\w.])(?:gettext|ngettext|pgettext|npgettext|interpolate)\s*\(")
    offenders = [
        str(path.relative_to(SRC))
        for path in source_files()
        if path.suffix in (".js", ".mjs") and calls.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_placeholder_check_catches_a_broken_translation():
    assert placeholders("Halo %(name)s, <strong>{count}</strong>") == placeholders(
        "Hello <strong>{count}</strong>, %(name)s"
    )
    assert placeholders("Halo %(name)s") != placeholders("Hello %(nama)s")
    assert placeholders("Halo %(n)d") != placeholders("Hello %(n)s")
    assert placeholders("Unduh {wallet}") != placeholders("Download")
    assert placeholders("Ke <strong>%(email)s</strong>") != placeholders("To %(email)s")


# -- The English switch, end to end ---------------------------------------------------------


def english_client():
    client = Client()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


@pytest.mark.django_db
def test_the_menu_switch_is_a_link_that_remembers_the_choice(client):
    """A visitor taps "English" in the menu: the choice is kept (the language cookie) and the
    same page comes back in English; the link holds no token, so any page can carry it."""
    body = client.get("/privasi/").content.decode()
    assert 'href="/bahasa/en/?next=/privasi/"' in body and 'hreflang="en"' in body
    switched = client.get("/bahasa/en/?next=/privasi/")
    assert switched.status_code == 302 and switched["Location"] == "/privasi/"
    kept = switched.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert kept.value == "en" and kept["max-age"] == 365 * 24 * 3600  # not only this session
    assert "no-cache" in switched["Cache-Control"]  # a redirect that sets a cookie is not shared
    english = client.get("/privasi/").content.decode()
    assert '<html lang="en">' in english and 'href="/bahasa/id/?next=/privasi/"' in english
    client.get("/bahasa/id/?next=/privasi/")
    assert '<html lang="id">' in client.get("/privasi/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]
)
def test_the_switch_never_sends_a_visitor_off_the_site(client, target):
    switched = client.get("/bahasa/en/", {"next": target})
    assert switched.status_code == 302 and switched["Location"] == "/"


@pytest.mark.django_db
def test_another_site_cannot_switch_a_visitors_language(client):
    """A link or image on another site reaches the switch with Sec-Fetch-Site: cross-site (or
    same-site from a sibling host): the visitor is sent on, the language left as it was."""
    for origin in ("cross-site", "same-site"):
        sent = client.get("/bahasa/en/?next=/", headers={"Sec-Fetch-Site": origin})
        assert sent.status_code == 302 and settings.LANGUAGE_COOKIE_NAME not in sent.cookies
    kept = client.get("/bahasa/en/?next=/", headers={"Sec-Fetch-Site": "same-origin"})
    assert kept.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


@pytest.mark.django_db
def test_the_switch_knows_only_the_sites_languages_and_reads_only(client):
    assert client.get("/bahasa/fr/?next=/").status_code == 404
    assert client.post("/bahasa/en/", {"next": "/"}).status_code == 405


@pytest.mark.django_db
def test_compiled_catalogue_is_the_one_django_loads(catalogue):
    """The .mo next to the .po (compiled by `make test`/`make run`) is used for English."""
    assert settings.LOCALE_PATHS[0] == PO_PATH.parents[2]
    with translation.override("en"):
        assert translation.gettext("Kata sandi") == "Password"
        assert translation.gettext("Bahasa Indonesia") == "Indonesian"
    with translation.override("id"):
        assert translation.gettext("Kata sandi") == "Kata sandi"


@pytest.fixture(scope="module", autouse=True)
def _compiled_catalogue(django_db_blocker):
    """Compile the .po like `make test` does, so running this module alone sees fresh English.
    A catalogue Django cached before compiling would hide the new .mo: drop the cache."""
    from django.core.management import call_command
    from django.utils.translation import trans_real

    call_command("compile_translations", verbosity=0)
    trans_real._translations.clear()
    trans_real._default = None


def assert_shows(body, present, absent=()):
    missing = [text for text in present if text not in body]
    leftover = [text for text in absent if text in body]
    assert not missing and not leftover, f"missing {missing}, still there {leftover}"


@pytest.mark.django_db
def test_home_and_login_in_english(city):
    client = english_client()
    home = client.get("/").content.decode()
    assert 'lang="en"' in home
    assert_shows(
        home,
        ["Sign up as a creator", "Skip to content", "Log in", "Privacy policy",
         "The creative economy platform of Kota Malang", "Bahasa Indonesia"],
        ["Daftar sebagai pelaku ekraf", "Langsung ke isi", "Kebijakan privasi"],
    )  # fmt: skip
    login = client.get(reverse("accounts:login")).content.decode()
    assert_shows(
        login,
        ["Email or username", "Password", "Forgot your password?", "No account yet?", "Sign up"],
        ["Lupa kata sandi?", "Belum punya akun?", "Kata sandi"],
    )
    wrong = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert "Wrong email/username or password." in wrong.content.decode()


@pytest.mark.django_db
def test_creator_profile_in_english(city):
    from tests.creators import factories as creators

    profile = creators.creator(
        "Rizky Pratama", subsectors=("fotografi",), channels=[("instagram", "@rizky.mlg", 4200)],
        public=True,
    )  # fmt: skip
    from ekraf.creators import services

    services.update_profile(
        profile.user,
        profile,
        services.ProfileInput(skills=["fotografi produk"], pathways=["content_creator"]),
    )
    url = reverse("creators:public_profile", args=[profile.public_id])
    assert "Keterampilan" in Client().get(url).content.decode()
    body = english_client().get(url).content.decode()
    assert_shows(
        body,
        ["Rizky Pratama", "Photography", "Skills", "Open to", "Content creator", "followers",
         "Dinoyo, District Lowokwaru"],
        ["Fotografi<", "Keterampilan", "Terbuka untuk", "Konten kreator", "pengikut", "Kec."],
    )  # fmt: skip


@pytest.fixture
def certificate(settings, tmp_path, diskominfo):
    """One issued e-certificate, with signing keys in a temporary folder (never var/keys)."""
    from ekraf.credentials import keys
    from ekraf.credentials.models import Certificate
    from tests import factories
    from tests.credentials import factories as credentials

    settings.CREDENTIAL_KEYS_DIR = tmp_path / "keys"
    settings.PDF_SIGNER = "local"
    keys.forget()
    keys.init()
    training = credentials.training(diskominfo, title="Bimtek Fotografi Produk")
    credentials.registration(training, factories.user("a", full_name="Budi Hartono"))
    credentials.issue(training)
    yield Certificate.objects.get()
    keys.forget()


@pytest.mark.django_db
def test_verification_in_english(certificate):
    client = english_client()
    form = client.get(reverse("credentials:verify")).content.decode()
    assert_shows(
        form,
        ["Verify an e-certificate", "Verification code", ">Check<"],
        ["Verifikasi e-sertifikat", "Periksa"],
    )
    typo = (
        certificate.code[:3] + ("X" if certificate.code[3] != "X" else "Y") + certificate.code[4:]
    )
    refused = client.get(reverse("credentials:verify"), {"kode": typo}).content.decode()
    assert "Mistyped code — check look-alike characters" in refused
    result = client.get(reverse("credentials:verify_code", args=[certificate.code]))
    assert_shows(
        result.content.decode(),
        ["GENUINE and valid e-certificate", "Holder name", "Budi Hartono", "Issue date",
         "E-certificate of completion", "Bimtek Fotografi Produk"],
        ["ASLI dan berlaku", "Nama pemegang", "Tanggal terbit"],
    )  # fmt: skip
    # The same page without the switch stays Indonesian.
    indonesian = Client().get(reverse("credentials:verify_code", args=[certificate.code]))
    assert "E-sertifikat ASLI dan berlaku" in indonesian.content.decode()


@pytest.mark.django_db
def test_indonesian_stays_the_default_for_pages_and_api(city):
    """A phone set to English does not turn the site English: only the switch does. The API
    keeps its Indonesian messages too."""
    client = Client(headers={"accept-language": "en-US,en;q=0.9"})
    body = client.get(reverse("accounts:login")).content.decode()
    assert 'lang="id"' in body and "Lupa kata sandi?" in body and "Forgot" not in body
    api = client.post(
        "/api/v1/auth/token",
        {"username": "tidak-ada", "password": "salah"},
        content_type="application/json",
    )
    assert api.status_code == 400
    assert api.json()["detail"] == "Nama pengguna atau kata sandi salah."
    assert translation.get_language() == "id"

    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Forgot your password?" in client.get(reverse("accounts:login")).content.decode()
    client.post(reverse("set_language"), {"language": "id", "next": "/"})
    assert "Lupa kata sandi?" in client.get(reverse("accounts:login")).content.decode()
