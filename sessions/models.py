"""Sidang (sessions), their attendance, scoring criteria and the ranking of candidates.

The database itself keeps the invariants of DESIGN §5 (see migration 0002): unique ranks, at
most the quota of *utama*, and nothing of a closed sidang changing.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from areas import scope
from areas.models import Area, Level, Role, validate_nip
from proposals.models import Ceiling, Cycle, Proposal


class Kind(models.TextChoices):
    REMBUK_RW = "rembuk_rw", _("Rembuk RW")
    PLENO_PEMBUKA = "pleno_pembuka", _("Sidang pleno pembuka")
    KELOMPOK = "kelompok", _("Sidang kelompok")
    KECAMATAN = "kecamatan", _("Musrenbang kecamatan")
    PLENO_PENUTUPAN = "pleno_penutupan", _("Sidang pleno penutupan")


# The level of area each kind of sidang is held for, and who runs it.
KIND_LEVEL = {
    Kind.REMBUK_RW: Level.RW,
    Kind.PLENO_PEMBUKA: Level.KECAMATAN,
    Kind.KELOMPOK: Level.KELURAHAN,
    Kind.KECAMATAN: Level.KECAMATAN,
    Kind.PLENO_PENUTUPAN: Level.KECAMATAN,
}
KIND_RUNNER = {
    Kind.REMBUK_RW: Role.RW,
    Kind.PLENO_PEMBUKA: Role.CAMAT,
    Kind.KELOMPOK: Role.LURAH,
    Kind.KECAMATAN: Role.CAMAT,
    Kind.PLENO_PENUTUPAN: Role.CAMAT,
}
RANKED_KINDS = (Kind.KELOMPOK, Kind.KECAMATAN)


def sidang_title(kind: str, area: Area) -> str:
    """The one name of a sidang, as every page, document and journey line writes it:
    "Sidang Kelompok Kelurahan Kenari", "Musrenbang Kecamatan Senen", "Rembuk RW 007 Kelurahan
    Kenari". An RW needs its parent (the kelurahan) loaded."""
    if kind == Kind.REMBUK_RW:
        return gettext("Rembuk RW %(rw)s Kelurahan %(kelurahan)s") % {
            "rw": area.code.rsplit(".", 1)[-1],
            "kelurahan": area.parent.name,
        }
    names = {
        Kind.PLENO_PEMBUKA: gettext("Sidang Pleno Pembuka Musrenbang Kecamatan %(area)s"),
        Kind.KELOMPOK: gettext("Sidang Kelompok Kelurahan %(area)s"),
        Kind.KECAMATAN: gettext("Musrenbang Kecamatan %(area)s"),
        Kind.PLENO_PENUTUPAN: gettext("Sidang Pleno Penutupan Musrenbang Kecamatan %(area)s"),
    }
    return names[kind] % {"area": area.name}


class State(models.TextChoices):
    SCHEDULED = "scheduled", _("Terjadwal")
    IN_PROGRESS = "in_progress", _("Berlangsung")
    CLOSED = "closed", _("Ditutup")


class Mode(models.TextChoices):
    LURING = "luring", _("Luring (tatap muka)")
    DARING = "daring", _("Daring")
    HYBRID = "hybrid", _("Hybrid (luring dan daring)")


class SidangQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SidangQuerySet":
        return self.filter(scope.area_q(user, "area"))

    def run_by(self, user) -> "SidangQuerySet":
        """Sessions the user runs: the RW its rembuk, the lurah the sidang kelompok, …"""
        q = Q(pk__in=[])
        for kind, role in KIND_RUNNER.items():
            q |= Q(kind=kind) & scope.area_q(user, "area", roles={role})
        return self.filter(q)

    def with_ceiling(self) -> "SidangQuerySet":
        """Each sidang with its area's pagu indikatif in the cycle (ceiling_amount, None when
        there is none), read in the same query."""
        amount = Ceiling.objects.filter(
            cycle_id=OuterRef("cycle_id"), area_id=OuterRef("area_id")
        ).values("amount")[:1]
        return self.annotate(ceiling_amount=Subquery(amount))


class Sidang(models.Model):
    """One session of the musrenbang: a rembuk RW, a plenary, a sidang kelompok, …"""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("siklus"), on_delete=models.PROTECT, related_name="sessions"
    )
    kind = models.CharField(_("jenis sidang"), max_length=16, choices=Kind.choices)
    area = models.ForeignKey(
        Area, verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("waktu mulai"))
    venue = models.CharField(_("tempat"), max_length=200)
    mode = models.CharField(_("moda"), max_length=8, choices=Mode.choices, default=Mode.LURING)
    meeting_link = models.URLField(_("tautan rapat daring"), blank=True)
    # The chair and the minute-taker sign the berita acara: a person each, with NIP and position
    # as they were at the session (chosen from the officials or the attendance).
    chair = models.CharField(_("pimpinan sidang"), max_length=150, blank=True)
    chair_nip = models.CharField(
        _("NIP pimpinan sidang"), max_length=18, blank=True, validators=[validate_nip]
    )
    chair_position = models.CharField(_("jabatan pimpinan sidang"), max_length=150, blank=True)
    minute_taker = models.CharField(_("notulis"), max_length=150, blank=True)
    minute_taker_nip = models.CharField(
        _("NIP notulis"), max_length=18, blank=True, validators=[validate_nip]
    )
    minute_taker_position = models.CharField(_("jabatan notulis"), max_length=150, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    state = models.CharField(
        _("status"), max_length=12, choices=State.choices, default=State.SCHEDULED
    )
    quota = models.PositiveSmallIntegerField(
        _("kuota utama"),
        default=0,
        help_text=_("Jumlah usulan utama yang dipertahankan; 0 bila sidang tidak memeringkat."),
    )
    shortfall_reason = models.TextField(_("alasan utama kurang dari kuota"), blank=True, default="")
    over_ceiling_reason = models.TextField(
        _("alasan biaya utama melebihi pagu indikatif"), blank=True, default=""
    )
    # Started before the stage below it closed: which sessions were still open, and why.
    stages_missing = models.TextField(
        _("tahap sebelumnya yang belum selesai saat dimulai"), blank=True, default=""
    )
    stage_exception = models.TextField(
        _("alasan dimulai sebelum tahap sebelumnya selesai"), blank=True, default=""
    )
    # A sidang kelompok closed after its musrenbang kecamatan: its priorities wait at the kota.
    closed_late = models.BooleanField(_("ditutup setelah musrenbang kecamatan"), default=False)
    # The criteria and weights the scores were given with: {criterion id: [name, weight]}.
    weights = models.JSONField(_("bobot kriteria yang dipakai"), default=dict, blank=True)
    ranking_version = models.PositiveIntegerField(_("versi peringkat"), default=0)
    ranking_saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("peringkat disimpan oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    ranking_saved_at = models.DateTimeField(_("peringkat disimpan"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ditutup oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    objects = SidangQuerySet.as_manager()

    class Meta:
        verbose_name = _("sidang")
        verbose_name_plural = _("sidang")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "kind", "area"], name="sidang_one_per_kind_area_cycle"
            ),
            models.CheckConstraint(
                condition=Q(state="closed", closed_at__isnull=False)
                | (~Q(state="closed") & Q(closed_at__isnull=True)),
                name="sidang_closed_has_closing_time",
            ),
            models.CheckConstraint(
                condition=Q(mode="luring") | ~Q(meeting_link=""),
                name="sidang_online_has_link",
            ),
        ]
        indexes = [models.Index(fields=["cycle", "kind", "state"], name="sidang_kind_state_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("sessions:detail", args=[self.pk])

    @property
    def title(self) -> str:
        """The sidang's name (sidang_title): "Sidang Pleno Pembuka Musrenbang Kecamatan Senen"."""
        return sidang_title(self.kind, self.area)

    def clean(self):
        if self.area_id and self.kind and self.area.level != KIND_LEVEL[self.kind]:
            raise ValidationError(
                {
                    "area": _("%(kind)s diadakan untuk %(level)s.")
                    % {"kind": self.get_kind_display(), "level": Level(KIND_LEVEL[self.kind]).label}
                }
            )
        if self.mode != Mode.LURING and not self.meeting_link:
            raise ValidationError({"meeting_link": _("Sidang daring atau hybrid perlu tautan.")})

    @property
    def is_ranked(self) -> bool:
        return self.kind in RANKED_KINDS

    @property
    def ceiling(self) -> int | None:
        """The pagu indikatif its priorities are fitted to: a sidang kelompok's kelurahan's, a
        musrenbang kecamatan's kecamatan's; None when the area has none or the sidang does not
        rank. Read with the sidang through with_ceiling(), or here in one query."""
        if not self.is_ranked:
            return None
        if not hasattr(self, "ceiling_amount"):
            self.ceiling_amount = Ceiling.objects.amount_for(self.cycle_id, self.area_id)
        return self.ceiling_amount

    @property
    def is_closed(self) -> bool:
        return self.state == State.CLOSED

    def may_run(self, user) -> bool:
        """The official who runs this kind of sidang over its area (or the superuser)."""
        return scope.reach(user).holds(KIND_RUNNER[self.kind], self.area.code)


class Criterion(models.Model):
    """A scoring criterion of a cycle with its weight; each candidate is scored 1–5 on it."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("siklus"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("kriteria"), max_length=120)
    weight = models.PositiveSmallIntegerField(
        _("bobot (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("kriteria penilaian")
        verbose_name_plural = _("kriteria penilaian")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "name"], name="criterion_unique_name"),
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=100), name="criterion_weight_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight})"


def cycle_has_scored(cycle: Cycle | int) -> bool:
    """Whether any candidate of the cycle has a score: its criteria are then fixed. The
    database refuses changing them (migration 0006); the admin says so first."""
    return Candidate.objects.filter(sidang__cycle=cycle, score__isnull=False).exists()


DEFAULT_CRITERIA = [
    ("Urgensi", 40),
    ("Penerima manfaat", 30),
    ("Kesesuaian dengan prioritas pembangunan daerah", 20),
    ("Kesiapan dan kelayakan", 10),
]


class Decision(models.TextChoices):
    UTAMA = "utama", _("Utama (prioritas)")
    CADANGAN = "cadangan", _("Cadangan")
    TIDAK = "tidak", _("Tidak diprioritaskan")


class PartOfSidang:
    """Each audit entry of a sidang's part names the sidang, whose page shows the history."""

    def get_additional_data(self) -> dict:
        return {"sidang": self.sidang_id}


class Candidate(PartOfSidang, models.Model):
    """A proposal on the table of a ranked sidang: its rank, scores and the decision."""

    sidang = models.ForeignKey(
        Sidang, verbose_name=_("sidang"), on_delete=models.CASCADE, related_name="candidates"
    )
    proposal = models.ForeignKey(
        Proposal, verbose_name=_("usulan"), on_delete=models.PROTECT, related_name="candidacies"
    )
    rank = models.PositiveSmallIntegerField(_("peringkat"), null=True, blank=True)
    decision = models.CharField(
        _("keputusan"), max_length=10, choices=Decision.choices, blank=True, default=""
    )
    reason = models.TextField(_("alasan"), blank=True, default="")
    scores = models.JSONField(_("nilai per kriteria"), default=dict, blank=True)
    score = models.PositiveSmallIntegerField(
        _("skor total (0–100)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    added_at = models.DateTimeField(_("masuk daftar calon"), default=timezone.now)

    class Meta:
        verbose_name = _("calon")
        verbose_name_plural = _("calon")
        ordering = ["sidang", "rank", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sidang", "proposal"], name="candidate_once_per_sidang"
            ),
            models.UniqueConstraint(
                fields=["sidang", "rank"],
                condition=Q(rank__isnull=False),
                name="candidate_unique_rank",
            ),
            models.CheckConstraint(condition=Q(rank__gte=1), name="candidate_rank_from_one"),
            models.CheckConstraint(
                condition=~Q(decision="tidak") | ~Q(reason=""),
                name="candidate_refusal_has_a_reason",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=100), name="candidate_score_0_100"
            ),
        ]

    def __str__(self) -> str:
        # The proposal's code, as officials know it: the trail reads "calon JP24-00010 diubah".
        return self.proposal.code


class StoredFileAltered(Exception):
    """A stored berita acara whose bytes are not those rendered at closing (its SHA-256
    differs): changed or damaged in the storage, it is never served as the berita acara."""


class Minutes(PartOfSidang, models.Model):
    """The final berita acara of a closed sidang: rendered once, stored, never changed."""

    sidang = models.OneToOneField(
        Sidang, verbose_name=_("sidang"), on_delete=models.PROTECT, related_name="minutes"
    )
    number = models.CharField(_("nomor"), max_length=150)
    code = models.CharField(_("kode verifikasi"), max_length=12, unique=True)
    file = models.FileField(_("berkas"), upload_to="berita-acara/", max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("ukuran (bita)"))
    rendered_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    # Who signed it electronically (the certificate's subject), empty when unsigned.
    signed_by = models.CharField(
        _("ditandatangani secara elektronik oleh"), max_length=255, blank=True
    )

    class Meta:
        verbose_name = _("berita acara")
        verbose_name_plural = _("berita acara")
        constraints = [
            models.CheckConstraint(condition=~Q(sha256=""), name="minutes_has_hash"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("sessions:verify", args=[self.code])

    def content(self) -> bytes:
        """The stored file, checked against the SHA-256 kept at closing; raises
        StoredFileAltered when it differs."""
        with self.file.open("rb") as stored:
            content = stored.read()
        if hashlib.sha256(content).hexdigest() != self.sha256:
            raise StoredFileAltered(self.file.name)
        return content


class Participant(PartOfSidang, models.Model):
    """One line of the attendance list (daftar hadir)."""

    class Category(models.TextChoices):
        UKPD = "ukpd", _("UKPD")
        DANRAMIL = "danramil", _("Danramil")
        KAPOLSEK = "kapolsek", _("Kapolsek")
        DEWAN_KOTA = "dewan_kota", _("Dewan Kota")
        CAMAT = "camat", _("Camat")
        LURAH = "lurah", _("Lurah")
        PUSKESMAS = "puskesmas", _("Kepala puskesmas")
        PKK = "pkk", _("TP PKK")
        KETUA_RW = "ketua_rw", _("Ketua RW")
        TOKOH_AGAMA = "tokoh_agama", _("Tokoh agama")
        TOKOH_MASYARAKAT = "tokoh_masyarakat", _("Tokoh masyarakat")
        KARANG_TARUNA = "karang_taruna", _("Karang taruna")
        FORUM_ANAK = "forum_anak", _("Forum Anak")
        DIFABEL = "difabel", _("Perwakilan difabel")
        ORMAS = "ormas", _("Ormas")
        LMK = "lmk", _("LMK")
        OTHER = "other", _("Lainnya")

    class Presence(models.TextChoices):
        LURING = "luring", _("Luring")
        DARING = "daring", _("Daring")

    sidang = models.ForeignKey(
        Sidang, verbose_name=_("sidang"), on_delete=models.CASCADE, related_name="participants"
    )
    category = models.CharField(_("unsur"), max_length=20, choices=Category.choices)
    name = models.CharField(_("nama"), max_length=150)
    position = models.CharField(_("jabatan"), max_length=150, blank=True)
    institution = models.CharField(_("instansi/lembaga"), max_length=150, blank=True)
    presence = models.CharField(
        _("kehadiran"), max_length=8, choices=Presence.choices, default=Presence.LURING
    )
    # Invited in bulk (every ketua RW of the area, say), then ticked when they come.
    present = models.BooleanField(_("hadir"), default=True)
    is_delegate = models.BooleanField(_("delegasi ke tingkat berikutnya"), default=False)
    added_at = models.DateTimeField(_("dicatat"), default=timezone.now)

    class Meta:
        verbose_name = _("peserta")
        verbose_name_plural = _("daftar hadir")
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.name


class SignedScan(models.Model):
    """The wet-signed paper berita acara, scanned after closing: kept once, never replaced."""

    minutes = models.OneToOneField(
        Minutes, verbose_name=_("berita acara"), on_delete=models.PROTECT, related_name="scan"
    )
    file = models.FileField(_("berkas pindaian"), upload_to="pindaian/", max_length=200)
    content_type = models.CharField(_("jenis berkas"), max_length=40)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("ukuran (bita)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diunggah oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("diunggah"), default=timezone.now)

    class Meta:
        verbose_name = _("pindaian berita acara bertanda tangan")
        verbose_name_plural = _("pindaian berita acara bertanda tangan")
        constraints = [models.CheckConstraint(condition=~Q(sha256=""), name="scan_has_hash")]

    def __str__(self) -> str:
        return self.minutes.number

    def get_additional_data(self) -> dict:
        return {"sidang": self.minutes.sidang_id}
