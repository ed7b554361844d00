"""Demo stories: published stories in every kecamatan (with photos), a corrected one, one with
a complaint in the queue, some waiting in review, one sent back with the editor's notes — so
the `editor` login has work. Built through the real services (the gate, the workflow), with
messages written to the outbox as already sent."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from ekraf.accounts import services as account_services
from ekraf.accounts.models import Role, User
from ekraf.core.models import OutboxMessage, Region
from ekraf.creators.models import CreatorProfile, Pathway, PathwayInterest

from . import services
from .models import Story

REPORTERS = [
    ("pewarta", "Sari Wulandari"),
    ("pewarta.dimas", "Dimas Pratama"),
    ("pewarta.lina", "Lina Marlina"),
]
STORIES = [
    ("Kampung Warna-warni Jodipan Bersolek Jelang Libur Sekolah", ["wisata", "budaya"]),
    ("UMKM Keripik Tempe Sanan Tembus Pasar Daring", ["umkm", "kuliner"]),
    ("Warga Menanam Seribu Pohon di Bantaran Brantas", ["lingkungan"]),
    ("Sanggar Tari Topeng Malangan Buka Kelas Anak", ["seni", "budaya"]),
    ("Pasar Minggu Pagi Jadi Ruang Kreator Muda", ["umkm", "komunitas"]),
    ("Perpustakaan Kelurahan Ramai Dikunjungi Pelajar", ["pendidikan"]),
    ("Turnamen Futsal Antar-RW Digelar Meriah", ["olahraga"]),
    ("Kopi Lereng Arjuno Diseduh di Kafe Kampung", ["kuliner", "umkm"]),
]
COLOURS = [(214, 93, 56), (48, 120, 184), (60, 150, 90), (180, 140, 40), (120, 70, 160)]


def _photo(i: int) -> SimpleUploadedFile:
    image = Image.new("RGB", (960, 640), COLOURS[i % len(COLOURS)])
    draw = ImageDraw.Draw(image)
    for k in range(8):
        draw.rectangle((60 + k * 100, 300 - k * 20, 120 + k * 100, 600), fill=(250, 250, 250))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return SimpleUploadedFile(f"foto{i}.jpg", out.getvalue(), content_type="image/jpeg")


def _reporters(ctx) -> list[User]:
    people = []
    for username, name in REPORTERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username,
                email=f"{username}@demo.ekraf.invalid",
                password=ctx.password,
                full_name=name,
            )
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at"])
            account_services.grant_role(user, Role.CREATOR, None)
        profile, _new = CreatorProfile.objects.get_or_create(
            user=user, defaults={"full_name": name}
        )
        PathwayInterest.objects.get_or_create(profile=profile, pathway=Pathway.CITIZEN_REPORTER)
        people.append(user)
    return people


def _draft(author, village: Region, title: str, tags: list[str], i: int) -> Story:
    story = services.start_story(author)
    story, _rev = services.save_story(
        story,
        author,
        {
            "title": title,
            "lead": f"Warga {village.name} punya cerita: {title.lower()}.",
            "body": (
                f"Di Kelurahan **{village.name}**, warga bergotong royong.\n\n"
                "## Awal mula\n\nKegiatan ini bermula dari obrolan di pos ronda.\n\n"
                "- Dimulai pukul 07.00 WIB\n- Terbuka untuk umum\n"
            ),
            "region": village.code,
            "tags": tags,
            "sources": [{"name": "Ketua RW 05", "how": "wawancara langsung"}],
            "byline_consent": i % 2 == 0,
        },
    )
    services.add_photo(
        story,
        author,
        _photo(i),
        caption=f"Suasana kegiatan warga di {village.name}",
        credit=str(author),
        licence="cc-by-4.0",
    )
    return story


def build(ctx) -> None:
    editor = User.objects.filter(role_grants__role=Role.EDITOR).first()
    if editor is None:
        return
    reporters = _reporters(ctx)
    districts = list(Region.objects.filter(level=Region.Level.DISTRICT).order_by("code"))
    n = 0
    published = []
    for d_index, district in enumerate(districts):
        villages = list(district.children.order_by("code")[:2])
        for v_index, village in enumerate(villages):
            title, tags = STORIES[n % len(STORIES)]
            author = reporters[n % len(reporters)]
            story = _draft(author, village, title, tags, n)
            services.submit(story, author)
            services.review(story, editor)
            services.approve(story, editor)
            story = services.publish(story, editor)
            Story.objects.filter(pk=story.pk).update(
                published_at=timezone.now() - timedelta(days=2 * d_index + v_index, hours=n)
            )
            published.append(story)
            n += 1
    services.correct(
        published[0], editor, summary="Nama ketua RW dan jam mulai kegiatan diperbaiki."
    )
    services.file_complaint(
        published[1],
        reason="reply",
        detail="Usaha saya disebut tutup, padahal masih buka setiap hari.",
        name="Pak Harun",
        contact="+6281234567890",
    )
    villages = list(Region.objects.filter(level=Region.Level.VILLAGE).order_by("code")[10:14])
    waiting = []
    for k, village in enumerate(villages):
        title, tags = STORIES[(n + k) % len(STORIES)]
        story = _draft(reporters[k % len(reporters)], village, title, tags, n + k)
        services.submit(story, story.author)
        waiting.append(story)
    services.review(waiting[0], editor)
    services.request_changes(
        waiting[0],
        editor,
        notes="Tambahkan pendapat warga selain ketua RW, dan pastikan ejaan nama tempat.",
    )
    services.review(waiting[1], editor)  # in review, the editor's lock (expires)
    _draft(reporters[0], villages[0], "Draf: Festival Layang-layang", ["komunitas"], 99)
    OutboxMessage.objects.filter(kind__startswith="newsroom.", status="pending").update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now()
    )
    ctx.out.write(f"  {len(published)} berita terbit, {len(waiting)} di meja redaksi")
