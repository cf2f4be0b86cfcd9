"""The demo's musrenbang 2024 of Jakarta Pusat: its calendar, a catalogue and 1,451 proposals.

The totals are the real ones of the 2024 cycle (per kecamatan, fisik and pengadaan barang); each
proposal inside them is synthetic, drawn from a fixed seed so that every load gives the same data.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import translation

from areas.models import Area, Assignment, Role, TechnicalUnit, User
from musrenbang.demo.places import place
from proposals.models import (
    CatalogueItem,
    Category,
    Cycle,
    Event,
    Proposal,
    Recommendation,
    RejectionReason,
    Source,
    Status,
    Survey,
    rupiah_cost,
)
from proposals.services import office_of, proposal_code

JAKARTA = ZoneInfo("Asia/Jakarta")
SEED = 2024
YEAR = 2024

CALENDAR = {
    "code_prefix": "JP24",
    "rw_opens": datetime.date(2024, 1, 2),
    "rw_closes": datetime.date(2024, 2, 16),
    "pleno_pembuka_on": datetime.date(2024, 2, 26),
    "kelompok_opens": datetime.date(2024, 2, 27),
    "kelompok_closes": datetime.date(2024, 3, 5),
    "kecamatan_opens": datetime.date(2024, 3, 6),
    "kecamatan_closes": datetime.date(2024, 3, 14),
    "penutupan_on": datetime.date(2024, 3, 19),
    "quota_kelurahan": 5,
    "quota_kecamatan": 3,
}

# The proposals of musrenbang 2024 as the kota reported them.
PROPOSALS_PER_KECAMATAN = {
    "Gambir": 137,
    "Sawah Besar": 195,
    "Kemayoran": 303,
    "Senen": 183,
    "Cempaka Putih": 113,
    "Menteng": 133,
    "Tanah Abang": 223,
    "Johar Baru": 164,
}
PENGADAAN_TOTAL = 379  # 26.12 % of 1,451; the other 1,072 are fisik

SUBMITTED_PER_KECAMATAN = 3  # left for the lurah to validate, so the demo has work waiting
SURVEYED_SHARE = 0.65
RECOMMENDED_SHARE = 0.8
# Kenari is where the demo's sidang kelompok ranks its top 5: it needs enough accepted, surveyed
# and recommended candidates to choose from.
KENARI_CODE = "31.71.04.1002"
KENARI_RECOMMENDED = 8

# The survey window: UKPD officers survey in February, before the sessions start.
SURVEYS_OPEN = datetime.date(2024, 2, 1)
SURVEYS_CLOSE = datetime.date(2024, 2, 29)
# The lurah validates before the opening plenary of 26 February.
LAST_VALIDATION = datetime.datetime(2024, 2, 23, 15, 0, tzinfo=JAKARTA)

F, P, N = Category.FISIK, Category.PENGADAAN, Category.NON_FISIK

# The kamus usulan by responsible unit (TechnicalUnit.code of musrenbang.demo.UNITS):
# code, name, category, sector (bidang), measure (satuan), indicative unit price in rupiah.
CATALOGUE = {
    "binamarga": [
        ("BM-01", "Betonisasi jalan lingkungan", F, "Jalan", "m2", 425_000),
        ("BM-02", "Perbaikan jalan lingkungan", F, "Jalan", "m2", 285_000),
        ("BM-03", "Penerangan jalan lingkungan", F, "Penerangan jalan", "titik", 9_750_000),
        ("BM-04", "Perbaikan trotoar", F, "Jalan", "m2", 675_000),
    ],
    "sda": [
        ("SDA-01", "Perbaikan saluran air", F, "Saluran air", "m", 1_350_000),
        ("SDA-02", "Pembangunan sumur resapan", F, "Saluran air", "titik", 8_900_000),
        ("SDA-03", "Pengerukan saluran", F, "Saluran air", "m3", 195_000),
        ("SDA-04", "Penggantian tutup saluran", F, "Saluran air", "m", 485_000),
    ],
    "prkp": [
        ("PRKP-01", "Rehab pos RW", F, "Sarana RW", "paket", 78_500_000),
        ("PRKP-02", "Pemasangan paving block gang", F, "Jalan", "m2", 245_000),
        ("PRKP-03", "Rehab MCK umum", F, "Sanitasi", "paket", 115_000_000),
        ("PRKP-04", "Rehab ruang serbaguna RW", F, "Sarana RW", "paket", 145_000_000),
    ],
    "pertamanan": [
        ("TMN-01", "Penataan taman lingkungan (RTH)", F, "Taman dan RTH", "m2", 385_000),
        ("TMN-02", "Penanaman pohon peneduh", F, "Taman dan RTH", "batang", 850_000),
    ],
    "perhubungan": [
        ("HUB-01", "Pemasangan rambu lalu lintas", F, "Lalu lintas", "unit", 3_250_000),
        ("HUB-02", "Pemasangan cermin tikungan", F, "Lalu lintas", "unit", 4_600_000),
        ("HUB-03", "Pembuatan polisi tidur", F, "Lalu lintas", "unit", 2_850_000),
    ],
    "damkar": [
        ("DMK-01", "Pemasangan hidran lingkungan", F, "Kebakaran", "titik", 68_000_000),
        ("DMK-02", "Pengadaan alat pemadam api ringan (APAR)", P, "Kebakaran", "unit", 1_150_000),
        ("DMK-03", "Pelatihan pemadam kebakaran", N, "Kebakaran", "orang", 750_000),
    ],
    "citata": [
        ("CKT-01", "Rehab gedung posyandu", F, "Kesehatan", "paket", 135_000_000),
    ],
    "sosial": [
        ("SOS-01", "Pengadaan tenda serbaguna", P, "Sarana RW", "unit", 12_500_000),
        ("SOS-02", "Pengadaan kursi lipat", P, "Sarana RW", "unit", 285_000),
        ("SOS-03", "Pengadaan meja lipat", P, "Sarana RW", "unit", 875_000),
        ("SOS-04", "Pengadaan sound system", P, "Sarana RW", "paket", 14_750_000),
    ],
    "lingkunganhidup": [
        ("LH-01", "Pengadaan gerobak sampah", P, "Kebersihan", "unit", 4_350_000),
        ("LH-02", "Pengadaan tong sampah terpilah", P, "Kebersihan", "set", 2_750_000),
        ("LH-03", "Pengadaan motor sampah roda tiga", P, "Kebersihan", "unit", 39_500_000),
        ("LH-04", "Sosialisasi pemilahan sampah", N, "Kebersihan", "paket", 7_500_000),
    ],
    "kominfotik": [
        ("KOM-01", "Pengadaan komputer sekretariat RW", P, "Sarana RW", "unit", 11_750_000),
        ("KOM-02", "Pengadaan printer sekretariat RW", P, "Sarana RW", "unit", 3_650_000),
        ("KOM-03", "Pengadaan CCTV lingkungan", P, "Keamanan", "titik", 6_850_000),
    ],
    "kesehatan": [
        ("KES-01", "Pengadaan alat posyandu (timbangan)", P, "Kesehatan", "paket", 4_850_000),
        ("KES-02", "Pelatihan kader posyandu", N, "Kesehatan", "orang", 650_000),
    ],
    "pora": [
        ("PORA-01", "Pengadaan peralatan olahraga", P, "Olahraga", "paket", 7_250_000),
        ("PORA-02", "Perbaikan lapangan olahraga", F, "Olahraga", "m2", 325_000),
    ],
    "ppkukm": [
        ("UKM-01", "Pengadaan mesin jahit PKK", P, "Ekonomi", "unit", 3_350_000),
        ("UKM-02", "Pelatihan keterampilan UMKM", N, "Ekonomi", "orang", 1_250_000),
    ],
    "kpkp": [
        ("KPKP-01", "Pengadaan peralatan urban farming", P, "Ketahanan pangan", "paket", 6_250_000),
    ],
    "ppapp": [
        ("PPAPP-01", "Pengadaan alat permainan edukatif PAUD", P, "Anak", "paket", 5_500_000),
        ("PPAPP-02", "Pelatihan pengasuhan anak", N, "Anak", "orang", 500_000),
    ],
}

# What the demo's RWs ask for: the volume range of one proposal, and how often the item is
# chosen (drains and lanes dominate a Jakarta musrenbang). Items left out are never proposed.
DEMAND = {
    "BM-01": (40, 300, 14),
    "BM-02": (60, 500, 8),
    "BM-03": (2, 12, 9),
    "BM-04": (20, 150, 3),
    "SDA-01": (20, 150, 18),
    "SDA-02": (2, 10, 7),
    "SDA-03": (15, 120, 8),
    "SDA-04": (20, 120, 5),
    "PRKP-01": (1, 1, 5),
    "PRKP-02": (40, 300, 11),
    "PRKP-03": (1, 1, 3),
    "PRKP-04": (1, 1, 2),
    "TMN-01": (30, 250, 3),
    "TMN-02": (10, 50, 3),
    "HUB-01": (2, 10, 2),
    "HUB-02": (1, 6, 4),
    "HUB-03": (2, 8, 3),
    "DMK-01": (1, 3, 2),
    "CKT-01": (1, 1, 2),
    "PORA-02": (100, 400, 2),
    "SOS-01": (1, 3, 8),
    "SOS-02": (20, 100, 8),
    "SOS-03": (5, 20, 4),
    "SOS-04": (1, 1, 5),
    "LH-01": (1, 4, 6),
    "LH-02": (2, 10, 6),
    "LH-03": (1, 1, 3),
    "DMK-02": (5, 20, 6),
    "KOM-01": (1, 2, 5),
    "KOM-02": (1, 2, 3),
    "KOM-03": (2, 8, 8),
    "KES-01": (1, 3, 5),
    "PORA-01": (1, 2, 4),
    "UKM-01": (2, 6, 3),
    "KPKP-01": (1, 3, 4),
    "PPAPP-01": (1, 2, 2),
}


class Item(NamedTuple):
    """One catalogue entry with what the demo's RWs ask for."""

    unit: str
    code: str
    name: str
    category: str
    sector: str
    measure: str
    unit_price: int
    low: int = 0
    high: int = 0
    weight: int = 0


ITEMS = [
    Item(unit, *row, *DEMAND.get(row[0], ())) for unit, rows in CATALOGUE.items() for row in rows
]

# What an RW writes under "permasalahan dan alasan": by item where its sector's words would not
# fit, else by sector. {rt}, {rw} and {kelurahan} are filled in.
PROBLEMS = {
    "SDA-02": [
        "Air hujan di RT {rt} tidak meresap karena hampir seluruh lahan tertutup bangunan dan "
        "beton; genangan bertahan lama setelah hujan.",
        "Sumur warga di RT {rt} mulai kering saat kemarau; warga ingin menambah resapan air hujan.",
    ],
    "PRKP-01": [
        "Pos {rw} atapnya bocor dan dindingnya retak, padahal dipakai untuk ronda, posyandu dan "
        "pelayanan warga.",
    ],
    "SOS-04": [
        "Rapat warga, pengajian dan kegiatan 17 Agustus di {rw} selama ini menyewa pengeras suara.",
    ],
    "Jalan": [
        "Jalan lingkungan di RT {rt} rusak dan berlubang; saat hujan tergenang dan licin sehingga "
        "membahayakan warga, terutama lansia dan anak sekolah.",
        "Permukaan gang di RT {rt} retak dan amblas di beberapa titik. Gang ini jalur utama warga "
        "menuju jalan raya dan pasar.",
        "Jalan tidak rata dan sering membuat pengendara motor terjatuh. Perbaikan sudah diusulkan "
        "sejak musrenbang tahun lalu.",
    ],
    "Penerangan jalan": [
        "Gang di RT {rt} gelap pada malam hari sehingga rawan kejahatan dan kecelakaan; lampu yang "
        "ada sudah mati.",
        "Warga yang pulang kerja malam melewati jalan tanpa penerangan. Petugas ronda melaporkan "
        "beberapa kali pencurian sepeda motor.",
    ],
    "Saluran air": [
        "Saluran di RT {rt} tersumbat sedimen dan sampah sehingga air meluap ke rumah warga setiap "
        "hujan deras.",
        "Dinding saluran retak dan tutupnya banyak yang patah; genangan bertahan berjam-jam "
        "setelah hujan dan menjadi sarang nyamuk.",
        "Pada banjir awal tahun air di RT {rt} mencapai 30–50 cm karena air hujan tidak tertampung "
        "saluran lingkungan.",
    ],
    "Sarana RW": [
        "Kegiatan warga {rw} (rapat, posyandu, kerja bakti, pengajian) selama ini meminjam "
        "peralatan dan tempat dari RW lain.",
        "Sarana sekretariat {rw} sudah rusak dan tidak layak pakai, sehingga pelayanan surat "
        "pengantar warga terhambat.",
        "{rw} belum memiliki sarana bersama untuk kegiatan sosial, musyawarah warga dan saat ada "
        "warga yang berduka.",
    ],
    "Sanitasi": [
        "MCK umum di RT {rt} dipakai puluhan keluarga yang tidak memiliki kamar mandi sendiri; "
        "atapnya bocor dan septic tank sudah penuh.",
        "Kloset dan pintu MCK umum rusak dan air bersih tidak mengalir, sehingga sebagian warga "
        "kembali membuang limbah ke saluran.",
    ],
    "Taman dan RTH": [
        "Lahan kosong di RT {rt} tidak terawat dan menjadi tempat pembuangan sampah liar; warga "
        "ingin menjadikannya taman.",
        "Lingkungan {rw} padat dan panas, hampir tidak ada pohon peneduh maupun ruang terbuka "
        "untuk bermain anak.",
    ],
    "Lalu lintas": [
        "Tikungan di RT {rt} tanpa cermin dan rambu sehingga sering terjadi tabrakan sepeda motor.",
        "Kendaraan melaju kencang di jalan lingkungan yang ramai anak-anak; warga meminta "
        "pengendali kecepatan dan rambu peringatan.",
    ],
    "Kebakaran": [
        "Permukiman {rw} sangat padat dengan gang sempit yang sulit dimasuki mobil pemadam; "
        "kebakaran terakhir cepat merambat ke rumah tetangga.",
        "Belum ada sarana pemadaman awal di lingkungan {rw}, padahal banyak rumah masih memakai "
        "instalasi listrik lama.",
    ],
    "Keamanan": [
        "Terjadi beberapa kasus pencurian kendaraan dan tawuran di wilayah {rw}; warga membutuhkan "
        "pemantauan lingkungan.",
        "Pos ronda tidak dapat mengawasi seluruh gang; rekaman kamera diperlukan untuk membantu "
        "Bhabinkamtibmas dan warga.",
    ],
    "Kebersihan": [
        "Sampah di {rw} menumpuk karena sarana angkut yang ada sudah rusak dan pengangkutan ke TPS "
        "sering terlambat.",
        "Warga mulai memilah sampah lewat bank sampah, tetapi belum ada sarana terpilah di "
        "lingkungan {rw}.",
    ],
    "Kesehatan": [
        "Posyandu di {rw} melayani lebih dari 80 balita setiap bulan dengan peralatan yang sudah "
        "rusak dan tidak akurat.",
        "Masih ditemukan balita stunting di {rw}; kader membutuhkan sarana pelayanan yang layak.",
    ],
    "Olahraga": [
        "Pemuda dan karang taruna {rw} aktif berolahraga, tetapi sarana yang ada sudah rusak.",
        "Lapangan di {rw} menjadi satu-satunya tempat olahraga warga; permukaannya rusak dan "
        "berbahaya.",
    ],
    "Ekonomi": [
        "Ibu-ibu PKK {rw} menjalankan usaha jahit rumahan dan perlu peralatan untuk menambah "
        "produksi dan penghasilan keluarga.",
    ],
    "Ketahanan pangan": [
        "Kelompok tani {rw} menanam sayur di lahan sempit dan atap rumah; peralatan hidroponik "
        "akan menambah hasil panen.",
    ],
    "Anak": [
        "PAUD di {rw} kekurangan alat permainan edukatif untuk anak usia dini.",
    ],
}

# A UKPD officer's findings when recommending; when not, why (with how often each reason occurs).
FINDINGS = [
    "Lokasi sesuai usulan dan kerusakan terkonfirmasi. Volume hasil ukur {volume} {measure}.",
    "Dicek bersama ketua RW dan LMK; pekerjaan dapat dilaksanakan, volume {volume} {measure}.",
    "Lahan milik Pemprov DKI Jakarta dan akses pekerjaan memadai. Volume {volume} {measure}.",
]
REJECTIONS = {
    RejectionReason.NOT_PROVINCE_ASSET: (
        3,
        "Lahan pengembang, belum diserahkan sebagai fasos-fasum.",
    ),
    RejectionReason.BELOW_STANDARD: (2, "Lebar gang kurang dari 1,2 m, di bawah standar teknis."),
    RejectionReason.STILL_ADEQUATE: (4, "Masih berfungsi; cukup pemeliharaan rutin oleh PPSU."),
    RejectionReason.ALREADY_BUDGETED: (3, "Lokasi sudah masuk kegiatan pemeliharaan TA 2024."),
    RejectionReason.OTHER: (1, "Beririsan dengan rencana proyek saluran penghubung kota."),
}

STREET_SUFFIXES = ["Raya", "I", "II", "III", "IV", "V", "VI", "Dalam", "Baru"]
ALLEYS = ["Masjid", "Langgar", "Musala", "Kelor", "Sawo", "Jambu", "Delima", "Haji Ali", "Karet"]
# Measures counted in whole pieces; the others are measured and may have decimals.
WHOLE_MEASURES = {"unit", "titik", "paket", "batang", "orang", "set"}


@transaction.atomic
def demo_cycle_load(*, kota: Area) -> Cycle:
    """Create (or keep) the 2024 cycle, its catalogue and, once, its proposals. Idempotent."""
    cycle, _ = Cycle.objects.get_or_create(kota=kota, year=YEAR, defaults=CALENDAR)
    items = _catalogue_ensure(kota)
    # Proposals are generated once: a second load must neither duplicate nor reshuffle them.
    if not cycle.proposals.exists():
        with translation.override("id"):  # offices and notes are stored as the public reads them
            _proposals_create(cycle, items)
    return cycle


def cycle_counts(kota: Area) -> dict[str, int]:
    return {
        "catalogue": CatalogueItem.objects.filter(unit__kota=kota).count(),
        # The RWs' proposals of 2024 (the kota's real total); the DPRD's pokir (demo/pokir.py,
        # in the cycle now open) apart.
        "proposals": Proposal.objects.filter(
            cycle__kota=kota, cycle__year=YEAR, source=Source.RW
        ).count(),
        "pokir": Proposal.objects.filter(cycle__kota=kota, source=Source.POKIR).count(),
        "surveys": Survey.objects.filter(proposal__cycle__kota=kota).count(),
    }


def _catalogue_ensure(kota: Area) -> dict[str, CatalogueItem]:
    units = {u.code: u for u in TechnicalUnit.objects.filter(kota=kota)}
    items = {}
    for item in ITEMS:
        items[item.code], _ = CatalogueItem.objects.update_or_create(
            unit=units[item.unit],
            code=item.code,
            defaults={
                "name": item.name,
                "category": item.category,
                "sector": item.sector,
                "measure": item.measure,
                "unit_price": item.unit_price,
            },
        )
    return items


@dataclass
class _Draft:
    """One proposal before it is stored, with the rest of its journey."""

    proposal: Proposal
    accepted_at: datetime.datetime | None = None
    survey: Survey | None = None


def _proposals_create(cycle: Cycle, items: dict[str, CatalogueItem]) -> None:
    drafts = _drafts(cycle, items)
    # Numbers follow the order in which the RWs entered their proposals, as in the live system.
    drafts.sort(key=lambda d: (d.proposal.created_at, d.proposal.rw.code))
    for number, draft in enumerate(drafts, start=1):
        draft.proposal.cycle = cycle
        draft.proposal.number = number
        draft.proposal.code = proposal_code(cycle, number)
    place([d.proposal for d in drafts])
    Proposal.objects.bulk_create([d.proposal for d in drafts], batch_size=500)
    Cycle.objects.filter(pk=cycle.pk).update(last_number=len(drafts))
    cycle.last_number = len(drafts)
    # Not every backend hands back primary keys from bulk_create; read them by number.
    ids = dict(cycle.proposals.values_list("number", "pk"))
    for draft in drafts:
        draft.proposal.pk = ids[draft.proposal.number]
        if draft.survey:
            draft.survey.proposal = draft.proposal
    Survey.objects.bulk_create([d.survey for d in drafts if d.survey], batch_size=500)
    Event.objects.bulk_create(_events(drafts, cycle.kota), batch_size=1000)


def _slots(rng: random.Random, rws: list[Area]) -> tuple[list[Area], set[int], set[int]]:
    """The RW of each proposal, in order, and which of them are left waiting for the lurah and
    which are pengadaan. Every RW proposes at least once; the rest of its kecamatan's total
    falls on random RWs."""
    by_kecamatan: dict[str, list[Area]] = {}
    for rw in rws:
        by_kecamatan.setdefault(rw.parent.parent.name, []).append(rw)
    if set(by_kecamatan) != set(PROPOSALS_PER_KECAMATAN):
        raise ValueError("Proposals of the demo need the RWs of every kecamatan of Jakarta Pusat.")
    slots: list[Area] = []
    waiting: set[int] = set()
    for name, total in PROPOSALS_PER_KECAMATAN.items():
        members = by_kecamatan[name]
        picks = members + [rng.choice(members) for _ in range(total - len(members))]
        picks.sort(key=lambda rw: rw.code)
        outside_kenari = [
            len(slots) + i for i, rw in enumerate(picks) if rw.parent.code != KENARI_CODE
        ]
        waiting.update(rng.sample(outside_kenari, SUBMITTED_PER_KECAMATAN))
        slots += picks
    pengadaan = set(rng.sample(range(len(slots)), PENGADAAN_TOTAL))
    return slots, waiting, pengadaan


def _drafts(cycle: Cycle, items: dict[str, CatalogueItem]) -> list[_Draft]:
    rng = random.Random(SEED)
    rws = list(
        Area.objects.rw().within(cycle.kota).select_related("parent__parent").order_by("code")
    )
    slots, waiting, pengadaan = _slots(rng, rws)
    authors = _first_users(Role.RW, "area_id", area__in=rws)
    officers = _first_users(Role.UKPD, "unit_id", unit__kota=cycle.kota)
    choices = {
        category: [i for i in ITEMS if i.category == category and i.weight] for category in (F, P)
    }
    drafts = []
    kenari_recommended = 0
    for index, rw in enumerate(slots):
        options = choices[P if index in pengadaan else F]
        item = rng.choices(options, weights=[i.weight for i in options])[0]
        draft = _draft(rng, rw, item, items[item.code], authors[rw.pk])
        drafts.append(draft)
        if index in waiting:
            continue
        proposal = draft.proposal
        proposal.status = Status.ACCEPTED
        draft.accepted_at = _office_hours(
            rng, proposal.submitted_at + datetime.timedelta(days=rng.randint(1, 5))
        )
        in_kenari = rw.parent.code == KENARI_CODE
        if item.category != F or not (in_kenari or rng.random() < SURVEYED_SHARE):
            continue
        recommended = rng.random() < RECOMMENDED_SHARE or (
            in_kenari and kenari_recommended < KENARI_RECOMMENDED
        )
        if in_kenari and recommended:
            kenari_recommended += 1
        draft.survey = _survey(rng, draft, officers[proposal.target_unit_id], recommended)
        proposal.recommendation = draft.survey.recommendation
    return drafts


def _events(drafts: list[_Draft], kota: Area) -> list[Event]:
    """Each proposal's journey: entered and submitted by the RW, accepted, surveyed."""
    lurahs = _first_users(Role.LURAH, "area_id", area__code__startswith=kota.code + ".")
    unit_offices: dict[int, str] = {}  # office_of reads an officer's unit: once per officer
    events = []
    for draft in drafts:
        proposal = draft.proposal
        rw, author = proposal.rw, proposal.created_by
        rw_office = office_of(author, Role.RW, rw)
        steps = [
            (Event.Action.CREATED, author, rw_office, proposal.created_at, ""),
            (Event.Action.SUBMITTED, author, rw_office, proposal.submitted_at, ""),
        ]
        if draft.accepted_at:
            lurah = lurahs[rw.parent_id]
            lurah_office = office_of(lurah, Role.LURAH, rw.parent)
            steps.append((Event.Action.ACCEPTED, lurah, lurah_office, draft.accepted_at, ""))
        if survey := draft.survey:
            officer = survey.officer
            if officer.pk not in unit_offices:
                unit_offices[officer.pk] = office_of(officer, Role.UKPD)
            note = survey.get_recommendation_display()
            if survey.reason:
                note += f": {survey.get_reason_display()} — {survey.reason_note}"
            steps.append(
                (Event.Action.SURVEYED, officer, unit_offices[officer.pk], survey.recorded_at, note)
            )
        events += [
            Event(
                proposal=proposal, action=action, actor=user, actor_office=office, at=at, note=text
            )
            for action, user, office, at, text in steps
        ]
    return events


def _address(rng: random.Random, rw: Area, item: Item) -> str:
    """Where the work is done: a street or alley; goods belong to the RW as a whole and are kept
    at its secretariat."""
    street = f"Jl. {rw.parent.name} {rng.choice(STREET_SUFFIXES)}"
    if item.category == F:
        return rng.choice(
            [f"{street} Gg. {rng.randint(1, 12)}", f"{street} Gg. {rng.choice(ALLEYS)}", street]
        )
    return f"Sekretariat {rw.display_name}, {street} No. {rng.randint(1, 120)}"


def _title(item: Item, rt: str, rw: Area) -> str:
    if item.category == F and item.sector != "Sarana RW":
        return f"{item.name} RT {rt} {rw.display_name}"
    # "Rehab pos RW 007 Kenari", not "Rehab pos RW RW 007 Kenari".
    return f"{item.name.removesuffix(' RW')} {rw.display_name}"


def _draft(rng: random.Random, rw: Area, item: Item, entry: CatalogueItem, author: User) -> _Draft:
    kelurahan = rw.parent
    rt = f"{rng.randint(1, 12):03d}"
    address = _address(rng, rw, item)
    title = _title(item, rt, rw)
    low, high = item.low, item.high
    volume = rng.randint(low, high)
    if high >= 50:
        volume = max(low, volume // 5 * 5)  # lengths and areas are estimated in round figures
    problem = rng.choice(PROBLEMS.get(item.code) or PROBLEMS[item.sector]).format(
        rt=rt, rw=f"RW {rw.code.rsplit('.', 1)[-1]}", kelurahan=kelurahan.name
    )
    created_at = _evening_before_deadline(rng)
    # The RW submits after its rembuk, within a couple of days and before the window closes.
    closes = datetime.datetime.combine(CALENDAR["rw_closes"], datetime.time(23, 0), JAKARTA)
    submitted_at = min(
        created_at + datetime.timedelta(minutes=rng.randint(30, 3 * 24 * 60)), closes
    )
    proposal = Proposal(
        rw=rw,
        kelurahan_id=kelurahan.pk,
        kecamatan_id=kelurahan.parent_id,
        kota_id=kelurahan.parent.parent_id,
        title=title,
        problem=problem,
        catalogue_item=entry,
        category=item.category,
        target_unit_id=entry.unit_id,
        address=address,
        rt=rt,
        volume=Decimal(volume),
        measure=item.measure,
        unit_price=item.unit_price,
        cost=rupiah_cost(Decimal(volume), item.unit_price),
        beneficiaries=rng.randint(5, 150) * 10,
        status=Status.SUBMITTED,
        created_by=author,
        created_at=created_at,
        submitted_at=submitted_at,
    )
    return _Draft(proposal)


def _evening_before_deadline(rng: random.Random) -> datetime.datetime:
    """When an RW enters a proposal: more of them as the deadline nears, mostly after work."""
    opens = CALENDAR["rw_opens"]
    span = (CALENDAR["rw_closes"] - opens).days - 2
    day = opens + datetime.timedelta(days=round(rng.triangular(0, span, span * 0.8)))
    at = datetime.time(rng.choice([9, 10, 13, 16, 19, 19, 20, 20, 21]), rng.randint(0, 59))
    return datetime.datetime.combine(day, at, JAKARTA)


def _office_hours(rng: random.Random, moment: datetime.datetime) -> datetime.datetime:
    """A working-day moment on or after `moment`'s date, and never after LAST_VALIDATION."""
    day = moment.date()
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    at = datetime.time(rng.randint(8, 15), rng.randint(0, 59))
    return min(datetime.datetime.combine(day, at, JAKARTA), LAST_VALIDATION)


def _survey(rng: random.Random, draft: _Draft, officer: User, recommended: bool) -> Survey:
    proposal = draft.proposal
    first = max(draft.accepted_at.date() + datetime.timedelta(days=1), SURVEYS_OPEN)
    day = first + datetime.timedelta(days=rng.randint(0, (SURVEYS_CLOSE - first).days))
    while day.weekday() >= 5:  # the last weekend in the window still leaves a Monday in it
        day += datetime.timedelta(days=1)
    factor = Decimal(rng.randint(80, 120)) / 100
    if proposal.measure in WHOLE_MEASURES:
        revised = max(Decimal(1), (proposal.volume * factor).quantize(Decimal(1)))
    else:
        revised = (proposal.volume * factor).quantize(Decimal("0.1"))
    shown, measure = f"{revised.normalize():f}".replace(".", ","), proposal.measure
    survey = Survey(
        surveyed_on=day,
        officer=officer,
        revised_volume=revised,
        revised_cost=rupiah_cost(revised, proposal.unit_price),
        recorded_at=datetime.datetime.combine(
            day, datetime.time(rng.randint(14, 17), rng.randint(0, 59)), JAKARTA
        ),
    )
    if recommended:
        survey.recommendation = Recommendation.RECOMMENDED
        survey.findings = rng.choice(FINDINGS).format(volume=shown, measure=measure)
    else:
        reasons = list(REJECTIONS)
        reason = rng.choices(reasons, weights=[REJECTIONS[r][0] for r in reasons])[0]
        survey.recommendation = Recommendation.NOT_RECOMMENDED
        survey.reason = reason
        survey.reason_note = REJECTIONS[reason][1]
        survey.findings = f"Lokasi ditinjau bersama ketua RW; volume terukur {shown} {measure}."
    return survey


def _first_users(role: str, key: str, **filters) -> dict[int, User]:
    """The demo official holding `role`, by area or unit id (the first one, if several)."""
    found: dict[int, User] = {}
    assignments = Assignment.objects.filter(role=role, **filters).select_related("user")
    for assignment in assignments.order_by("user_id"):
        found.setdefault(getattr(assignment, key), assignment.user)
    return found
