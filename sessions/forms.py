"""Forms of the session pages: scheduling, the pleno pembuka of all kecamatan, attendance."""

import datetime
import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas import scope
from areas.forms import StyledFormMixin
from areas.models import Area, Level, Role
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
            minute_taker=c.get("minute_taker", ""),
            agenda=c.get("agenda", ""),
            notes=c.get("notes", ""),
        )


class SidangForm(ScheduleForm):
    """The whole record of one sidang, as its runner edits it."""

    chair = forms.CharField(label=_("Pimpinan sidang"), max_length=150, required=False)
    minute_taker = forms.CharField(label=_("Notulis"), max_length=150, required=False)
    agenda = forms.CharField(
        label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    notes = forms.CharField(
        label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 3}), required=False
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
                    "minute_taker",
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


class SidangFilterForm(StyledFormMixin, forms.Form):
    """The filters of the sessions list (plain GET parameters)."""

    kind = forms.ChoiceField(
        label=_("Jenis sidang"),
        choices=[("", _("Semua jenis")), *Kind.choices],
        required=False,
    )
    state = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Semua status")), *State.choices], required=False
    )

    def filter(self, sessions):
        """The sessions that match; an unknown value in the address bar filters nothing."""
        self.is_valid()
        for name in ("kind", "state"):
            value = self.cleaned_data.get(name)
            if value:
                sessions = sessions.filter(**{name: value})
        return sessions
