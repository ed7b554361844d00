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
    """Save the draft now rather than in 30 s; the editor's script is deferred, so the fields
    can be filled before it has defined the function."""
    page.wait_for_function("typeof window.newsroomAutosave === 'function'")
    page.evaluate("window.newsroomAutosave()")


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
