"""Cycles, catalogue, proposals, surveys, attachments and each proposal's journey."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from areas import scope
from areas.models import Area, Dapil, Level, Role, TechnicalUnit


def rupiah_cost(volume: Decimal, unit_price: int) -> int:
    """Volume × unit price, rounded to whole rupiah (half up, as a cashier would)."""
    return int((Decimal(volume) * unit_price).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


# The cycle's dates in the order the stages run: each pair (earlier, later) may fall on one day.
CALENDAR_ORDER = [
    ("rw_closes", "pleno_pembuka_on"),
    ("pleno_pembuka_on", "kelompok_opens"),
    ("kelompok_opens", "kelompok_closes"),
    ("kelompok_closes", "kecamatan_opens"),
    ("kecamatan_opens", "kecamatan_closes"),
    ("kecamatan_closes", "penutupan_on"),
]


DEFAULT_LEGAL_BASIS = (
    "Undang-Undang Nomor 25 Tahun 2004 tentang Sistem Perencanaan Pembangunan Nasional\n"
    "Peraturan Menteri Dalam Negeri Nomor 86 Tahun 2017 tentang Tata Cara Perencanaan, "
    "Pengendalian dan Evaluasi Pembangunan Daerah, Tata Cara Evaluasi Rancangan Peraturan Daerah "
    "tentang Rencana Pembangunan Jangka Panjang Daerah dan Rencana Pembangunan Jangka Menengah "
    "Daerah, serta Tata Cara Perubahan Rencana Pembangunan Jangka Panjang Daerah, Rencana "
    "Pembangunan Jangka Menengah Daerah, dan Rencana Kerja Pemerintah Daerah"
)


class CycleQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CycleQuerySet":
        return self.filter(scope.kota_q(user, "kota"))

    def current_for(self, user) -> "Cycle | None":
        """The newest cycle the user reaches: the one their pages work in."""
        return self.visible_to(user).select_related("kota").order_by("-year").first()


class Cycle(models.Model):
    """One planning year of one kota: musrenbang 2024 plans the RKPD of 2025."""

    kota = models.ForeignKey(
        Area,
        verbose_name=_("kota"),
        on_delete=models.PROTECT,
        related_name="cycles",
        limit_choices_to={"level": Level.KOTA},
    )
    year = models.PositiveSmallIntegerField(
        _("tahun musrenbang"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    code_prefix = models.CharField(
        _("awalan kode usulan"),
        max_length=8,
        help_text=_("Awal kode publik setiap usulan, mis. JP24 untuk JP24-00417."),
    )
    rw_opens = models.DateField(_("input usulan RW dibuka"))
    rw_closes = models.DateField(_("input usulan RW ditutup"))
    pleno_pembuka_on = models.DateField(_("sidang pleno pembuka"), null=True, blank=True)
    kelompok_opens = models.DateField(_("sidang kelompok mulai"), null=True, blank=True)
    kelompok_closes = models.DateField(_("sidang kelompok selesai"), null=True, blank=True)
    kecamatan_opens = models.DateField(_("musrenbang kecamatan mulai"), null=True, blank=True)
    kecamatan_closes = models.DateField(_("musrenbang kecamatan selesai"), null=True, blank=True)
    penutupan_on = models.DateField(_("sidang pleno penutupan"), null=True, blank=True)
    quota_kelurahan = models.PositiveSmallIntegerField(
        _("kuota prioritas kelurahan"), default=5, validators=[MinValueValidator(1)]
    )
    quota_kecamatan = models.PositiveSmallIntegerField(
        _("kuota prioritas kecamatan"), default=3, validators=[MinValueValidator(1)]
    )
    priority_needs_survey = models.BooleanField(
        _("usulan fisik utama wajib disurvei"),
        default=True,
        help_text=_(
            "Usulan fisik menjadi utama hanya setelah survei UKPD merekomendasikannya; yang "
            "belum disurvei paling tinggi menjadi cadangan."
        ),
    )
    quorum_rembuk_rw = models.PositiveSmallIntegerField(
        _("kuorum rembuk RW"), default=5, validators=[MinValueValidator(1)]
    )
    quorum_pleno = models.PositiveSmallIntegerField(
        _("kuorum sidang pleno"), default=15, validators=[MinValueValidator(1)]
    )
    quorum_kelompok = models.PositiveSmallIntegerField(
        _("kuorum sidang kelompok"), default=8, validators=[MinValueValidator(1)]
    )
    quorum_kecamatan = models.PositiveSmallIntegerField(
        _("kuorum musrenbang kecamatan"), default=10, validators=[MinValueValidator(1)]
    )
    legal_basis = models.TextField(
        _("dasar hukum"),
        default=DEFAULT_LEGAL_BASIS,
        help_text=_("Satu peraturan per baris; dicetak berurutan dalam berita acara."),
    )
    carry_over_cycles = models.PositiveSmallIntegerField(
        _("usulan dibawa paling lama (siklus)"),
        default=2,
        validators=[MaxValueValidator(10)],
        help_text=_(
            "Cadangan dan usulan yang tidak diakomodir dibawa ke siklus berikutnya paling banyak "
            "sekian kali; 0: tidak dibawa."
        ),
    )
    stale_progress_months = models.PositiveSmallIntegerField(
        _("realisasi dianggap belum bergerak setelah (bulan)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    last_number = models.PositiveIntegerField(_("nomor usulan terakhir"), default=0, editable=False)
    minutes_number_pattern = models.CharField(
        _("pola nomor berita acara"),
        max_length=120,
        default="{nomor}/BA-MUSRENBANG/{jenis}/{kode}/{tahun}",
        help_text=_(
            "Bagian yang diisi otomatis: {nomor} (urut dalam siklus, 3 digit), {jenis} (RW, "
            "PP, SK, MK, PT), {kode} (kode wilayah Kemendagri), {tahun}."
        ),
    )
    last_minutes_number = models.PositiveIntegerField(
        _("nomor berita acara terakhir"), default=0, editable=False
    )

    objects = CycleQuerySet.as_manager()

    class Meta:
        verbose_name = _("siklus musrenbang")
        verbose_name_plural = _("siklus musrenbang")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["kota", "year"], name="cycle_one_per_kota_year"),
            models.UniqueConstraint(fields=["code_prefix"], name="cycle_unique_code_prefix"),
            models.CheckConstraint(
                condition=Q(rw_closes__gte=F("rw_opens")), name="cycle_rw_window_ordered"
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{earlier}__isnull": True})
                    | Q(**{f"{later}__isnull": True})
                    | Q(**{f"{earlier}__lte": F(later)}),
                    name=f"cycle_{earlier}_before_{later}",
                )
                for earlier, later in CALENDAR_ORDER
            ),
        ]

    def __str__(self) -> str:
        return _("Musrenbang %(year)s %(kota)s") % {"year": self.year, "kota": self.kota.name}

    @property
    def plan_year(self) -> int:
        """The RKPD year this cycle plans for."""
        return self.year + 1

    def minutes_number(self, *, number: int, kind_code: str, area_code: str) -> str:
        """The number of a berita acara, after the cycle's pattern."""
        return self.minutes_number_pattern.format(
            nomor=f"{number:03d}", jenis=kind_code, kode=area_code, tahun=self.year
        )

    def rw_window_open(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.rw_opens <= today <= self.rw_closes

    def survey_dates(self) -> tuple[datetime.date, datetime.date]:
        """The first and last day a UKPD survey of this cycle may be dated: from the opening of
        the RW window to the end of the musrenbang kecamatan, or, while that is not set, to the
        end of the cycle's year (of the RW window's year, should that be moved later)."""
        last = self.kecamatan_closes or datetime.date(max(self.year, self.rw_closes.year), 12, 31)
        return self.rw_opens, last

    def clean(self):
        if self.kota_id and self.kota.level != Level.KOTA:
            raise ValidationError({"kota": _("Siklus musrenbang milik satu kota/kabupaten.")})
        try:
            self.minutes_number(number=1, kind_code="SK", area_code="31.71")
        except (KeyError, IndexError, ValueError) as error:
            raise ValidationError(
                {
                    "minutes_number_pattern": _(
                        "Pola hanya boleh memakai {nomor}, {jenis}, {kode} dan {tahun}."
                    )
                }
            ) from error
        if self.rw_opens and self.rw_closes and self.rw_closes < self.rw_opens:
            raise ValidationError(
                {"rw_closes": _("Tanggal tutup tidak boleh sebelum tanggal buka.")}
            )
        self._check_calendar_order()

    def _check_calendar_order(self) -> None:
        """Each stage's date no earlier than the one before it: the RW window ends by the pleno
        pembuka, the sidang kelompok end by the musrenbang kecamatan, …"""
        errors = {}
        for earlier, later in CALENDAR_ORDER:
            first, then = getattr(self, earlier), getattr(self, later)
            if first and then and then < first and later not in errors:
                errors[later] = _("Tanggal ini tidak boleh sebelum %(earlier)s (%(date)s).") % {
                    "earlier": self._meta.get_field(earlier).verbose_name,
                    "date": date_format(first, "j F Y"),
                }
        if errors:
            raise ValidationError(errors)


class Category(models.TextChoices):
    FISIK = "fisik", _("Fisik")
    PENGADAAN = "pengadaan", _("Pengadaan barang")
    NON_FISIK = "non_fisik", _("Non-fisik")


class CatalogueItemQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CatalogueItemQuerySet":
        return self.filter(scope.unit_q(user, "unit"))

    def active(self) -> "CatalogueItemQuerySet":
        return self.filter(active=True)


class CatalogueItem(models.Model):
    """An allowed kind of proposal (kamus usulan) of one kota, with its responsible UKPD."""

    unit = models.ForeignKey(
        TechnicalUnit,
        verbose_name=_("UKPD penanggung jawab"),
        on_delete=models.PROTECT,
        related_name="catalogue_items",
    )
    code = models.CharField(_("kode"), max_length=20)
    name = models.CharField(_("nama"), max_length=150)
    category = models.CharField(_("kategori"), max_length=10, choices=Category.choices)
    sector = models.CharField(_("bidang"), max_length=80)
    measure = models.CharField(_("satuan"), max_length=20)
    unit_price = models.PositiveBigIntegerField(_("harga satuan indikatif (Rp)"))
    max_volume = models.DecimalField(
        _("volume terbesar yang wajar"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Batas volume satu usulan untuk item ini; kosong: batas umum sistem."),
    )
    active = models.BooleanField(_("aktif"), default=True)

    objects = CatalogueItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("item kamus usulan")
        verbose_name_plural = _("kamus usulan")
        ordering = ["category", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="catalogue_code_per_unit"),
        ]

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    DRAFT = "draft", _("Draf")
    # Carried over from the previous cycle: waits for its RW to confirm or withdraw it.
    CARRIED = "carried", _("Dibawa dari siklus lalu, menunggu konfirmasi RW")
    WITHDRAWN = "withdrawn", _("Ditarik RW")
    EXPIRED = "expired", _("Kedaluwarsa, tidak dikonfirmasi RW")
    SUBMITTED = "submitted", _("Diajukan ke kelurahan")
    RETURNED = "returned", _("Dikembalikan ke RW")
    ACCEPTED = "accepted", _("Diterima kelurahan")
    # Decided in the sidang kelompok of the kelurahan
    KELURAHAN_PRIORITY = "kel_priority", _("Prioritas kelurahan")
    KELURAHAN_RESERVE = "kel_reserve", _("Cadangan kelurahan")
    # A kelurahan priority whose sidang kelompok closed after its musrenbang kecamatan: it waits
    # for the planning office to take it up.
    KELURAHAN_LATE = "kel_late", _("Prioritas kelurahan terlambat")
    NOT_PRIORITISED = "not_priority", _("Tidak diprioritaskan")
    # Decided in the musrenbang kecamatan
    KECAMATAN_PRIORITY = "kec_priority", _("Prioritas kecamatan")
    KECAMATAN_RESERVE = "kec_reserve", _("Cadangan kecamatan")
    # A DPRD member's recess aspiration (pokir): straight to the kota, for the UKPD's survey
    # and the planning office's final decision, without sidang kelompok or musrenbang kecamatan.
    POKIR = "pokir", _("Pokir DPRD, menunggu keputusan kota")
    # Decided by the planning office
    RENJA = "renja", _("Diakomodir dalam Renja")
    CURRENT_BUDGET = "budget", _("Diakomodir dalam anggaran berjalan")
    MERGED = "merged", _("Digabung dengan usulan lain")
    NOT_ACCOMMODATED = "not_accommodated", _("Tidak diakomodir")


class Source(models.TextChoices):
    """Where a proposal comes from: an RW's musrenbang, or a DPRD member's recess."""

    RW = "rw", _("Musrenbang RW")
    POKIR = "pokir", _("Pokir DPRD")


class RecessQuerySet(models.QuerySet):
    def visible_to(self, user) -> "RecessQuerySet":
        """A member's recesses to the members (and staff) of its dapil; all of the kota's to
        the planning office, who decides on the pokir, and to its observers."""
        r = scope.reach(user)
        if r.everything:
            return self.all()
        mine = Q(dapil_id__in=r.dapil_ids) if r.dapil_ids else scope.NOTHING
        return self.filter(
            mine | scope.area_q(user, "dapil__kota", roles={Role.PLANNING, Role.OBSERVER})
        )

    def enterable_by(self, user) -> "RecessQuerySet":
        """The recesses whose aspirations the user may add: those of their own dapil."""
        r = scope.reach(user)
        return self.filter(dapil_id__in=r.dapil_ids)


class Recess(models.Model):
    """A DPRD member's recess (reses): where and when the member heard their dapil's
    aspirations, which then enter the cycle as pokir proposals."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("siklus"), on_delete=models.PROTECT, related_name="recesses"
    )
    dapil = models.ForeignKey(
        Dapil, verbose_name=_("dapil"), on_delete=models.PROTECT, related_name="recesses"
    )
    member = models.CharField(
        _("anggota DPRD"), max_length=150, help_text=_("Nama dengan gelar, mis. H. Ahmad, S.H.")
    )
    held_on = models.DateField(_("tanggal reses"))
    place = models.CharField(_("tempat reses"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dicatat"), default=timezone.now)

    objects = RecessQuerySet.as_manager()

    class Meta:
        verbose_name = _("reses DPRD")
        verbose_name_plural = _("reses DPRD")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return _("Reses %(member)s, %(date)s") % {
            "member": self.member,
            "date": date_format(self.held_on, "j F Y"),
        }

    def get_absolute_url(self) -> str:
        return reverse("proposals:recess", args=[self.pk])


class Recommendation(models.TextChoices):
    RECOMMENDED = "recommended", _("Direkomendasikan")
    NOT_RECOMMENDED = "not_recommended", _("Tidak direkomendasikan")


class RejectionReason(models.TextChoices):
    NOT_PROVINCE_ASSET = "not_province_asset", _("Aset bukan milik Pemprov DKI Jakarta")
    BELOW_STANDARD = "below_standard", _("Di bawah ukuran standar")
    STILL_ADEQUATE = "still_adequate", _("Kondisi eksisting masih layak")
    ALREADY_BUDGETED = "already_budgeted", _("Sudah dianggarkan")
    OTHER = "other", _("Lainnya")


def planned_cost_sql(prefix: str = "") -> Coalesce:
    """Proposal.planned_cost in SQL, for sums: the surveyed cost where a survey revised it,
    the proposed one otherwise. `prefix` reaches the proposal from another model
    ("proposal__")."""
    return Coalesce(f"{prefix}survey__revised_cost", f"{prefix}cost")


class ProposalQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ProposalQuerySet":
        """The proposals of the user's reach; a draft only to its own RW until it is submitted
        (the superuser, who administers, sees everything)."""
        return self.filter(
            scope.levels_q(user, unit="target_unit"),
            scope.drafts_q(user, draft=Q(status=Status.DRAFT), owner=Role.RW, unit="target_unit"),
        )

    def actionable_by(self, user, role: str) -> "ProposalQuerySet":
        """Proposals on which the user acts in `role` (a lurah over their kelurahan, …)."""
        return self.filter(scope.levels_q(user, unit="target_unit", roles={role}))

    def for_table(self) -> "ProposalQuerySet":
        """The table's columns. The screen reads the names of a page's areas, items and units
        in one more small query (ProposalTable.html_rows): joining five tables made planning the
        page query cost ten times running it."""
        return self.defer("problem", "address")

    def planned_cost_sum(self) -> int:
        """The proposals' cost as Proposal.planned_cost counts each: surveyed where a survey
        revised it, proposed otherwise (what a ceiling is measured against)."""
        return int(self.order_by().aggregate(total=Sum(planned_cost_sql()))["total"] or 0)

    def with_references(self) -> "ProposalQuerySet":
        """Joined with every table the exported columns name."""
        return self.select_related("kecamatan", "kelurahan", "rw", "catalogue_item", "target_unit")


class Proposal(models.Model):
    """A proposal (usulan) from one RW in one cycle, and where it stands."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("siklus"), on_delete=models.PROTECT, related_name="proposals"
    )
    number = models.PositiveIntegerField(_("nomor"))
    code = models.CharField(_("kode"), max_length=20, unique=True)
    rw = models.ForeignKey(
        Area,
        verbose_name=_("RW"),
        on_delete=models.PROTECT,
        related_name="proposals",
        limit_choices_to={"level": Level.RW},
    )
    # The RW's kelurahan, kecamatan and kota, kept on the row: the scope, the filters and the
    # recap test them by id, and indexes lead with them.
    kelurahan = models.ForeignKey(
        Area, verbose_name=_("kelurahan"), on_delete=models.PROTECT, related_name="+"
    )
    kecamatan = models.ForeignKey(
        Area, verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="+"
    )
    kota = models.ForeignKey(
        Area, verbose_name=_("kota"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("judul usulan"), max_length=200)
    problem = models.TextField(_("permasalahan dan alasan"))
    catalogue_item = models.ForeignKey(
        CatalogueItem,
        verbose_name=_("item kamus usulan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        help_text=_("Usulan di luar kamus boleh, tetapi ditandai."),
    )
    category = models.CharField(_("kategori"), max_length=10, choices=Category.choices)
    target_unit = models.ForeignKey(
        TechnicalUnit,
        verbose_name=_("UKPD tujuan"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    address = models.CharField(_("alamat lokasi"), max_length=255)
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    latitude = models.DecimalField(
        _("lintang"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("bujur"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    volume = models.DecimalField(
        _("volume"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    measure = models.CharField(_("satuan"), max_length=20)
    unit_price = models.PositiveBigIntegerField(_("harga satuan (Rp)"))
    cost = models.PositiveBigIntegerField(_("perkiraan biaya (Rp)"), editable=False)
    beneficiaries = models.PositiveIntegerField(_("jumlah penerima manfaat (jiwa)"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    recommendation = models.CharField(
        _("rekomendasi survei"), max_length=16, choices=Recommendation.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    submitted_at = models.DateTimeField(_("diajukan"), null=True, blank=True)
    # Carry-over: the same proposal of the previous cycle, and the year it was first proposed.
    carried_from = models.OneToOneField(
        "self",
        verbose_name=_("dibawa dari usulan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_to",
    )
    first_year = models.PositiveSmallIntegerField(_("pertama diusulkan"), null=True, blank=True)
    source = models.CharField(
        _("sumber"), max_length=8, choices=Source.choices, default=Source.RW, db_index=True
    )
    recess = models.ForeignKey(
        Recess,
        verbose_name=_("reses"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("usulan")
        verbose_name_plural = _("usulan")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="proposal_number_per_cycle"),
            models.CheckConstraint(condition=Q(volume__gt=0), name="proposal_volume_positive"),
            models.CheckConstraint(
                condition=~Q(status="draft") | Q(submitted_at__isnull=True),
                name="proposal_draft_not_submitted",
            ),
            # A point on the map needs both coordinates.
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="proposal_point_whole",
            ),
            # A pokir names its recess, and only a pokir has one.
            models.CheckConstraint(
                condition=Q(source="pokir", recess__isnull=False)
                | (~Q(source="pokir") & Q(recess__isnull=True)),
                name="proposal_recess_iff_pokir",
            ),
        ]
        indexes = [
            models.Index(fields=["cycle", "kecamatan", "kelurahan"], name="proposal_area_idx"),
            models.Index(fields=["target_unit", "status"], name="proposal_unit_status_idx"),
            # The table's pages at every level of reach, newest first (the id rides along so a
            # deep page is found in the index alone), and the costliest first.
            models.Index(fields=["kota", "-code"], include=["id"], name="proposal_kota_code_idx"),
            models.Index(
                fields=["kecamatan", "-code"], include=["id"], name="proposal_kecamatan_code_idx"
            ),
            models.Index(fields=["kelurahan", "-code"], name="proposal_kelurahan_code_idx"),
            models.Index(
                fields=["kota", "-cost", "-code"], include=["id"], name="proposal_kota_cost_idx"
            ),
            models.Index(fields=["-cost"], name="proposal_cost_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def save(self, *args, **kwargs):
        self.kelurahan_id = self.rw.parent_id
        self.kecamatan_id = self.rw.parent.parent_id
        self.kota_id = self.rw.parent.parent.parent_id
        self.cost = rupiah_cost(self.volume, self.unit_price)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("proposals:detail", args=[self.pk])

    @property
    def planned_cost(self) -> int:
        """The cost a ranking counts: the survey's where the UKPD surveyed it, the proposed one
        otherwise (read the survey with the proposal: select_related("survey"))."""
        survey = getattr(self, "survey", None)
        return survey.revised_cost if survey is not None else self.cost

    @property
    def outside_catalogue(self) -> bool:
        return self.catalogue_item_id is None

    @property
    def needs_survey(self) -> bool:
        return self.category == Category.FISIK

    @property
    def is_pokir(self) -> bool:
        return self.source == Source.POKIR

    @property
    def rw_may_edit(self) -> bool:
        return self.status in (Status.DRAFT, Status.RETURNED)

    # Who may take which step. Services refuse what these refuse; pages offer what they allow.

    @property
    def pokir_may_edit(self) -> bool:
        """A pokir stays its member's to correct until its UKPD surveys it or the kota decides."""
        return self.status == Status.POKIR and not hasattr(self, "survey")

    def may_edit(self, user) -> bool:
        """The proposal's RW, while it is a draft or returned to them; a pokir, the DPRD member
        (or staff) of its dapil until it is surveyed or decided."""
        if self.is_pokir:
            dapil_ids = scope.reach(user).dapil_ids
            return bool(dapil_ids) and self.pokir_may_edit and self.recess.dapil_id in dapil_ids
        return self.rw_may_edit and scope.reach(user).holds(Role.RW, self.rw.code)

    def may_validate(self, user) -> bool:
        """The lurah of the kelurahan, while the proposal awaits validation."""
        return self.status == Status.SUBMITTED and scope.reach(user).holds(Role.LURAH, self.rw.code)

    def may_decide(self, user) -> bool:
        """The planning office of the kota, once the kecamatan has forwarded the proposal, or
        a kelurahan priority came too late for its musrenbang kecamatan, or a DPRD member
        entered it as a pokir."""
        decidable = {
            Status.KECAMATAN_PRIORITY,
            Status.KELURAHAN_LATE,
            Status.POKIR,
            *Decision.STATUS.values(),
        }
        return self.status in decidable and scope.reach(user).holds(Role.PLANNING, self.rw.code)

    def may_survey(self, user) -> bool:
        """An officer of the target UKPD, once the RW has submitted a physical proposal."""
        return (
            self.needs_survey
            and self.status in (Status.SUBMITTED, Status.ACCEPTED, Status.POKIR)
            and self.target_unit_id in scope.reach(user).unit_ids
        )

    def journey(self):
        return self.events.select_related("actor").order_by("at", "pk")


class Survey(models.Model):
    """A UKPD's on-site check of a physical proposal; the proposal keeps its own values."""

    proposal = models.OneToOneField(
        Proposal, verbose_name=_("usulan"), on_delete=models.CASCADE, related_name="survey"
    )
    surveyed_on = models.DateField(_("tanggal survei"))
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("petugas"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    findings = models.TextField(_("temuan lapangan"))
    photo = models.ForeignKey(
        "Attachment",
        verbose_name=_("foto survei"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recommendation = models.CharField(
        _("rekomendasi"), max_length=16, choices=Recommendation.choices
    )
    reason = models.CharField(
        _("alasan"), max_length=20, choices=RejectionReason.choices, blank=True
    )
    reason_note = models.TextField(_("keterangan alasan"), blank=True)
    revised_volume = models.DecimalField(
        _("volume hasil survei"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    revised_cost = models.PositiveBigIntegerField(_("biaya hasil survei (Rp)"), editable=False)
    recorded_at = models.DateTimeField(_("dicatat"), default=timezone.now)

    class Meta:
        verbose_name = _("survei")
        verbose_name_plural = _("survei")
        constraints = [
            models.CheckConstraint(
                condition=Q(recommendation="recommended", reason="")
                | (Q(recommendation="not_recommended") & ~Q(reason="")),
                name="survey_reason_iff_not_recommended",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal.code}: {self.get_recommendation_display()}"


class CeilingQuerySet(models.QuerySet):
    def amount_for(self, cycle_id: int, area_id: int) -> int | None:
        """The ceiling of one area in one cycle, None when it has none."""
        return (
            self.filter(cycle_id=cycle_id, area_id=area_id).values_list("amount", flat=True).first()
        )


class Ceiling(models.Model):
    """A pagu indikatif kewilayahan: the indicative budget ceiling of one kecamatan or
    kelurahan in one cycle, which its priorities are fitted to (Permendagri 86/2017)."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("siklus"), on_delete=models.CASCADE, related_name="ceilings"
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("wilayah"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level__in": [Level.KECAMATAN, Level.KELURAHAN]},
    )
    amount = models.PositiveBigIntegerField(
        _("pagu indikatif (Rp)"), validators=[MinValueValidator(1)]
    )

    objects = CeilingQuerySet.as_manager()

    class Meta:
        verbose_name = _("pagu indikatif")
        verbose_name_plural = _("pagu indikatif")
        ordering = ["cycle", "area__code"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "area"], name="ceiling_one_per_cycle_area"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="ceiling_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.area.name}: Rp {self.amount:,}".replace(",", ".")

    def clean(self):
        if not (self.area_id and self.cycle_id):
            return
        in_kota = self.area.code.startswith(self.cycle.kota.code + ".")
        if self.area.level not in (Level.KECAMATAN, Level.KELURAHAN) or not in_kota:
            raise ValidationError(
                {"area": _("Pagu indikatif hanya untuk kecamatan atau kelurahan kota siklus ini.")}
            )


class SubActivityQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SubActivityQuerySet":
        return self.filter(scope.kota_q(user, "cycle__kota"))


class SubActivity(models.Model):
    """One line of the cycle's Renja nomenclature: programme › kegiatan › sub kegiatan, as the
    planning office imports it (Kepmendagri 050-5889 codes)."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("siklus"), on_delete=models.CASCADE, related_name="sub_activities"
    )
    program_code = models.CharField(_("kode program"), max_length=30)
    program_name = models.CharField(_("program"), max_length=255)
    activity_code = models.CharField(_("kode kegiatan"), max_length=30)
    activity_name = models.CharField(_("kegiatan"), max_length=255)
    code = models.CharField(_("kode sub kegiatan"), max_length=30)
    name = models.CharField(_("sub kegiatan"), max_length=255)

    objects = SubActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("sub kegiatan Renja")
        verbose_name_plural = _("sub kegiatan Renja")
        ordering = ["cycle", "code"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "code"], name="sub_activity_code_per_cycle"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Decision(models.Model):
    """The planning office's final decision on a proposal the kecamatan forwarded to the kota."""

    class Kind(models.TextChoices):
        RENJA = "renja", _("Diakomodir dalam Renja tahun berikutnya")
        CURRENT_BUDGET = "budget", _("Diakomodir dalam anggaran berjalan")
        MERGED = "merged", _("Digabung dengan usulan lain")
        NOT_ACCOMMODATED = "not_accommodated", _("Tidak diakomodir")

    STATUS = {
        Kind.RENJA: Status.RENJA,
        Kind.CURRENT_BUDGET: Status.CURRENT_BUDGET,
        Kind.MERGED: Status.MERGED,
        Kind.NOT_ACCOMMODATED: Status.NOT_ACCOMMODATED,
    }

    proposal = models.OneToOneField(
        Proposal, verbose_name=_("usulan"), on_delete=models.CASCADE, related_name="decision"
    )
    kind = models.CharField(_("keputusan"), max_length=16, choices=Kind.choices)
    reason = models.TextField(_("alasan"), blank=True)
    merged_into = models.ForeignKey(
        Proposal,
        verbose_name=_("digabung ke usulan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
    )
    # What the Renja team needs of an accommodated proposal.
    sub_activity = models.ForeignKey(
        "SubActivity",
        verbose_name=_("sub kegiatan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
    )
    unit = models.ForeignKey(
        TechnicalUnit,
        verbose_name=_("SKPD/UKPD pelaksana"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
    )
    amount = models.PositiveBigIntegerField(_("pagu anggaran (Rp)"), null=True, blank=True)
    budget_year = models.PositiveSmallIntegerField(
        _("tahun anggaran"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("oleh"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("waktu"), default=timezone.now)

    ACCOMMODATED = (Kind.RENJA, Kind.CURRENT_BUDGET)

    class Meta:
        verbose_name = _("keputusan akhir")
        verbose_name_plural = _("keputusan akhir")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="merged", merged_into__isnull=False)
                | (~Q(kind="merged") & Q(merged_into__isnull=True)),
                name="decision_merged_names_its_target",
            ),
            models.CheckConstraint(
                condition=~Q(kind="not_accommodated") | ~Q(reason=""),
                name="decision_refusal_has_a_reason",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=F("proposal")), name="decision_not_merged_into_itself"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["renja", "budget"])
                | Q(sub_activity__isnull=True, unit__isnull=True, amount__isnull=True),
                name="decision_budget_only_when_accommodated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.get_kind_display()}"

    @property
    def accommodated(self) -> bool:
        return self.kind in self.ACCOMMODATED


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Stored under a generated name; the uploaded name is kept only as data.
    return f"usulan/{instance.proposal_id}/{instance.token}.{instance.extension}"


class Attachment(models.Model):
    """A photo or document of a proposal (or of its survey), checked by content, ≤ 5 MB."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Foto")
        DOCUMENT = "document", _("Dokumen")

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("usulan"), on_delete=models.CASCADE, related_name="attachments"
    )
    # A photo of a realisation report (else of the proposal or its survey).
    progress = models.ForeignKey(
        "Progress",
        verbose_name=_("laporan realisasi"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
    )
    token = models.CharField(_("token"), max_length=32, unique=True, editable=False)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    content_type = models.CharField(_("tipe isi"), max_length=40)
    file = models.FileField(_("berkas"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("nama berkas asal"), max_length=200)
    size = models.PositiveIntegerField(_("ukuran (bita)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diunggah oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("diunggah"), default=timezone.now)

    class Meta:
        verbose_name = _("lampiran")
        verbose_name_plural = _("lampiran")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("proposals:attachment", args=[self.proposal_id, self.pk])

    @property
    def extension(self) -> str:
        return {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}[
            self.content_type
        ]

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Event(models.Model):
    """One step of a proposal's journey: who decided what, when and why. Never edited."""

    class Action(models.TextChoices):
        CREATED = "created", _("Dibuat")
        EDITED = "edited", _("Diubah")
        SUBMITTED = "submitted", _("Diajukan ke kelurahan")
        RETURNED = "returned", _("Dikembalikan ke RW")
        ACCEPTED = "accepted", _("Diterima sebagai calon kelurahan")
        SURVEYED = "surveyed", _("Disurvei UKPD")
        IMPORTED = "imported", _("Diimpor dari lembar kerja")
        RANKED_KELURAHAN = "ranked_kel", _("Diputuskan dalam sidang kelompok kelurahan")
        RANKED_KECAMATAN = "ranked_kec", _("Diputuskan dalam musrenbang kecamatan")
        DECIDED = "decided", _("Keputusan akhir")
        CARRIED = "carried", _("Dibawa ke siklus berikutnya")
        CONFIRMED = "confirmed", _("Dikonfirmasi RW untuk siklus ini")
        WITHDRAWN = "withdrawn", _("Ditarik RW")
        EXPIRED = "expired", _("Kedaluwarsa")
        PROGRESS = "progress", _("Realisasi")
        POKIR = "pokir", _("Dicatat sebagai pokir DPRD dari reses")

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("usulan"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("tindakan"), max_length=12, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oleh"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    # The office that acted, as the public may read it ("Lurah Kenari"), never a person's name.
    actor_office = models.CharField(_("jabatan"), max_length=150, blank=True)
    at = models.DateTimeField(_("waktu"), default=timezone.now)
    note = models.TextField(_("alasan/catatan"), blank=True)

    class Meta:
        verbose_name = _("riwayat keputusan")
        verbose_name_plural = _("riwayat keputusan")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["proposal", "at"], name="event_proposal_at_idx"),
            # When the lurah accepted, read per row of the survey queue to sort it: from the
            # index alone, without the proposal's other events.
            models.Index(
                fields=["proposal", "at"],
                condition=Q(action="accepted"),
                name="event_accepted_at_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} {self.get_action_display()}"

    @property
    def shown_note(self) -> str:
        """The note in the reader's language where the system wrote it (proposals/journey.py)."""
        from proposals.journey import shown_note  # it reads the labels of this module

        return shown_note(self)


class Stage(models.TextChoices):
    """Where the work of an accommodated proposal stands."""

    PLANNING = "perencanaan", _("Perencanaan")
    PROCUREMENT = "pengadaan", _("Pengadaan")
    EXECUTION = "pelaksanaan", _("Pelaksanaan")
    # "Selesai" and "Batal" name other things elsewhere (a session's end, a cancel button).
    DONE = "selesai", pgettext_lazy("realisasi", "Selesai")
    CANCELLED = "batal", pgettext_lazy("realisasi", "Batal")


class RealisationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "RealisationQuerySet":
        """An official's area, or the responsible unit's officers."""
        return self.filter(scope.area_q(user, "proposal__rw", unit="unit"))

    def recordable_by(self, user) -> "RealisationQuerySet":
        """The realisations whose progress the user reports: their unit's."""
        return self.filter(scope.area_q(user, "proposal__rw", unit="unit", roles={Role.UKPD}))

    def stale(self, *, months: int, today: datetime.date | None = None) -> "RealisationQuerySet":
        """Still open, and no progress reported for `months` months (nor since the decision)."""
        today = today or timezone.localdate()
        since = _months_before(today, months)
        return self.exclude(stage__in=[Stage.DONE, Stage.CANCELLED]).filter(
            Q(reported_on__lt=since) | Q(reported_on__isnull=True, started_on__lt=since)
        )


def _months_before(day: datetime.date, months: int) -> datetime.date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, 28))


class Realisation(models.Model):
    """Where the work of one accommodated proposal stands: the latest of its progress reports,
    kept beside them so that the recap counts at any size in one grouped query."""

    proposal = models.OneToOneField(
        Proposal, verbose_name=_("usulan"), on_delete=models.CASCADE, related_name="realisation"
    )
    unit = models.ForeignKey(
        TechnicalUnit,
        verbose_name=_("SKPD/UKPD pelaksana"),
        on_delete=models.PROTECT,
        related_name="realisations",
    )
    kecamatan = models.ForeignKey(
        Area, verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(
        _("tahap"), max_length=12, choices=Stage.choices, blank=True, default=""
    )
    percent = models.PositiveSmallIntegerField(
        _("progres (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    started_on = models.DateField(_("diakomodir sejak"))
    reported_on = models.DateField(_("laporan terakhir"), null=True, blank=True)

    objects = RealisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("realisasi")
        verbose_name_plural = _("realisasi")
        indexes = [
            models.Index(fields=["kecamatan", "stage"], name="realisation_kecamatan_idx"),
            models.Index(fields=["unit", "stage"], name="realisation_unit_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="realisation_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.get_stage_display() or '-'}"


class Progress(models.Model):
    """One report of the responsible unit on an accommodated proposal's work. Never edited."""

    realisation = models.ForeignKey(
        Realisation,
        verbose_name=_("realisasi"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    stage = models.CharField(_("tahap"), max_length=12, choices=Stage.choices)
    percent = models.PositiveSmallIntegerField(
        _("progres (%)"), validators=[MaxValueValidator(100)]
    )
    reported_on = models.DateField(_("tanggal"))
    note = models.TextField(_("catatan"), blank=True)
    reason = models.TextField(_("alasan pembatalan"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("oleh"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("dicatat"), default=timezone.now)

    class Meta:
        verbose_name = _("laporan realisasi")
        verbose_name_plural = _("laporan realisasi")
        ordering = ["reported_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="progress_percent"),
            models.CheckConstraint(
                condition=~Q(stage="batal") | ~Q(reason=""), name="progress_cancel_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(stage="selesai") | Q(percent=100), name="progress_done_is_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.percent} %"
