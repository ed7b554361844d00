"""A registry that looks like the city's: 320 creators across every kelurahan, in bulk.

Content, film/video, photography, culinary and fashion dominate, as they do in Malang's
creative scene; a few communities give profiles a shared flavour. Demo creators other than
`kreator` have no usable password (like imported ones). E-mail addresses use the reserved
.invalid domain so no real mailbox is ever written to.
"""

from __future__ import annotations

import datetime
import io
import re

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from ekraf.accounts.models import Role, RoleGrant, User
from ekraf.core.models import Agency, Region, Subsector

from . import nik as nik_rules
from . import services
from .models import (
    Channel,
    Consent,
    CreatorProfile,
    Gender,
    ImportBatch,
    Pathway,
    PathwayInterest,
)

COUNT = 320

SUBSECTOR_WEIGHTS = {
    "film-animasi-video": 22, "fotografi": 15, "kuliner": 15, "fesyen": 12, "dkv": 9,
    "musik": 6, "kriya": 6, "periklanan": 5, "aplikasi": 4, "seni-pertunjukan": 4,
    "penerbitan": 3, "desain-produk": 3, "seni-rupa": 3, "televisi-radio": 3,
    "pengembang-permainan": 2, "arsitektur": 1, "desain-interior": 1,
}  # fmt: skip

SKILLS = {
    "film-animasi-video": ["editing video", "videografi", "motion graphic", "CapCut", "sinematografi", "scriptwriting"],
    "fotografi": ["fotografi produk", "fotografi makanan", "Lightroom", "fotografi pernikahan", "drone"],
    "kuliner": ["review kuliner", "food styling", "resep masakan", "pengemasan produk"],
    "fesyen": ["desain busana", "batik tulis", "styling", "jahit", "modest fashion"],
    "dkv": ["desain grafis", "ilustrasi", "Canva", "branding", "tipografi"],
    "musik": ["produksi musik", "vokal", "gitar", "mixing"],
    "kriya": ["anyaman", "keramik", "kerajinan kayu", "topeng Malangan"],
    "periklanan": ["copywriting", "iklan digital", "manajemen media sosial"],
    "aplikasi": ["pemrograman web", "UI/UX", "Flutter"],
    "seni-pertunjukan": ["tari topeng", "teater", "MC acara", "public speaking"],
    "penerbitan": ["menulis artikel", "jurnalistik warga", "penyuntingan"],
    "desain-produk": ["desain kemasan", "3D modelling"],
    "seni-rupa": ["mural", "lukis cat air"],
    "televisi-radio": ["siaran radio", "podcasting", "presenter"],
    "pengembang-permainan": ["Unity", "desain game"],
    "arsitektur": ["SketchUp", "desain bangunan"],
    "desain-interior": ["desain interior", "rendering"],
}  # fmt: skip

COMMUNITIES = [
    "Malang Content Creator",
    "Arek Fotografi Malang",
    "Komunitas Kuliner Ngalam",
    "Batik dan Fesyen Celaket",
    "Musisi Kayutangan",
    "Pewarta Warga Malang",
]

BIOS = {
    "film-animasi-video": "Bikin video pendek tentang sudut-sudut {area}.",
    "fotografi": "Fotografer lepas, sering memotret UMKM dan acara di {area}.",
    "kuliner": "Mengulas warung legendaris dan jajanan khas {area}.",
    "fesyen": "Merintis label busana lokal dengan motif khas Malang.",
    "dkv": "Desainer grafis untuk brand lokal dan UMKM.",
    "musik": "Musisi dan penulis lagu, tampil di kafe sekitar {area}.",
    "kriya": "Perajin yang menjual karya lewat marketplace dan pameran.",
}

PLATFORM_ODDS = [
    ("instagram", 0.88), ("tiktok", 0.55), ("youtube", 0.25), ("facebook", 0.2),
    ("x", 0.1), ("threads", 0.12), ("linkedin", 0.08), ("podcast", 0.04), ("website", 0.08),
]  # fmt: skip

MOBILE_PREFIXES = ["811", "812", "813", "821", "822", "823", "852", "853", "815", "816", "856",
                   "857", "817", "818", "819", "859", "877", "878", "896", "897", "898", "881",
                   "882", "831", "838"]  # fmt: skip


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", ".", name.lower()).strip(".")


def _handle(ctx, name: str, platform: str) -> str:
    base = _slug(name)
    if platform == "x":
        base = base.replace(".", "_")[:11]
    suffix = ctx.rng.choice(["", ".mlg", "_ngalam", ".id", str(ctx.rng.randint(1, 99))])
    if platform == "x":
        suffix = suffix.replace(".", "_")
    if platform in ("facebook", "linkedin"):
        suffix = ""
        base = base.replace("_", ".") if platform == "facebook" else base.replace(".", "-")
    return (base + suffix)[: 15 if platform == "x" else 30]


def _followers(ctx) -> int:
    return int(10 ** ctx.rng.uniform(2.0, 5.4))


def _weighted_subsectors(ctx, by_code) -> list[Subsector]:
    codes = list(SUBSECTOR_WEIGHTS)
    weights = [SUBSECTOR_WEIGHTS[c] for c in codes]
    picked = []
    for _ in range(ctx.rng.choice([1, 1, 1, 2, 2, 3])):
        code = ctx.rng.choices(codes, weights)[0]
        if code not in picked:
            picked.append(code)
    return [by_code[c] for c in picked if c in by_code]


def _make_nik(ctx, village: Region, gender: str, born: datetime.date) -> str:
    day = born.day + (40 if gender == Gender.FEMALE else 0)
    district = village.parent.code.replace(".", "")
    return f"{district}{day:02d}{born.month:02d}{born.year % 100:02d}{ctx.rng.randint(1, 999):04d}"


def _channels_for(ctx, profile_pk, name, today, only=None) -> list[Channel]:
    out = []
    for platform, odds in PLATFORM_ODDS:
        if only is None and ctx.rng.random() > odds:
            continue
        if only is not None and platform not in only:
            continue
        if platform == "podcast":
            value = f"https://open.spotify.com/show/{ctx.faker.pystr(min_chars=22, max_chars=22)}"
        elif platform == "website":
            value = f"https://{_slug(name).replace('.', '')}.my.id"
        else:
            value = _handle(ctx, name, platform)
        try:
            normal = services.channel_rules.normalise(platform, value)
        except services.channel_rules.ChannelError:
            continue
        out.append(
            Channel(
                profile_id=profile_pk,
                platform=platform,
                handle=normal.handle,
                url=normal.url,
                followers=_followers(ctx) if platform not in ("website",) else None,
                followers_read_on=today - datetime.timedelta(days=ctx.rng.randint(0, 90))
                if platform != "website"
                else None,
            )
        )
    return out


def _demo_photo(initials: str):
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (400, 400), (28, 100, 160))
    draw = ImageDraw.Draw(image)
    draw.ellipse((40, 40, 360, 360), fill=(240, 170, 60))
    draw.text((170, 185), initials, fill=(20, 20, 20))
    out = io.BytesIO()
    image.save(out, "PNG")
    out.seek(0)
    return services.process_photo(out)


def build(ctx) -> None:
    today = timezone.localdate()
    now = timezone.now()
    villages = list(Region.objects.filter(level=Region.Level.VILLAGE).select_related("parent"))
    if not villages:
        return
    by_code = {s.code: s for s in Subsector.objects.all()}
    diskominfo = Agency.objects.filter(code="diskominfo").first()

    # Skills first, so profiles can link to them.
    skill_names = sorted({name for names in SKILLS.values() for name in names})
    skill_by_name = {s.name.lower(): s for s in services.skills_for(skill_names)}

    unusable = make_password(None)
    used_phones: set[str] = set()
    used_emails: set[str] = set(User.objects.values_list("email", flat=True))
    people = []
    for index in range(COUNT):
        gender = ctx.rng.choice([Gender.MALE, Gender.FEMALE])
        first = (
            ctx.faker.first_name_female()
            if gender == Gender.FEMALE
            else ctx.faker.first_name_male()
        )
        name = f"{first} {ctx.faker.last_name()}" if ctx.rng.random() < 0.85 else first
        email = f"{_slug(name)}{index}@demo.ekraf.invalid"
        used_emails.add(email)
        while True:
            phone = (
                "+62" + ctx.rng.choice(MOBILE_PREFIXES) + f"{ctx.rng.randint(0, 99_999_999):08d}"
            )
            if phone not in used_phones:
                used_phones.add(phone)
                break
        # Every kelurahan gets someone: the first 57 go round them all.
        village = villages[index] if index < len(villages) else ctx.rng.choice(villages)
        birth_year = (
            ctx.rng.choice(range(1975, 2007))
            if ctx.rng.random() < 0.3
            else ctx.rng.choice(range(1993, 2005))
        )
        people.append((name, email, phone, gender, village, birth_year))

    users = [
        User(
            username=email.split("@")[0],
            email=email,
            full_name=name,
            password=unusable,
            email_verified_at=now,
        )
        for name, email, *_rest in people
    ]
    User.objects.bulk_create(users)
    RoleGrant.objects.bulk_create([RoleGrant(user=u, role=Role.CREATOR) for u in users])

    batch = None
    if diskominfo is not None:
        batch = ImportBatch.objects.create(
            agency=diskominfo,
            original_name="Peserta Bimtek Konten Kreator 2023 (Jawaban).xlsx",
            headers=[
                "Timestamp",
                "Nama Lengkap",
                "Alamat Email",
                "Nomor WhatsApp",
                "Kelurahan",
                "Subsektor",
                "Instagram",
            ],
            mapping={
                "full_name": 1,
                "email": 2,
                "phone": 3,
                "kelurahan": 4,
                "subsectors": 5,
                "instagram": 6,
            },
            status=ImportBatch.Status.COMMITTED,
            total_rows=44,
            valid_rows=40,
            error_rows=2,
            duplicate_rows=2,
            created_count=40,
            problems=[
                {
                    "line": 9,
                    "column": "Nomor WhatsApp",
                    "message": "Nomor telepon tidak valid. Contoh: 0812-3456-7890 atau +62 812 3456 7890.",
                    "kind": "error",
                },
                {
                    "line": 17,
                    "column": "Kelurahan",
                    "message": "Kelurahan tidak dikenal: Lowokwaru Indah",
                    "kind": "error",
                },
                {
                    "line": 23,
                    "column": "Alamat Email",
                    "message": "Sama dengan baris 5 di berkas ini.",
                    "kind": "duplicate",
                },
                {
                    "line": 31,
                    "column": "Alamat Email",
                    "message": "Email sudah terdaftar di registri.",
                    "kind": "duplicate",
                },
            ],
            previewed_at=now,
            committed_at=now,
        )

    profiles = []
    niks = []
    for index, (user, (name, _email, phone, gender, village, birth_year)) in enumerate(
        zip(users, people, strict=True)
    ):
        community = ctx.rng.choice(COMMUNITIES)
        imported = batch is not None and index % 8 == 0  # 40 came from Diskominfo's import
        nik_values = None
        # The demo import carried no NIK column: NIKs are those people typed in themselves.
        if ctx.rng.random() < 0.3 and not imported:
            born = datetime.date(birth_year, ctx.rng.randint(1, 12), ctx.rng.randint(1, 28))
            nik = _make_nik(ctx, village, gender, born)
            protected = nik_rules.protect(nik)
            if protected.hash not in niks:
                niks.append(protected.hash)
                nik_values = protected
        profiles.append(
            CreatorProfile(
                user=user,
                full_name=name,
                display_name=_slug(name).split(".")[0].capitalize()
                if ctx.rng.random() < 0.3
                else "",
                gender=gender,
                birth_year=birth_year,
                kelurahan=village,
                phone=phone if ctx.rng.random() < 0.9 else "",
                bio="",
                nik_encrypted=nik_values.encrypted if nik_values else "",
                nik_hash=nik_values.hash if nik_values else "",
                nik_masked=nik_values.masked if nik_values else "",
                source=CreatorProfile.Source.IMPORT if imported else CreatorProfile.Source.SIGNUP,
                source_agency=diskominfo if imported else None,
                import_batch=batch if imported else None,
                show_photo=False,
                show_area=ctx.rng.random() < 0.8,
                show_bio=True,
                show_channels=ctx.rng.random() < 0.9,
            )
        )
        profiles[-1]._community = community
    CreatorProfile.objects.bulk_create(profiles)
    if any(p.pk is None for p in profiles):
        ids = dict(CreatorProfile.objects.filter(user__in=users).values_list("user_id", "pk"))
        for p in profiles:
            p.pk = p.id = ids[p.user.pk]

    sub_through = CreatorProfile.subsectors.through
    skill_through = CreatorProfile.skills.through
    sub_links, skill_links, pathways, channels, consents, bios = [], [], [], [], [], []
    for profile in profiles:
        chosen = _weighted_subsectors(ctx, by_code) or [by_code["film-animasi-video"]]
        sub_links += [sub_through(creatorprofile_id=profile.pk, subsector_id=s.pk) for s in chosen]
        pool = [n for s in chosen for n in SKILLS.get(s.code, [])]
        for skill_name in ctx.rng.sample(pool, k=min(len(pool), ctx.rng.randint(1, 4))):
            skill_links.append(
                skill_through(
                    creatorprofile_id=profile.pk, skill_id=skill_by_name[skill_name.lower()].pk
                )
            )
        for value in Pathway.values:
            odds = {
                "content_creator": 0.7,
                "motivator": 0.12,
                "narasumber": 0.18,
                "citizen_reporter": 0.15,
            }[value]
            if ctx.rng.random() < odds:
                pathways.append(PathwayInterest(profile_id=profile.pk, pathway=value))
        channels += _channels_for(ctx, profile.pk, profile.full_name, today)
        template = BIOS.get(chosen[0].code, "Pelaku ekraf di bidang {subsector}.")
        area = f"Kecamatan {profile.kelurahan.parent.name}"
        bio = template.format(area=area, subsector=chosen[0].name_id.lower())
        bios.append((profile.pk, f"{bio} Anggota {profile._community}."))
        given = now - datetime.timedelta(days=ctx.rng.randint(1, 400))
        if ctx.rng.random() < 0.75:
            consents.append(
                Consent(
                    profile_id=profile.pk,
                    purpose=Consent.Purpose.PUBLIC_PROFILE,
                    text_version="2024.1",
                    given_at=given,
                )
            )
        if ctx.rng.random() < 0.8:
            withdrawn = ctx.rng.random() < 0.05
            consents.append(
                Consent(
                    profile_id=profile.pk,
                    purpose=Consent.Purpose.TALENT_DIRECTORY,
                    text_version="2024.1",
                    given_at=given,
                    withdrawn_at=now if withdrawn else None,
                )
            )
        if profile.nik_hash:
            consents.append(
                Consent(
                    profile_id=profile.pk,
                    purpose=Consent.Purpose.NIK,
                    text_version="2024.1",
                    given_at=given,
                )
            )
    sub_through.objects.bulk_create(sub_links)
    skill_through.objects.bulk_create(skill_links)
    PathwayInterest.objects.bulk_create(pathways)
    Channel.objects.bulk_create(channels, ignore_conflicts=True)
    Consent.objects.bulk_create(consents)
    for profile in profiles:
        profile.bio = dict(bios)[profile.pk]
    CreatorProfile.objects.bulk_update(profiles, ["bio"], batch_size=500)

    _complete_kreator(ctx)


def _complete_kreator(ctx) -> None:
    """The demo login `kreator` gets a full profile, so every creator screen has data."""
    user = User.objects.filter(username="kreator").first()
    if user is None:
        return
    profile = services.ensure_profile(user)
    today = timezone.localdate()
    data = services.ProfileInput(
        full_name=user.full_name or "Ayu Kartika Sari",
        display_name="Ayu Ngalam",
        gender=Gender.FEMALE,
        birth_year=1998,
        kelurahan=Region.objects.get(level=Region.Level.VILLAGE, name="Dinoyo")
        if Region.objects.filter(level=Region.Level.VILLAGE, name="Dinoyo").exists()
        else Region.objects.filter(level=Region.Level.VILLAGE).first(),
        subsectors=["film-animasi-video", "kuliner"],
        skills="editing video, review kuliner, CapCut, public speaking",
        bio=(
            "Konten kreator kuliner dan wisata Kota Malang. Suka menjelajah warung legendaris "
            "di Lowokwaru dan membuat video pendek tentang UMKM. Anggota Malang Content Creator."
        ),
        pathways=[Pathway.CONTENT_CREATOR, Pathway.NARASUMBER],
        phone="0812-3456-7801",
        nik="3573056704980007",
        channels=[
            services.ChannelInput("instagram", "@ayu.ngalam", 18_400, today),
            services.ChannelInput("tiktok", "https://www.tiktok.com/@ayu.ngalam", 52_300, today),
            services.ChannelInput("youtube", "@AyuNgalam", 3_150, today),
        ],
    )
    services.update_profile(user, profile, data, photo=_demo_photo("AK"))
    services.set_sharing(
        user,
        profile,
        services.SharingChoice(
            public_profile=True,
            talent_directory=True,
            show_photo=True,
            show_area=True,
            show_bio=True,
            show_channels=True,
        ),
    )
