"""Journey 10 on a phone: a reporter writes a story with a photo, loses the network mid-draft
without losing text, and submits; the editor sends it back once, then publishes it; the story
appears under its kecamatan on the portal. Every page is checked with axe-core."""

import pytest

from ekraf.newsroom.models import Story
from tests import factories
from tests.e2e.conftest import login
from tests.newsroom import factories as nf

pytestmark = pytest.mark.django_db(transaction=True)


def autosave_now(page) -> None:
    """Save the draft now rather than in 15 s. The editor's script is deferred, so the fields
    can be filled before it has run (the script counts such text as unsaved); a deferred script
    has run once DOMContentLoaded fired. (Not `wait_for_function`: its later polls call `eval`,
    which the page's Content-Security-Policy refuses, so it failed whenever the first poll was
    early.)"""
    page.wait_for_load_state("domcontentloaded")
    page.evaluate("window.newsroomAutosave()")


def open_own_draft(page) -> Story:
    """A reporter signed in on the editor of a draft of theirs, the page parsed (its deferred
    script has run, unless a test held it back)."""
    factories.ensure_city()
    reporter = nf.reporter("Sari Pewarta")
    story = nf.draft(reporter)
    login(page, reporter.username, factories.PASSWORD)
    page.goto(f"/pewarta/{story.public_id}/")
    page.wait_for_load_state("domcontentloaded")
    return story


def test_reporter_writes_offline_and_editor_publishes_after_one_round(open_context, tmp_path):
    factories.ensure_city()
    reporter = nf.reporter("Sari Pewarta")
    editor = nf.editor()
    photo = tmp_path / "mural.jpg"
    photo.write_bytes(nf.jpeg())

    writer = open_context().new_page()
    login(writer, reporter.username, factories.PASSWORD)
    writer.goto("/pewarta/")
    writer.get_by_role("button", name="Tulis berita baru").click()
    writer.get_by_label("Judul").fill("Mural Baru di Kampung Dinoyo")
    writer.get_by_label("Teras berita").fill("Pemuda Dinoyo melukis mural sepanjang gang.")
    autosave_now(writer)
    writer.get_by_text("Tersimpan di server").wait_for()

    # A photo with its statements (the page reloads; the text is on the server already).
    writer.get_by_label("Foto (JPG, PNG atau WebP)").set_input_files(str(photo))
    writer.get_by_label("Keterangan foto").fill("Mural bertema Arema di gang 3")
    writer.get_by_label("Kredit foto").fill("Sari Pewarta")
    writer.get_by_role("button", name="Unggah foto").click()
    writer.get_by_role("img", name="Mural bertema Arema di gang 3").wait_for()

    # The network drops mid-draft: the text stays on the device and comes back.
    writer.context.set_offline(True)
    body = "Sebanyak 20 pemuda melukis mural selama dua pekan.\n\nWarga menyediakan cat."
    writer.get_by_label("Isi", exact=True).fill(body)
    autosave_now(writer)
    writer.get_by_text("Tidak tersambung").wait_for()
    writer.context.set_offline(False)
    writer.reload()
    # Back online, the copy was either sent at once (the `online` event) or restored from the
    # device on reload: either way the text is there.
    assert writer.get_by_label("Isi", exact=True).input_value() == body

    writer.get_by_label("Kelurahan").select_option(label="Dinoyo, Lowokwaru")
    writer.get_by_role("button", name="Simpan", exact=True).click()
    writer.get_by_text("Berita disimpan.").wait_for()
    writer.get_by_role("button", name="Kirim ke editor").click()
    writer.get_by_text("Berita dikirim ke editor.").wait_for()
    story = Story.objects.get(title="Mural Baru di Kampung Dinoyo")
    assert story.body == body and story.photos.count() == 1

    # The editor sends it back once.
    desk = open_context().new_page()
    login(desk, editor.username, factories.PASSWORD)
    desk.goto("/kelola/redaksi/")
    desk.get_by_role("link", name="Mural Baru di Kampung Dinoyo").click()
    desk.get_by_role("button", name="Ambil untuk ditinjau").click()
    desk.get_by_label("Catatan untuk penulis").fill("Sebutkan nama komunitas pemudanya.")
    desk.get_by_role("button", name="Minta perbaikan").click()
    desk.get_by_text("Perlu perbaikan").first.wait_for()

    writer.reload()
    writer.get_by_text("Sebutkan nama komunitas pemudanya.").wait_for()
    writer.get_by_label("Isi", exact=True).fill(body + "\n\nKomunitasnya bernama Dinoyo Kreatif.")
    writer.get_by_role("button", name="Simpan", exact=True).click()
    writer.get_by_text("Berita disimpan.").wait_for()
    writer.get_by_role("button", name="Kirim ke editor").click()
    writer.get_by_text("Berita dikirim ke editor.").wait_for()

    desk.reload()
    desk.get_by_role("button", name="Ambil untuk ditinjau").click()
    desk.get_by_role("button", name="Setujui").click()
    desk.get_by_role("button", name="Terbitkan", exact=True).click()
    desk.get_by_role("link", name="Lihat di portal").wait_for()

    # The portal lists it under its kecamatan.
    reader = open_context().new_page()
    reader.goto(f"/berita/wilayah/{story.region.parent.code}/")
    reader.get_by_role("link", name="Mural Baru di Kampung Dinoyo").click()
    reader.get_by_text("Komunitasnya bernama Dinoyo Kreatif.").wait_for()
    assert reader.get_by_role("img", name="Mural bertema Arema di gang 3").is_visible()


def test_text_typed_before_the_page_script_runs_is_kept_and_saved(page):
    """On a slow phone the form shows before its deferred script has run. What the reporter
    types in that moment has no keystroke handler behind it; the script, once it runs, still
    keeps it on the device and sends it with the next save."""
    # The script is held back: the page comes without it.
    page.route("**/newsroom/write*.js", lambda route: route.fulfill(status=200, body=""))
    story = open_own_draft(page)
    page.get_by_label("Isi", exact=True).fill("Diketik sebelum skrip halaman termuat.")

    # Now the script arrives and runs, with the text already in the field.
    page.unroute("**/newsroom/write*.js")
    page.evaluate(
        """() => new Promise((done) => {
            const old = document.querySelector('script[src*="newsroom/write"]');
            const s = document.createElement('script');
            s.src = old.src + (old.src.includes('?') ? '&' : '?') + 'lagi';
            s.onload = done;
            document.body.append(s);
        })"""
    )
    kept = page.evaluate(f"JSON.parse(localStorage.getItem('ekraf-story-{story.public_id}'))")
    assert kept["fields"]["body"] == "Diketik sebelum skrip halaman termuat."

    page.evaluate("window.newsroomAutosave()")
    page.get_by_text("Tersimpan di server").wait_for()
    story.refresh_from_db()
    assert story.body == "Diketik sebelum skrip halaman termuat."


def test_a_save_that_hangs_is_reported_and_the_text_stays_on_the_device(page):
    """One bar of signal: the save request neither arrives nor fails. The reporter is told the
    text is only on the device rather than left believing it was sent."""
    story = open_own_draft(page)
    page.evaluate("document.getElementById('story-form').dataset.saveTimeout = '500'")

    held = []
    page.route("**/simpan/", lambda route: held.append(route))  # never answered
    page.get_by_label("Isi", exact=True).fill("Sinyal tinggal satu batang.")
    page.evaluate("window.newsroomAutosave()")
    page.get_by_text("Tidak tersambung").wait_for()
    kept = page.evaluate(f"JSON.parse(localStorage.getItem('ekraf-story-{story.public_id}'))")
    assert kept["fields"]["body"] == "Sinyal tinggal satu batang."
    assert held, "the save was sent"
