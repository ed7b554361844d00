"""What the demo trainings are: one `Plan` per training (when, where, how many seats and
registrants, what status), and the words people wrote (origins, feedback comments)."""

from __future__ import annotations

from dataclasses import dataclass, field

ORIGINS = [
    "Komunitas Kreator Malang",
    "Malang Vlogger Community",
    "Universitas Brawijaya",
    "Universitas Negeri Malang",
    "UMKM Kampung Tematik",
    "Karang Taruna Kelurahan",
    "Komunitas Fotografi Arema",
    "",
    "",
    "",
]
COMMENTS = [
    "Materinya sangat aplikatif, langsung bisa dipraktikkan untuk akun Instagram usaha saya.",
    "Narasumbernya inspiratif. Semoga ada kelas lanjutan tentang monetisasi.",
    "Waktunya terlalu singkat untuk praktik editing video.",
    "Tempatnya nyaman dan panitia sigap. Terima kasih Pemkot!",
    "Tolong materi presentasinya dibagikan ke grup WhatsApp peserta.",
    "Sangat bermanfaat untuk branding produk UMKM kami.",
    "",
    "",
]


@dataclass
class Plan:
    agency: str
    title: str
    kind: str
    days: int  # first session relative to today (negative = past)
    sessions: int
    rooms: list[str]
    categories: list[tuple[str, int, str]]  # (name, seats, audience)
    status: str
    registrants: int
    hours: int = 8
    start_hour: int = 9
    selection: bool = False
    post_test: int | None = 70
    audience: str = ""
    description: str = ""
    outcomes: str = ""
    subsectors: list[str] = field(default_factory=list)
    online: bool = False


PLANS = [
    Plan(
        "diskominfo",
        "Bimtek Konten Kreator: Branding Kota",
        "bimtek",
        10,
        2,
        ["ruang-workshop"],
        [("Umum", 30, "semua")],
        "published",
        45,
        hours=16,
        audience="Konten kreator dan calon konten kreator warga kota",
        description=(
            "Bimbingan teknis dua hari bagi konten kreator untuk membuat konten yang "
            "membangun citra kota: riset ide, penulisan naskah, pengambilan gambar dengan "
            "ponsel, penyuntingan, dan mengubah kanal media sosial menjadi nilai ekonomi."
        ),
        outcomes=(
            "Peserta mampu merencanakan kalender konten bertema kota.\n"
            "Peserta mampu memproduksi video pendek yang layak tayang.\n"
            "Peserta memahami cara memonetisasi kanal media sosial."
        ),
        subsectors=["aplikasi", "film-animasi-video", "fotografi"],
    ),
    Plan(
        "diskominfo",
        "Pelatihan Konten Kreator Angkatan I",
        "pelatihan",
        -45,
        2,
        ["ruang-workshop"],
        [("Umum", 30, "semua")],
        "finished",
        34,
        hours=16,
        audience="Pemuda dan pelaku UMKM",
        description="Angkatan pertama pelatihan konten kreator: dasar-dasar produksi konten.",
        subsectors=["film-animasi-video"],
    ),
    Plan(
        "diskopindag",
        "Workshop Fotografi Produk UMKM",
        "workshop",
        -20,
        1,
        ["studio-foto"],
        [("UMKM binaan", 12, "umum"), ("Umum", 8, "semua")],
        "finished",
        24,
        hours=6,
        post_test=None,
        audience="Pelaku UMKM binaan Diskopindag",
        description="Memotret produk dengan ponsel untuk katalog dan marketplace.",
        subsectors=["fotografi", "kuliner"],
    ),
    Plan(
        "diskopindag",
        "Pelatihan Pemasaran Digital untuk UMKM",
        "pelatihan",
        0,
        2,
        ["coworking"],
        [("Umum", 30, "semua"), ("ASN", 10, "asn")],
        "closed",
        44,
        hours=12,
        audience="Pelaku UMKM dan ASN pendamping UMKM",
        description="Marketplace, iklan media sosial, dan katalog WhatsApp Business.",
        subsectors=["kuliner", "kriya", "fesyen"],
    ),
    Plan(
        "diskominfo",
        "Pelatihan Jurnalistik Warga (Pewarta Warga)",
        "pelatihan",
        24,
        2,
        ["ruang-rapat-3a"],
        [("Umum", 20, "semua")],
        "published",
        16,
        selection=True,
        audience="Warga yang ingin mengangkat potensi kelurahannya",
        description=(
            "Menulis berita, memotret, dan memverifikasi informasi untuk portal pewarta "
            "warga. Peserta dipilih dari alasan mengikuti yang ditulis saat mendaftar."
        ),
        subsectors=["penerbitan"],
    ),
    Plan(
        "diskominfo",
        "Bimtek Konten Kreator untuk ASN dan Masyarakat",
        "bimtek",
        35,
        3,
        ["auditorium"],
        [("Umum", 70, "semua"), ("ASN", 70, "asn")],
        "published",
        75,
        hours=24,
        audience="70 kursi masyarakat umum dan 70 kursi ASN",
        description="Kelas besar tiga hari, seperti angkatan 2021 yang penuh dalam hitungan jam.",
        subsectors=["film-animasi-video", "periklanan"],
    ),
    Plan(
        "diskominfo",
        "Webinar Monetisasi Kanal YouTube",
        "workshop",
        14,
        1,
        [],
        [("Umum", 200, "semua")],
        "published",
        18,
        hours=2,
        start_hour=19,
        post_test=None,
        online=True,
        description="Syarat monetisasi, sponsor, dan afiliasi. Daring lewat Zoom.",
        subsectors=["film-animasi-video"],
    ),
    Plan(
        "diskopindag",
        "Kelas Kemasan Produk Kuliner",
        "workshop",
        30,
        1,
        ["food-lab"],
        [("Umum", 20, "semua")],
        "draft",
        0,
        hours=4,
        post_test=None,
        description="Merancang kemasan yang menarik dan aman untuk produk kuliner.",
        subsectors=["kuliner", "desain-produk"],
    ),
    Plan(
        "diskopindag",
        "Workshop Animasi dengan Motion Capture",
        "workshop",
        6,
        1,
        ["animasi-mocap"],
        [("Umum", 10, "semua")],
        "cancelled",
        8,
        hours=6,
        post_test=None,
    ),
]
