"""What the berita acara and the attendance sheet of a sidang say, in the words and order of
an Indonesian government document: the letterhead, the opening sentence, the points agreed,
who signs under which office, and the lampiran's lists. sessions.pdf lays them out.

Always in Indonesian, whatever language the official reads the site in (the caller makes
it so). A berita acara is gathered in a fixed number of queries, whatever its size.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F
from django.utils import timezone
from num2words import num2words

from areas.formatting import DAYS, MONTHS, date_short, rupiah
from areas.models import Area, Level, same_person
from areas.pdf import letterhead
from sessions.ceilings import Standing, standing
from sessions.models import Candidate, Decision, Kind, Participant, Sidang, State, sidang_title

ORDINALS = [
    "KESATU",
    "KEDUA",
    "KETIGA",
    "KEEMPAT",
    "KELIMA",
    "KEENAM",
    "KETUJUH",
    "KEDELAPAN",
    "KESEMBILAN",
    "KESEPULUH",
]
ROMAN = ["I", "II", "III", "IV", "V", "VI"]

# Where signatures are dated: the documents are the Province of DKI Jakarta's.
PLACE = "Jakarta"
# Those who sign for the participants, in order of preference after the delegates: the
# community before the officials, who sit at the table already.
REPRESENTATIVES = [
    Participant.Category.LMK,
    Participant.Category.TOKOH_MASYARAKAT,
    Participant.Category.KETUA_RW,
    Participant.Category.DEWAN_KOTA,
    Participant.Category.TOKOH_AGAMA,
    Participant.Category.PKK,
    Participant.Category.KARANG_TARUNA,
    Participant.Category.ORMAS,
    Participant.Category.DIFABEL,
    Participant.Category.FORUM_ANAK,
    Participant.Category.OTHER,
]


def date_in_words(moment: datetime.date) -> str:
    """'Senin tanggal dua puluh enam bulan Februari tahun dua ribu dua puluh empat'."""
    return (
        f"{DAYS[moment.weekday()]} tanggal {num2words(moment.day, lang='id')} "
        f"bulan {MONTHS[moment.month - 1]} tahun {num2words(moment.year, lang='id')}"
    )


def in_words(number: int) -> str:
    """'3 (tiga)', as official letters write a count."""
    return f"{number} ({num2words(number, lang='id')})"


def area_chain(sidang: Sidang) -> list[Area]:
    """The provinsi, kota, … down to the sidang's area, in one query."""
    return [*sidang.area.ancestors(), sidang.area]


def agenda_items(agenda: str) -> list[str]:
    """The stored agenda, one item a line, without the numbers the official may have typed."""
    items = (re.sub(r"^\s*(?:\d+\s*[.)]|[-–•*])\s*", "", line) for line in agenda.splitlines())
    return [item.strip() for item in items if item.strip()]


def legal_basis_items(text: str) -> list[str]:
    """The cycle's regulations, one a line, each ending with a semicolon as the list reads."""
    return [item.rstrip(" ;.") + ";" for item in agenda_items(text)]


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


@dataclass(frozen=True)
class Signer:
    """One signature block: role line, office, space to sign, the name underlined, the NIP."""

    role: str
    office: str
    name: str
    nip: str = ""


def participant_office(participant: Participant) -> str:
    """What a participant is, as a signature block or a list prints it: the position, or the
    unsur with the institution."""
    if participant.position:
        return participant.position
    label = str(participant.get_category_display())
    return f"{label}, {participant.institution}" if participant.institution else label


def signers(sidang: Sidang, participants: list[Participant]) -> tuple[Signer, Signer, list]:
    """The chair, the minute-taker and up to three participants signing for the others: the
    delegates first, then the community. Nobody signs twice."""
    chair = Signer(
        "Pimpinan Sidang,", sidang.chair_position, sidang.chair.strip(), sidang.chair_nip
    )
    taker = Signer(
        "Notulis,",
        sidang.minute_taker_position,
        sidang.minute_taker.strip(),
        sidang.minute_taker_nip,
    )
    order = {category: i for i, category in enumerate(REPRESENTATIVES)}
    ranked = sorted(
        enumerate(participants),
        key=lambda item: (not item[1].is_delegate, order.get(item[1].category, 99), item[0]),
    )
    signing = [name for name in (chair.name, taker.name) if name]
    representatives = []
    for _index, person in ranked:
        if any(same_person(person.name, name) for name in signing):
            continue
        signing.append(person.name)
        representatives.append(
            Signer("Perwakilan Peserta,", participant_office(person), person.name)
        )
        if len(representatives) == 3:
            break
    return chair, taker, representatives


@dataclass(frozen=True)
class Line:
    """A proposal on a lampiran: volume and cost as surveyed when a survey exists, with the
    proposed ones beside them when the survey changed them."""

    candidate: Candidate
    volume: Decimal
    cost: int
    proposed_volume: Decimal | None = None
    proposed_cost: int | None = None

    @property
    def proposal(self):
        return self.candidate.proposal


def line_of(candidate: Candidate) -> Line:
    proposal = candidate.proposal
    survey = getattr(proposal, "survey", None)
    if survey is None:
        return Line(candidate, proposal.volume, proposal.planned_cost)
    return Line(
        candidate,
        survey.revised_volume,
        proposal.planned_cost,
        proposal.volume if proposal.volume != survey.revised_volume else None,
        proposal.cost if proposal.cost != survey.revised_cost else None,
    )


def _lines(candidates) -> list[Line]:
    """The candidates with their proposals, RW, kelurahan, unit and survey, in one query."""
    return [
        line_of(c)
        for c in candidates.select_related(
            "proposal__rw", "proposal__kelurahan", "proposal__target_unit", "proposal__survey"
        ).order_by(F("rank").asc(nulls_last=True), "proposal__code")
    ]


@dataclass
class KecamatanResult:
    """What a pleno penutupan hears: its closed musrenbang kecamatan, the priorities it set and
    the delegates it sends on."""

    sidang: Sidang
    utama: list[Line]
    delegates: list[Participant]

    @property
    def total(self) -> int:
        return sum(line.cost for line in self.utama)


def kecamatan_result(sidang: Sidang) -> KecamatanResult | None:
    musrenbang = (
        Sidang.objects.filter(
            cycle_id=sidang.cycle_id,
            kind=Kind.KECAMATAN,
            area_id=sidang.area_id,
            state=State.CLOSED,
        )
        .select_related("area", "minutes")
        .first()
    )
    if musrenbang is None:
        return None
    return KecamatanResult(
        musrenbang,
        _lines(musrenbang.candidates.filter(decision=Decision.UTAMA)),
        list(musrenbang.participants.filter(present=True, is_delegate=True)),
    )


def simultaneous_plenaries(sidang: Sidang) -> int:
    """In how many kecamatan of the cycle a pleno pembuka was held on the sidang's day."""
    day = timezone.localtime(sidang.starts_at).date()
    start = datetime.datetime.combine(day, datetime.time(), tzinfo=timezone.get_current_timezone())
    return Sidang.objects.filter(
        cycle_id=sidang.cycle_id,
        kind=Kind.PLENO_PEMBUKA,
        starts_at__gte=start,
        starts_at__lt=start + datetime.timedelta(days=1),
    ).count()


@dataclass(frozen=True)
class Appendix:
    number: str
    key: str  # which table: hadir, prioritas, cadangan, prioritas_kecamatan, delegasi
    title: str


@dataclass
class Document:
    """Everything a berita acara shows, gathered in a fixed number of queries."""

    sidang: Sidang
    number: str
    code: str
    final: bool
    appendices: list[Appendix] = field(default_factory=list)
    kota: str = ""  # "Kota Administrasi Jakarta Pusat"

    def appendix(self, key: str, title: str) -> str:
        number = ROMAN[len(self.appendices)]
        self.appendices.append(Appendix(number, key, title))
        return number

    def context(self) -> dict:
        sidang = self.sidang
        chain = area_chain(sidang)
        self.kota = next((a.name for a in chain if a.level == Level.KOTA), "")
        participants = list(sidang.participants.filter(present=True))
        delegates = [p for p in participants if p.is_delegate]
        lines = _lines(sidang.candidates.all()) if sidang.is_ranked else []
        result = kecamatan_result(sidang) if sidang.kind == Kind.PLENO_PENUTUPAN else None
        if result is not None:
            delegates += [
                p
                for p in result.delegates
                if not any(same_person(p.name, d.name) for d in delegates)
            ]
        utama = [line for line in lines if line.candidate.decision == Decision.UTAMA]
        cadangan = [line for line in lines if line.candidate.decision == Decision.CADANGAN]
        refused = [line for line in lines if line.candidate.decision == Decision.TIDAK]
        undecided = [line for line in lines if not line.candidate.decision]  # a draft's
        ceiling = standing(
            sidang.ceiling if sidang.is_ranked else None,
            ((line.candidate.decision, line.proposal) for line in lines),
        )
        starts = timezone.localtime(sidang.starts_at)
        chair, taker, representatives = signers(sidang, participants)
        heading = "BERITA ACARA HASIL KESEPAKATAN" if sidang.is_ranked else "BERITA ACARA"
        self.appendices = []
        self.appendix("hadir", "Daftar Hadir Peserta")
        if sidang.is_ranked:
            self.appendix("prioritas", "Usulan Prioritas (Utama)")
            self.appendix("cadangan", "Usulan Cadangan dan Usulan yang Tidak Disepakati")
        if result is not None:
            self.appendix("prioritas_kecamatan", "Usulan Prioritas Kecamatan")
        if delegates:
            self.appendix("delegasi", f"Delegasi ke {self.next_forum()}")
        return {
            "sidang": sidang,
            "heading": f"{heading} {sidang.title} Tahun {sidang.cycle.year}".upper(),
            "subject": f"{sidang.title} Tahun {sidang.cycle.year}",
            "occasion": self.occasion(),
            "number": self.number,
            "code": self.code,
            "final": self.final,
            "kop": letterhead(chain),
            "kota": self.kota,
            "place": PLACE,
            "date_words": date_in_words(starts.date()),
            "date_short": date_short(starts.date()),
            "time": starts.strftime("%H.%M"),
            "chaired_by": self.chaired_by(),
            "simultaneous": (
                simultaneous_plenaries(sidang) if sidang.kind == Kind.PLENO_PEMBUKA else 0
            ),
            "missing": self.missing(),
            "upper": self.upper_title(),
            "agenda": agenda_items(sidang.agenda),
            "legal_basis": legal_basis_items(sidang.cycle.legal_basis),
            "participants": participants,
            "online": sum(p.presence == Participant.Presence.DARING for p in participants),
            "delegates": delegates,
            "utama": utama,
            "utama_total": sum(line.cost for line in utama),
            "ceiling": ceiling,
            "ceiling_area": self.ceiling_area(),
            "cadangan": cadangan,
            "refused": refused + undecided,
            "result": result,
            "by_kelurahan": sidang.kind in (Kind.KECAMATAN, Kind.PLENO_PENUTUPAN),
            "scored": any(line.candidate.score is not None for line in lines),
            "points": self.points(
                [len(utama), len(cadangan), len(refused), len(undecided)],
                delegates,
                result,
                ceiling,
            ),
            "chair": chair,
            "minute_taker": taker,
            "representatives": representatives,
            "appendices": self.appendices,
        }

    def occasion(self) -> str:
        """What was held, as the opening sentence names it."""
        sidang = self.sidang
        year = sidang.cycle.year
        if sidang.kind == Kind.KELOMPOK:
            upper = sidang_title(Kind.KECAMATAN, sidang.area.parent)
            return f"{sidang.title} pada {upper} Tahun {year}"
        return f"{sidang.title} Tahun {year}"

    def chaired_by(self) -> str:
        sidang = self.sidang
        if not sidang.chair.strip():
            return "pimpinan sidang"
        if sidang.chair_position and not same_person(sidang.chair, sidang.chair_position):
            return f"{sidang.chair.strip()} selaku {sidang.chair_position}"
        return sidang.chair.strip()

    def missing(self) -> list[str]:
        """The earlier stages still open when the sidang started: "Sidang Kelompok Kelurahan
        Kramat (berlangsung)"."""
        lines = []
        for line in self.sidang.stages_missing.splitlines():
            name, _sep, state = line.rpartition(": ")
            lines.append(f"{name} ({state})" if name else line)
        return lines

    def upper_title(self) -> str:
        """The musrenbang kecamatan a sidang kelompok forwards to."""
        if self.sidang.kind == Kind.KELOMPOK:
            return sidang_title(Kind.KECAMATAN, self.sidang.area.parent)
        return ""

    def others(self, cadangan: int, refused: int, undecided: int) -> list[str]:
        """The point on the candidates that are not utama (Lampiran III)."""
        where = f"sebagaimana tercantum dalam Lampiran {self.lampiran('cadangan')}"
        parts = []
        if cadangan:
            parts.append(f"{in_words(cadangan)} usulan cadangan menurut urutan peringkat")
        if refused:
            parts.append(f"{in_words(refused)} usulan yang tidak disepakati beserta alasannya")
        points = []
        if parts:
            text = f"Menetapkan {' dan '.join(parts)} {where}"
            if cadangan:
                text += (
                    "; usulan cadangan dapat diajukan menggantikan usulan utama yang tidak "
                    "dapat dilaksanakan"
                )
            points.append(text + ".")
        if undecided:
            points.append(f"Sebanyak {in_words(undecided)} usulan belum diputuskan, {where}.")
        return points

    def next_forum(self) -> str:
        """Where the sidang's delegates go."""
        sidang = self.sidang
        if sidang.kind == Kind.REMBUK_RW:
            return sidang_title(Kind.KELOMPOK, sidang.area.parent)
        if sidang.kind == Kind.KELOMPOK:
            return self.upper_title()
        return f"Forum Perencanaan Tingkat {self.kota}"

    def lampiran(self, key: str) -> str:
        return next(a.number for a in self.appendices if a.key == key)

    def ceiling_area(self) -> str:
        """The area whose pagu indikatif the sidang fits its priorities to: "Kelurahan Kenari"."""
        area = self.sidang.area
        return f"{Level(area.level).label} {area.name}"

    def ceiling_sentence(self, ceiling: Standing) -> str:
        """The utama's cost against the pagu indikatif, and why it was passed if it was."""
        lampiran = self.lampiran("prioritas")
        text = (
            f" Jumlah biaya usulan utama sebesar {rupiah(ceiling.utama)} dari pagu indikatif "
            f"{self.ceiling_area()} sebesar {rupiah(ceiling.ceiling)}"
        )
        if not ceiling.over:
            return text + f" sebagaimana tercantum dalam Lampiran {lampiran}."
        text += f", melebihi pagu sebesar {rupiah(ceiling.over)}"
        if self.sidang.over_ceiling_reason.strip():
            text += f", dengan alasan: {_sentence(self.sidang.over_ceiling_reason)}"
        else:
            text += "."
        return text

    def points(self, counts, delegates, result, ceiling=None) -> list[tuple[str, str]]:
        """The numbered agreements (KESATU, KEDUA, …) that follow MENYEPAKATI; `counts` are
        those of the utama, cadangan, not agreed and (in a draft) undecided candidates;
        `ceiling` the utama against the area's pagu indikatif."""
        sidang, kota = self.sidang, self.kota
        utama, cadangan, refused, undecided = counts
        points = []
        if sidang.is_ranked:
            if sidang.kind == Kind.KECAMATAN:
                goes = f"disampaikan kepada Suku Badan Perencanaan Pembangunan {kota}"
            elif sidang.closed_late:
                goes = (
                    f"disampaikan kepada Suku Badan Perencanaan Pembangunan {kota} untuk "
                    f"diputuskan, karena {self.upper_title()} telah ditutup"
                )
            else:
                goes = f"diteruskan ke {self.upper_title()}"
            text = (
                f"Menetapkan {in_words(utama)} usulan prioritas (utama) sebagaimana tercantum "
                f"dalam Lampiran {self.lampiran('prioritas')} untuk {goes}."
            )
            if utama < sidang.quota and sidang.shortfall_reason:
                text += (
                    f" Jumlah usulan utama kurang dari kuota {sidang.quota} usulan dengan "
                    f"alasan: {_sentence(sidang.shortfall_reason)}"
                )
            if ceiling is not None and ceiling.ceiling is not None:
                text += self.ceiling_sentence(ceiling)
            points.append(text)
            points += self.others(cadangan, refused, undecided)
        elif result is not None:
            points.append(
                f"Menerima hasil {result.sidang.title} Tahun {sidang.cycle.year}, berupa "
                f"{in_words(len(result.utama))} usulan prioritas kecamatan sebagaimana tercantum "
                f"dalam Lampiran {self.lampiran('prioritas_kecamatan')}, untuk "
                f"disampaikan kepada Suku Badan Perencanaan Pembangunan {kota}."
            )
        else:
            points.append(f"{self.occasion()} telah dilaksanakan sesuai dengan acara sidang.")
        if delegates:
            # The pleno penutupan confirms the delegates its musrenbang kecamatan chose.
            verb = "Mengukuhkan" if result is not None else "Menetapkan"
            points.append(
                f"{verb} {in_words(len(delegates))} orang delegasi ke {self.next_forum()} "
                f"sebagaimana tercantum dalam Lampiran {self.lampiran('delegasi')}."
            )
        points.append(
            "Lampiran Berita Acara ini merupakan bagian yang tidak terpisahkan dari Berita Acara "
            "ini."
        )
        return list(zip(ORDINALS, points, strict=False))


def sheet_context(sidang: Sidang) -> dict:
    """What the attendance sheet prints above and in its table: everyone on the list (invited
    or present); the blank rows below them are counted when it is laid out."""
    starts = timezone.localtime(sidang.starts_at)
    return {
        "sidang": sidang,
        "subject": f"{sidang.title} Tahun {sidang.cycle.year}",
        "kop": letterhead(area_chain(sidang)),
        "date_short": date_short(starts.date()),
        "day": DAYS[starts.weekday()],
        "time": starts.strftime("%H.%M"),
        "participants": list(sidang.participants.all()),
    }
