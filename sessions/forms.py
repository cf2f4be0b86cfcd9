"""Forms of the session pages: scheduling, the pleno pembuka of all kecamatan, attendance."""

import datetime
import zoneinfo
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas import scope
from areas.forms import StyledFormMixin
from areas.models import Area, Assignment, Level, Role, same_person, validate_nip
from proposals.filters import area_choices, drop_empty_area_filters
from sessions.models import KIND_LEVEL, KIND_RUNNER, Kind, Mode, Participant, Sidang, State
from sessions.services import ParticipantData, SidangData

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


class ScheduleForm(StyledFormMixin, forms.Form):
    """When and where: a date and a time in Jakarta, the venue, the mode and its link."""

    date = forms.DateField(
        label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    time = forms.TimeField(
        label=_("Jam mulai (WIB)"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    venue = forms.CharField(label=_("Tempat"), max_length=200)
    mode = forms.ChoiceField(label=_("Moda"), choices=Mode.choices, initial=Mode.LURING)
    meeting_link = forms.URLField(
        label=_("Tautan rapat daring"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("Wajib untuk sidang daring atau hybrid, mis. https://zoom.us/j/…"),
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("mode") in (Mode.DARING, Mode.HYBRID)
            and not cleaned.get("meeting_link")
            and "meeting_link" not in self.errors
        ):
            self.add_error("meeting_link", _("Sidang daring atau hybrid perlu tautan rapat."))
        if cleaned.get("mode") == Mode.LURING:
            cleaned["meeting_link"] = ""
        return cleaned

    def starts_at(self) -> datetime.datetime:
        c = self.cleaned_data
        return datetime.datetime.combine(c["date"], c["time"], tzinfo=JAKARTA)

    def sidang_data(self) -> SidangData:
        c = self.cleaned_data
        return SidangData(
            starts_at=self.starts_at(),
            venue=c["venue"],
            mode=c["mode"],
            meeting_link=c["meeting_link"],
            chair=c.get("chair", ""),
            chair_nip=c.get("chair_nip", ""),
            chair_position=c.get("chair_position", ""),
            minute_taker=c.get("minute_taker", ""),
            minute_taker_nip=c.get("minute_taker_nip", ""),
            minute_taker_position=c.get("minute_taker_position", ""),
            agenda=c.get("agenda", ""),
            notes=c.get("notes", ""),
        )


@dataclass(frozen=True)
class Signatory:
    """Someone the form offers as chair or minute-taker: an official holding a role over the
    sidang's area (`areas`: the codes of their areas), or a person on its attendance list."""

    key: str
    name: str
    nip: str
    position: str
    areas: frozenset[str] = frozenset()

    @property
    def label(self) -> str:
        office = f" — {self.position}" if self.position else ""
        nip = f" (NIP {self.nip})" if self.nip else ""
        return f"{self.name}{office}{nip}"


def officials_over(areas) -> list[Signatory]:
    """The officials holding a role over any of `areas` (each area or one above it), the
    nearest first, each once; UKPD officers serve units, not areas."""
    codes = {code for area in areas for code in _codes_above(area.code)}
    assignments = (
        Assignment.objects.filter(area__code__in=codes)
        .exclude(role=Role.UKPD)
        .select_related("user", "area")
        .order_by("area__code", "user__username")
    )
    people: dict[int, Signatory] = {}
    for a in assignments:
        user = a.user
        known = people.get(user.pk)
        held = (known.areas if known else frozenset()) | {a.area.code}
        people[user.pk] = Signatory(
            f"u{user.pk}", user.get_full_name() or user.username, user.nip, user.position, held
        )
    return sorted(people.values(), key=lambda p: -max(len(code) for code in p.areas))


def _codes_above(code: str) -> list[str]:
    """`31.71.04.1002` and every code above it: 31.71.04, 31.71, 31."""
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def listed_people(sidang: Sidang) -> list[Signatory]:
    return [
        Signatory(f"p{p.pk}", p.name, "", p.position or p.institution)
        for p in sidang.participants.all()
    ]


# The two signatories a sidang records, each with a name, a NIP and a position.
SIGNATORIES = {"chair": _("pimpinan sidang"), "minute_taker": _("notulis")}


def signatory_fields(choose, name, nip, position, example) -> tuple[forms.Field, ...]:
    """The fields of one signatory, with their labels: a select of the people offered, then
    the name, NIP and position to type when the person is not among them."""
    return (
        forms.ChoiceField(label=choose, required=False),
        forms.CharField(
            label=name,
            max_length=150,
            required=False,
            help_text=_("Dengan gelar, sebagaimana ditulis di bawah tanda tangan."),
        ),
        forms.CharField(
            label=nip,
            max_length=18,
            required=False,
            validators=[validate_nip],
            help_text=_("18 angka; kosongkan bila bukan aparatur sipil negara."),
        ),
        forms.CharField(label=position, max_length=150, required=False, help_text=example),
    )


class SidangForm(ScheduleForm):
    """The whole record of one sidang, as its runner edits it. The chair and the minute-taker
    are chosen from the officials over the sidang's area or from its attendance list (their
    name, NIP and position come with them), or typed in."""

    chair_from, chair, chair_nip, chair_position = signatory_fields(
        _("Pilih pimpinan sidang"),
        _("Nama pimpinan sidang"),
        _("NIP pimpinan sidang"),
        _("Jabatan pimpinan sidang"),
        _("Mis. Lurah Kenari"),
    )
    minute_taker_from, minute_taker, minute_taker_nip, minute_taker_position = signatory_fields(
        _("Pilih notulis"),
        _("Nama notulis"),
        _("NIP notulis"),
        _("Jabatan notulis"),
        _("Mis. Kepala Seksi Ekonomi dan Pembangunan Kelurahan Kenari"),
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Satu acara per baris; berita acara menomorinya."),
    )
    notes = forms.CharField(
        label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, sidang: Sidang | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.sidang = sidang
        self.signatories: dict[str, Signatory] = {}
        if sidang is not None:
            self.offer(officials_over([sidang.area]), listed_people(sidang))

    def offer(self, officials: list[Signatory], listed: list[Signatory]) -> None:
        """Put the people to choose from in both selects."""
        self.signatories = {p.key: p for p in [*officials, *listed]}
        groups = []
        if officials:
            groups.append((_("Pejabat wilayah"), [(p.key, p.label) for p in officials]))
        if listed:
            groups.append((_("Daftar hadir"), [(p.key, p.label) for p in listed]))
        for role in SIGNATORIES:
            field = self.fields[f"{role}_from"]
            field.choices = [("", _("— ketik sendiri di bawah —")), *groups]
            field.help_text = _(
                "Nama, NIP dan jabatan diambil dari data orang yang dipilih; kosongkan pilihan "
                "untuk mengetik sendiri."
            )

    def clean(self):
        cleaned = super().clean()
        for role, title in SIGNATORIES.items():
            chosen = self.signatories.get(cleaned.get(f"{role}_from") or "")
            if chosen is not None:
                cleaned[role], cleaned[f"{role}_nip"] = chosen.name, chosen.nip
                cleaned[f"{role}_position"] = chosen.position
                self.check_area(role, chosen)
            cleaned[role] = " ".join(cleaned.get(role, "").split())
            typed = cleaned.get(f"{role}_nip") or cleaned.get(f"{role}_position")
            if typed and not cleaned[role] and role not in self.errors:
                self.add_error(role, _("Tuliskan nama %(role)s.") % {"role": title})
        chair, taker = cleaned.get("chair", ""), cleaned.get("minute_taker", "")
        if same_person(chair, taker) and "minute_taker" not in self.errors:
            self.add_error(
                "minute_taker",
                _(
                    "Pimpinan sidang dan notulis harus dua orang yang berbeda: setiap orang "
                    "menandatangani berita acara satu kali."
                ),
            )
        return cleaned

    def check_area(self, role: str, chosen: Signatory) -> None:
        """An official chosen must hold a role over the sidang's area (the form to schedule
        one offers the officials of every area it offers)."""
        area = self.sidang.area if self.sidang else self.cleaned_data.get("area")
        if chosen.areas and area is not None and not chosen.areas & set(_codes_above(area.code)):
            self.add_error(
                f"{role}_from",
                _("%(name)s tidak bertugas di %(area)s.")
                % {"name": chosen.name, "area": area.display_name},
            )

    @staticmethod
    def initial_for(sidang: Sidang) -> dict:
        local = timezone.localtime(sidang.starts_at, JAKARTA)
        return {
            "date": local.date(),
            "time": local.time().replace(second=0, microsecond=0),
            **{
                name: getattr(sidang, name)
                for name in (
                    "venue",
                    "mode",
                    "meeting_link",
                    "chair",
                    "chair_nip",
                    "chair_position",
                    "minute_taker",
                    "minute_taker_nip",
                    "minute_taker_position",
                    "agenda",
                    "notes",
                )
            },
        }


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


def schedulable_kinds(user) -> list[str]:
    """The kinds of sidang the user may schedule: those they run, or all for the planning office.

    The planning office is not offered the rembuk RW: the ketua RW records it, and a select of
    every RW of the kota would be of no use to anyone.
    """
    r = scope.reach(user)
    if r.everything or Role.PLANNING in r.roles:
        return [kind for kind in Kind.values if kind != Kind.REMBUK_RW]
    return [kind for kind in Kind.values if KIND_RUNNER[kind] in r.roles]


class SidangCreateForm(SidangForm):
    """A new sidang: which kind, for which area (only those within the user's reach)."""

    kind = forms.ChoiceField(label=_("Jenis sidang"))
    area = AreaChoiceField(label=_("Wilayah"), queryset=Area.objects.none())

    field_order = ["kind", "area"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = schedulable_kinds(user)
        blank = [] if len(kinds) == 1 else [("", _("— pilih jenis sidang —"))]
        self.fields["kind"].choices = blank + [(k, Kind(k).label) for k in kinds]
        where = Q(pk__in=[])
        for kind in kinds:
            roles = {KIND_RUNNER[kind], Role.PLANNING}
            where |= Q(level=KIND_LEVEL[kind]) & scope.area_q(user, "", roles=roles)
        areas = Area.objects.filter(where).select_related("parent").order_by("code")
        self.fields["area"].queryset = areas
        self.fields["area"].empty_label = _("— pilih wilayah —")
        if len(areas) == 1:  # a lurah or a camat has one area: nothing to choose
            self.fields["area"].empty_label = None
        self.offer(officials_over(areas), [])

    def clean(self):
        cleaned = super().clean()
        kind, area = cleaned.get("kind"), cleaned.get("area")
        if kind and area and area.level != KIND_LEVEL[kind]:
            self.add_error(
                "area",
                _("%(kind)s diadakan untuk wilayah tingkat %(level)s; pilih wilayah yang sesuai.")
                % {"kind": Kind(kind).label, "level": Level(KIND_LEVEL[kind]).label.lower()},
            )
        return cleaned


class PlenoPembukaForm(ScheduleForm):
    """One date and time for the opening plenary of every kecamatan of the kota."""

    agenda = forms.CharField(
        label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        venue = self.fields["venue"]
        venue.required = False
        venue.help_text = _(
            'Kosongkan agar setiap kecamatan memakai "Aula Kecamatan <nama>" masing-masing.'
        )


class ParticipantForm(StyledFormMixin, forms.Form):
    """One person of the attendance list, quick to fill in one after another."""

    category = forms.ChoiceField(
        label=_("Unsur"), choices=[("", _("— pilih unsur —")), *Participant.Category.choices]
    )
    name = forms.CharField(label=_("Nama"), max_length=150)
    position = forms.CharField(label=_("Jabatan"), max_length=150, required=False)
    institution = forms.CharField(label=_("Instansi/lembaga"), max_length=150, required=False)
    presence = forms.ChoiceField(
        label=_("Kehadiran"),
        choices=Participant.Presence.choices,
        initial=Participant.Presence.LURING,
        widget=forms.RadioSelect,
    )
    is_delegate = forms.BooleanField(label=_("Delegasi ke tingkat berikutnya"), required=False)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError(_("Tuliskan nama peserta."))
        return name

    def participant_data(self) -> ParticipantData:
        c = self.cleaned_data
        return ParticipantData(
            category=c["category"],
            name=c["name"],
            position=c["position"].strip(),
            institution=c["institution"].strip(),
            presence=c["presence"],
            is_delegate=c["is_delegate"],
        )


class CloseForm(StyledFormMixin, forms.Form):
    """The closing of a sidang."""

    shortfall_reason = forms.CharField(
        label=_("Alasan bila utama kurang dari kuota"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )
    over_ceiling_reason = forms.CharField(
        label=_("Alasan biaya utama melebihi pagu indikatif"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class SidangFilterForm(StyledFormMixin, forms.Form):
    """The filters of the sessions list (plain GET parameters). The area choices are those the
    user reaches, the kelurahan following the kecamatan, read as (id, name) lists: one query
    each, none per option."""

    kind = forms.ChoiceField(
        label=_("Jenis sidang"),
        choices=[("", _("Semua jenis")), *Kind.choices],
        required=False,
    )
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    kelurahan = forms.ChoiceField(label=_("Kelurahan"), required=False)
    state = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Semua status")), *State.choices], required=False
    )

    def __init__(self, data, *, user):
        super().__init__(data)
        kecamatan, kelurahan = area_choices(user, data)
        self.fields["kecamatan"].choices = [("", _("Semua kecamatan")), *kecamatan]
        self.fields["kelurahan"].choices = [("", _("Semua kelurahan")), *kelurahan]
        drop_empty_area_filters(self.fields, kecamatan, kelurahan)

    def filter(self, sessions):
        """The sessions that match; an unknown value in the address bar filters nothing. A
        kecamatan holds the sessions of its kelurahan and RWs, a kelurahan those of its RWs."""
        self.is_valid()
        for name in ("kind", "state"):
            value = self.cleaned_data.get(name)
            if value:
                sessions = sessions.filter(**{name: value})
        if kecamatan := self.cleaned_data.get("kecamatan"):
            sessions = sessions.filter(
                Q(area_id=kecamatan)
                | Q(area__parent_id=kecamatan)
                | Q(area__parent__parent_id=kecamatan)
            )
        if kelurahan := self.cleaned_data.get("kelurahan"):
            sessions = sessions.filter(Q(area_id=kelurahan) | Q(area__parent_id=kelurahan))
        return sessions
