"""After the decision: 2024's priorities decided and realised, the 2025 cycle open, the inboxes."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format

from areas.models import Area, Assignment, Role, User
from musrenbang.demo.photos import site_photo
from musrenbang.demo.proposals import KENARI_CODE
from notices.models import Notice
from notices.services import holders_by, notify_all
from proposals import notify
from proposals.carry import carried_confirm, carried_withdraw, cycle_open_next
from proposals.decisions import journey_note, rw_notice
from proposals.models import (
    Attachment,
    Cycle,
    Decision,
    Event,
    Progress,
    Proposal,
    Realisation,
    Stage,
    Status,
    SubActivity,
)
from proposals.realisation import progress_record
from proposals.services import decision_record, office_of

JAKARTA = ZoneInfo("Asia/Jakarta")
NEXT_YEAR, NEXT_PREFIX = 2025, "JP25"
# The planning office decides the kecamatan priorities in one sitting of its Renja desk.
DECIDED_AT = datetime.datetime(2024, 4, 23, 10, 0, tzinfo=JAKARTA)
# rw.kenari.001 keeps this many of its newest notices from before 2025 unread.
KENARI_UNREAD = 3

# The 2024 cycle's Renja nomenclature (Kepmendagri 050-5889): program, kegiatan, sub kegiatan,
# and the catalogue items each sub kegiatan takes.
PROGRAMS = {
    "1.03.10": "Program Penyelenggaraan Jalan",
    "1.03.03": "Program Pengelolaan dan Pengembangan Sistem Drainase",
    "1.04.04": "Program Kawasan Permukiman",
    "1.04.05": "Program Peningkatan Prasarana, Sarana dan Utilitas Umum (PSU)",
    "2.15.02": "Program Penyelenggaraan Lalu Lintas dan Angkutan Jalan (LLAJ)",
    "1.05.04": "Program Pencegahan, Penanggulangan, Penyelamatan Kebakaran dan Penyelamatan "
    "Non Kebakaran",
    "1.02.02": "Program Pemenuhan Upaya Kesehatan Perorangan dan Upaya Kesehatan Masyarakat",
    "1.06.06": "Program Pemberdayaan Sosial",
    "2.11.11": "Program Pengelolaan Persampahan",
}
ACTIVITIES = {
    "1.03.10.1.01": "Penyelenggaraan Jalan Provinsi",
    "1.03.03.1.01": "Pengelolaan dan Pengembangan Sistem Drainase Lingkungan",
    "1.04.04.1.02": "Penataan dan Peningkatan Kualitas Kawasan Permukiman",
    "1.04.05.1.01": "Urusan Penyelenggaraan PSU Perumahan",
    "2.15.02.1.04": "Penyediaan Perlengkapan Jalan di Jalan Provinsi",
    "1.05.04.1.01": "Pencegahan, Pengendalian, Pemadaman dan Penyelamatan Kebakaran",
    "1.02.02.1.01": "Penyediaan Fasilitas Pelayanan Kesehatan",
    "1.06.06.1.02": "Peningkatan Kapasitas Potensi Sumber Kesejahteraan Sosial",
    "2.11.11.1.01": "Pengelolaan Sampah",
}
SUB_ACTIVITIES = [
    ("1.03.10.1.01.0019", "Rehabilitasi Jalan Lingkungan", ["BM-01", "BM-02"]),
    ("1.03.10.1.01.0027", "Rehabilitasi Trotoar", ["BM-04"]),
    ("1.03.10.1.01.0031", "Penyediaan Penerangan Jalan Umum (PJU)", ["BM-03"]),
    (
        "1.03.03.1.01.0007",
        "Rehabilitasi Saluran Drainase Lingkungan",
        ["SDA-01", "SDA-03", "SDA-04"],
    ),
    ("1.03.03.1.01.0012", "Pembangunan Sumur Resapan", ["SDA-02"]),
    (
        "1.04.04.1.02.0005",
        "Rehabilitasi Sarana dan Prasarana Lingkungan RW",
        ["PRKP-01", "PRKP-02", "PRKP-04"],
    ),
    ("1.04.04.1.02.0010", "Rehabilitasi Sarana Sanitasi Komunal (MCK)", ["PRKP-03"]),
    (
        "1.04.05.1.01.0012",
        "Penataan Taman dan Ruang Terbuka Hijau Lingkungan",
        ["TMN-01", "TMN-02"],
    ),
    (
        "2.15.02.1.04.0001",
        "Pengadaan dan Pemasangan Perlengkapan Jalan (Rambu, Cermin, Pengendali Kecepatan)",
        ["HUB-01", "HUB-02", "HUB-03"],
    ),
    (
        "1.05.04.1.01.0008",
        "Pengadaan Sarana Pencegahan dan Pemadaman Kebakaran Lingkungan",
        ["DMK-01", "DMK-02"],
    ),
    ("1.02.02.1.01.0009", "Rehabilitasi dan Pemeliharaan Gedung Posyandu", ["CKT-01"]),
    ("1.02.02.1.01.0014", "Pengadaan Alat Kesehatan Posyandu", ["KES-01"]),
    (
        "1.06.06.1.02.0004",
        "Penyediaan Sarana Kegiatan Sosial Masyarakat RW",
        [
            "SOS-01",
            "SOS-02",
            "SOS-03",
            "SOS-04",
            "KOM-01",
            "KOM-02",
            "KOM-03",
            "PORA-01",
            "PORA-02",
            "UKM-01",
            "KPKP-01",
            "PPAPP-01",
        ],
    ),
    (
        "2.11.11.1.01.0004",
        "Penyediaan Sarana dan Prasarana Pengelolaan Sampah",
        ["LH-01", "LH-02", "LH-03"],
    ),
]

NOT_ACCOMMODATED = (
    "Pagu indikatif Suku Dinas untuk tahun anggaran 2025 sudah terpakai oleh usulan prioritas "
    "yang lebih mendesak; diusulkan kembali pada musrenbang 2025."
)
# What becomes of the kecamatan priorities, physical works first, in code order: the decision
# and its realisation reports (stage, percent, day, photos). The last stays not accommodated.
FATES = [
    (
        Decision.Kind.RENJA,
        [
            (Stage.PLANNING, 10, datetime.date(2025, 2, 12), 0),
            (Stage.PROCUREMENT, 25, datetime.date(2025, 4, 9), 0),
            (Stage.EXECUTION, 60, datetime.date(2025, 7, 16), 0),
            (Stage.DONE, 100, datetime.date(2025, 9, 24), 3),
        ],
    ),
    (
        Decision.Kind.CURRENT_BUDGET,
        [
            (Stage.PROCUREMENT, 20, datetime.date(2024, 6, 5), 0),
            (Stage.EXECUTION, 70, datetime.date(2024, 9, 11), 0),
            (Stage.DONE, 100, datetime.date(2024, 11, 20), 2),
        ],
    ),
    (
        Decision.Kind.RENJA,
        [
            (Stage.PLANNING, 10, datetime.date(2025, 3, 5), 0),
            (Stage.PROCUREMENT, 30, datetime.date(2025, 6, 18), 0),
            (Stage.EXECUTION, 60, datetime.date(2025, 10, 8), 1),
        ],
    ),
    (
        Decision.Kind.RENJA,
        [
            (Stage.PLANNING, 10, datetime.date(2025, 4, 2), 0),
            (Stage.PROCUREMENT, 25, datetime.date(2025, 8, 13), 0),
        ],
    ),
    (Decision.Kind.RENJA, []),
]
NOTES = {
    Stage.PLANNING: "Survei ulang lokasi bersama ketua RW; gambar kerja dan RAB disusun.",
    Stage.PROCUREMENT: "Paket pekerjaan dipesan melalui e-katalog; penyedia sudah ditetapkan.",
    Stage.EXECUTION: "Pekerjaan berjalan di lokasi; sekitar {percent} % volume terpasang.",
    Stage.DONE: "Pekerjaan selesai, diperiksa bersama ketua RW dan diserahterimakan; "
    "dokumentasi terlampir.",
}
WITHDRAWN = "Sudah dikerjakan swadaya warga bersama kelurahan pada akhir 2024."


def demo_aftermath_load(*, cycle: Cycle) -> None:
    """Once: decide and realise 2024's kecamatan priorities, open 2025 carrying what 2024 left,
    and fill the inboxes; a kota whose next cycle exists is left alone."""
    if Cycle.objects.filter(kota=cycle.kota_id, year=NEXT_YEAR).exists():
        return
    suban = User.objects.get(username="suban")
    journeys_tell(cycle)
    if not Decision.objects.filter(proposal__cycle=cycle).exists():
        subs = _sub_activities_ensure(cycle)
        for proposal, (kind, reports) in _fated(cycle):
            _decide(proposal, kind, subs, suban)
            for stage, percent, day, photos in reports:
                _report(proposal, stage, percent, day, photos)
    opened = _next_cycle_open(cycle, suban)
    _read_long_ago(opened)


def aftermath_counts(kota: Area) -> dict[str, int]:
    decided = Decision.objects.filter(proposal__cycle__kota=kota)
    return {
        "decisions": decided.count(),
        "realisations": Realisation.objects.filter(proposal__cycle__kota=kota).count(),
        "done": Realisation.objects.filter(proposal__cycle__kota=kota, stage=Stage.DONE).count(),
        "carried": Proposal.objects.filter(cycle__kota=kota, carried_from__isnull=False).count(),
        "next_year": NEXT_YEAR,
    }


# -- The planning office's decisions --------------------------------------------------------


def _sub_activities_ensure(cycle: Cycle) -> dict[str, SubActivity]:
    """The Renja lines, by the catalogue item code each takes."""
    by_item = {}
    for code, name, items in SUB_ACTIVITIES:
        activity = code.rsplit(".", 1)[0]
        program = activity.rsplit(".", 2)[0]
        line, _ = SubActivity.objects.get_or_create(
            cycle=cycle,
            code=code,
            defaults={
                "program_code": program,
                "program_name": PROGRAMS[program],
                "activity_code": activity,
                "activity_name": ACTIVITIES[activity],
                "name": name,
            },
        )
        by_item.update(dict.fromkeys(items, line))
    return by_item


def _fated(cycle: Cycle):
    """Each kecamatan priority with its fate; beyond the planned fates a Renja line without
    reports, and the last one not accommodated."""
    priorities = sorted(
        cycle.proposals.filter(status=Status.KECAMATAN_PRIORITY).select_related(
            "catalogue_item", "target_unit"
        ),
        key=lambda p: (p.category != "fisik", p.code),
    )
    fates = []
    for i, proposal in enumerate(priorities):
        if i == len(priorities) - 1 and i > 0:
            fates.append((proposal, (Decision.Kind.NOT_ACCOMMODATED, [])))
        else:
            fates.append((proposal, FATES[i] if i < len(FATES) else (Decision.Kind.RENJA, [])))
    return fates


def _decide(proposal: Proposal, kind: str, subs: dict, suban: User) -> None:
    """The decision by the planning office, then moved to its day in April 2024 with the
    journey, the realisation and the notice that tell of it."""
    if kind in Decision.ACCOMMODATED:
        decision = decision_record(
            proposal=proposal, kind=kind, by=suban, sub_activity=subs[proposal.catalogue_item.code]
        )
    else:
        decision = decision_record(proposal=proposal, kind=kind, by=suban, reason=NOT_ACCOMMODATED)
    at = DECIDED_AT + datetime.timedelta(minutes=7 * proposal.number % 240)
    Decision.objects.filter(pk=decision.pk).update(decided_at=at)
    Event.objects.filter(proposal=proposal, action=Event.Action.DECIDED).update(at=at)
    Realisation.objects.filter(proposal=proposal).update(started_on=at.date())
    decision.decided_at = at
    with notify.stored_language():
        office = office_of(suban, Role.PLANNING, proposal.cycle.kota)
        _, _subject, text = rw_notice(
            proposal, decision, office=office, note=journey_note(decision)
        )
    Notice.objects.filter(kind="decided", subject__startswith=f"{proposal.code}:").update(
        text=text, created_at=at
    )


def _report(proposal: Proposal, stage: str, percent: int, day: datetime.date, photos: int):
    """The unit's officer reports on `day`; what it writes is moved to that afternoon."""
    realisation = Realisation.objects.select_related("unit").get(proposal=proposal)
    unit = realisation.unit
    officer = User.objects.get(username=f"ukpd.{unit.code}")
    with notify.stored_language():
        caption = f"Dokumentasi {unit.name} — {date_format(day, 'j F Y')}"
    uploads = [
        SimpleUploadedFile(
            f"dokumentasi-{proposal.code.lower()}-{n}.jpg",
            site_photo(
                sector=proposal.catalogue_item.sector,
                caption=caption,
                seed=proposal.number * 10 + n,
            ),
            content_type="image/jpeg",
        )
        for n in range(1, photos + 1)
    ]
    told, events = _last_notice_pk(), _last_event_pk()
    progress = progress_record(
        realisation=realisation,
        stage=stage,
        percent=percent,
        reported_on=day,
        note=NOTES[stage].format(percent=percent),
        reason="",
        photos=uploads,
        by=officer,
    )
    at = datetime.datetime.combine(day, datetime.time(15, 10 + progress.pk % 40), JAKARTA)
    Progress.objects.filter(pk=progress.pk).update(recorded_at=at)
    Attachment.objects.filter(progress=progress).update(uploaded_at=at)
    Event.objects.filter(pk__gt=events).update(at=at)
    Notice.objects.filter(pk__gt=told).update(created_at=at)


def _last_notice_pk() -> int:
    return Notice.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


# -- The 2025 cycle -------------------------------------------------------------------------


def _next_cycle_open(cycle: Cycle, suban: User) -> datetime.datetime:
    """The planning office opened 2025 a week ago; its RW window stays open for weeks to come.
    A few RWs of Gambir and Menteng have answered since; RW 001 Kenari has not yet."""
    today = timezone.localdate()
    opened = datetime.datetime.combine(
        today - datetime.timedelta(days=7), datetime.time(8), JAKARTA
    )
    told, events = _last_notice_pk(), _last_event_pk()
    nxt = cycle_open_next(
        previous=cycle,
        year=NEXT_YEAR,
        code_prefix=NEXT_PREFIX,
        rw_opens=today - datetime.timedelta(days=7),
        rw_closes=today + datetime.timedelta(days=45),
        by=suban,
    )
    Notice.objects.filter(pk__gt=told).update(created_at=opened)
    Event.objects.filter(pk__gt=events).update(at=opened)
    nxt.proposals.update(created_at=opened)
    _answers(nxt, opened + datetime.timedelta(days=2, hours=11))
    return opened


def _last_event_pk() -> int:
    return Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _answers(cycle: Cycle, at: datetime.datetime) -> None:
    """Four RWs of Gambir and Menteng answer: two keep their first carried proposal, two
    withdraw theirs; four RWs of Kenari keep theirs."""
    told, events = _last_notice_pk(), _last_event_pk()
    firsts = {}
    carried = cycle.proposals.filter(kecamatan__code__in=["31.71.01", "31.71.06"]).order_by("code")
    for proposal in carried.select_related("rw", "cycle"):
        firsts.setdefault(proposal.rw_id, proposal)
    ketua = {a.area_id: a.user for a in _rw_assignments(list(firsts)[:4])}
    for i, (rw_id, proposal) in enumerate(list(firsts.items())[:4]):
        if i % 2 == 0:
            carried_confirm(proposal=proposal, by=ketua[rw_id])
        else:
            carried_withdraw(proposal=proposal, by=ketua[rw_id], reason=WITHDRAWN)
    # Four of Kenari's RWs keep their first carried proposal, so lurah.kenari has submissions
    # to validate; its RW 001 has not answered yet.
    kenari = {}
    for proposal in (
        cycle.proposals.filter(kelurahan__code=KENARI_CODE, status=Status.CARRIED)
        .exclude(rw__code=f"{KENARI_CODE}.001")
        .select_related("rw", "cycle")
        .order_by("code")
    ):
        kenari.setdefault(proposal.rw_id, proposal)
    keepers = list(kenari.items())[:4]
    ketua = {a.area_id: a.user for a in _rw_assignments([rw_id for rw_id, _ in keepers])}
    for rw_id, proposal in keepers:
        carried_confirm(proposal=proposal, by=ketua[rw_id])
    Notice.objects.filter(pk__gt=told).update(created_at=at)
    Event.objects.filter(pk__gt=events).update(at=at)
    cycle.proposals.filter(status=Status.SUBMITTED).update(submitted_at=at)


def _rw_assignments(rw_ids: list[int]):
    return Assignment.objects.filter(role=Role.RW, area_id__in=rw_ids).select_related("user")


# -- The inboxes ----------------------------------------------------------------------------


def journeys_tell(cycle: Cycle) -> None:
    """What the lurah's and the UKPD's steps in the generated journeys would have told, with
    the texts the live services use, each dated at its step."""
    events = (
        Event.objects.filter(
            proposal__cycle=cycle,
            action__in=[
                Event.Action.SUBMITTED,
                Event.Action.RETURNED,
                Event.Action.ACCEPTED,
                Event.Action.SURVEYED,
            ],
        )
        .select_related("proposal")
        .order_by("at", "pk")
    )
    said = {"proposal_returned": [], "proposal_accepted": [], "proposal_surveyed": []}
    due, at = [], {}
    # A physical proposal joins its UKPD's survey queue when accepted (proposals/queues.py).
    joins = Event.Action.SUBMITTED if settings.SURVEY_BEFORE_ACCEPTANCE else Event.Action.ACCEPTED
    with notify.stored_language():
        for event in events:
            proposal = event.proposal
            if event.action == joins and proposal.needs_survey and proposal.target_unit_id:
                due.append(proposal)
                at[("survey_due", proposal.code)] = event.at
            if event.action == Event.Action.SUBMITTED:
                continue
            kind, told = _said(event)
            said[kind].append(told)
            at[(kind, proposal.code)] = event.at
        notices = [n for kind, told in said.items() for n in notify.rw_tell_all(told, kind=kind)]
        notices += _surveys_due(due)
    for notice in notices:
        notice.created_at = at[(notice.kind, notice.subject.split(":", 1)[0])]
    Notice.objects.bulk_update(notices, ["created_at"], batch_size=500)


def _said(event: Event):
    proposal = event.proposal
    if event.action == Event.Action.RETURNED:
        return "proposal_returned", notify.returned_said(proposal, note=event.note)
    if event.action == Event.Action.ACCEPTED:
        return "proposal_accepted", notify.accepted_said(proposal, note=event.note)
    return "proposal_surveyed", notify.surveyed_said(proposal, outcome=event.note)


def _surveys_due(proposals: list[Proposal]) -> list[Notice]:
    """The survey_due notice each UKPD had when a physical proposal joined its queue."""
    officers = holders_by(Role.UKPD, units={p.target_unit_id for p in proposals})
    return notify_all(
        notify.survey_due_message(p, officers.get(p.target_unit_id, [])) for p in proposals
    )


def _read_long_ago(opened: datetime.datetime) -> None:
    """What came before 2025 opened has been read, an hour or two after it came: all but the
    final decisions and the realisation reports, and rw.kenari.001's newest few."""
    old = Notice.objects.filter(created_at__lt=opened, read_at__isnull=True).exclude(
        kind__in=["decided", "progress"]
    )
    kenari = old.filter(user__username="rw.kenari.001").order_by("-created_at", "-pk")
    keep = list(kenari.values_list("pk", flat=True)[:KENARI_UNREAD])
    old.exclude(pk__in=keep).update(read_at=F("created_at") + datetime.timedelta(hours=2))
