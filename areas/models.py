"""Areas (Kemendagri tree), technical units (UKPD), officials and their assignments."""

import datetime
import re

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from areas import scope


class Level(models.TextChoices):
    PROVINSI = "provinsi", _("Provinsi")
    KOTA = "kota", _("Kota/Kabupaten")
    KECAMATAN = "kecamatan", _("Kecamatan")
    KELURAHAN = "kelurahan", _("Kelurahan")
    RW = "rw", _("RW")


LEVEL_DEPTH = {level: depth for depth, level in enumerate(Level.values)}


class AreaQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AreaQuerySet":
        return self.filter(scope.area_q(user, ""))

    def kecamatan(self) -> "AreaQuerySet":
        return self.filter(level=Level.KECAMATAN)

    def kelurahan(self) -> "AreaQuerySet":
        return self.filter(level=Level.KELURAHAN)

    def rw(self) -> "AreaQuerySet":
        return self.filter(level=Level.RW)

    def within(self, area: "Area") -> "AreaQuerySet":
        """The area's descendants (not the area itself)."""
        return self.filter(code__startswith=area.code + ".")


class Area(models.Model):
    """One node of the tree provinsi > kota > kecamatan > kelurahan > RW.

    The Kemendagri code is hierarchical (`31.71.04.1002` lies under `31.71.04`), so a subtree is
    a code prefix; scoping relies on that.
    """

    code = models.CharField(_("kode"), max_length=24, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    # The office of the area's head, as the letterhead (kop) of its berita acara prints it.
    office_address = models.CharField(
        _("alamat kantor"),
        max_length=255,
        blank=True,
        help_text=_("Mis. Jl. Kramat Raya No. 160, Jakarta Pusat 10430, Telp. (021) 3909876"),
    )
    logo = models.ImageField(_("logo kop surat"), upload_to="logo/", blank=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level="provinsi", parent__isnull=True)
                | (~Q(level="provinsi") & Q(parent__isnull=False)),
                name="area_only_provinsi_is_root",
            ),
        ]
        indexes = [
            models.Index(
                fields=["code"], name="area_code_prefix_idx", opclasses=["varchar_pattern_ops"]
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("admin:areas_area_change", args=[self.pk])

    @property
    def display_name(self) -> str:
        """The name as officials write it: "Kelurahan Kenari", "RW 007 Kenari"."""
        if self.level == Level.RW:
            parent_name = self.parent.name if self.parent_id else ""
            return f"RW {self.code.rsplit('.', 1)[-1]} {parent_name}".strip()
        if self.level in (Level.PROVINSI, Level.KOTA):
            return self.name
        return f"{self.get_level_display()} {self.name}"

    @property
    def depth(self) -> int:
        return LEVEL_DEPTH[self.level]

    def clean(self):
        if self.parent_id is None:
            return
        if LEVEL_DEPTH[self.level] != self.parent.depth + 1:
            raise ValidationError(
                {"parent": _("Induk wilayah harus tepat satu tingkat di atasnya.")}
            )
        if not self.code.startswith(self.parent.code + "."):
            raise ValidationError({"code": _("Kode harus diawali kode induknya.")})

    def ancestors(self) -> list["Area"]:
        """From the provinsi down to the parent, in one query."""
        parts = self.code.split(".")
        codes = [".".join(parts[:i]) for i in range(1, len(parts))]
        return list(Area.objects.filter(code__in=codes).order_by("code"))


class TechnicalUnitQuerySet(models.QuerySet):
    def visible_to(self, user) -> "TechnicalUnitQuerySet":
        return self.filter(scope.unit_q(user, ""))


class TechnicalUnit(models.Model):
    """A UKPD teknis (e.g. Suku Dinas Bina Marga) serving one kota."""

    code = models.SlugField(_("kode"), max_length=40)
    name = models.CharField(_("nama"), max_length=150)
    kota = models.ForeignKey(
        Area,
        verbose_name=_("kota"),
        on_delete=models.PROTECT,
        related_name="technical_units",
        limit_choices_to={"level": Level.KOTA},
    )

    objects = TechnicalUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("UKPD teknis")
        verbose_name_plural = _("UKPD teknis")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["kota", "code"], name="technical_unit_code_per_kota")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.kota_id and self.kota.level != Level.KOTA:
            raise ValidationError({"kota": _("UKPD teknis melayani satu kota/kabupaten.")})

    @property
    def short_name(self) -> str:
        return unit_short_name(self.name)


def unit_short_name(name: str) -> str:
    """A unit's name as tables print it: "Sudin Bina Marga" for "Suku Dinas Bina Marga"."""
    return name.replace("Suku Dinas ", "Sudin ", 1)


class Role(models.TextChoices):
    RW = "rw", _("Ketua RW")
    LURAH = "lurah", _("Lurah")
    CAMAT = "camat", _("Camat")
    UKPD = "ukpd", _("Petugas UKPD teknis")
    PLANNING = "planning", _("Suku Badan Perencanaan Pembangunan Kota")
    OBSERVER = "observer", _("Pemantau (Dewan Kota, DPRD)")
    DPRD = "dprd", _("Anggota DPRD (dan stafnya)")


# The level of area each role is assigned to; a UKPD officer is assigned to a unit instead.
ROLE_LEVEL = {
    Role.RW: Level.RW,
    Role.LURAH: Level.KELURAHAN,
    Role.CAMAT: Level.KECAMATAN,
    Role.PLANNING: Level.KOTA,
    Role.OBSERVER: Level.KOTA,
    Role.DPRD: Level.KOTA,  # the kota of the member's dapil; the dapil says which kecamatan
}


class DapilQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DapilQuerySet":
        return self.filter(scope.kota_q(user, "kota"))


class Dapil(models.Model):
    """An electoral district (daerah pemilihan) of DPRD members: a named set of kecamatan of one
    kota. A DPRD member reads the proposals of their dapil and enters their recess aspirations
    (pokir) for its RWs."""

    kota = models.ForeignKey(
        Area,
        verbose_name=_("kota"),
        on_delete=models.PROTECT,
        related_name="dapils",
        limit_choices_to={"level": Level.KOTA},
    )
    name = models.CharField(_("nama"), max_length=100, help_text=_("Mis. Dapil DKI Jakarta 1"))
    kecamatan = models.ManyToManyField(
        Area,
        verbose_name=_("kecamatan"),
        related_name="dapils_in",
        limit_choices_to={"level": Level.KECAMATAN},
    )

    objects = DapilQuerySet.as_manager()

    class Meta:
        verbose_name = _("daerah pemilihan (dapil)")
        verbose_name_plural = _("daerah pemilihan (dapil)")
        ordering = ["kota__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kota", "name"], name="dapil_name_per_kota"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.kota_id and self.kota.level != Level.KOTA:
            raise ValidationError({"kota": _("Dapil berada dalam satu kota/kabupaten.")})


def validate_nip(value: str) -> None:
    """A civil servant's NIP: 18 digits — date of birth (YYYYMMDD), month of appointment
    (YYYYMM), sex (1 or 2) and a three-digit serial."""
    if not re.fullmatch(r"[0-9]{18}", value):
        raise ValidationError(_("NIP terdiri atas 18 angka."), code="nip_digits")
    try:
        datetime.date(int(value[0:4]), int(value[4:6]), int(value[6:8]))
        datetime.date(int(value[8:12]), int(value[12:14]), 1)
    except ValueError:
        raise ValidationError(
            _("NIP tidak sah: tanggal lahir atau bulan pengangkatan di dalamnya tidak ada."),
            code="nip_dates",
        ) from None
    if value[14] not in "12":
        raise ValidationError(_("NIP tidak sah: angka ke-15 (jenis kelamin) 1 atau 2."))


def same_person(a: str, b: str) -> bool:
    """Whether two written names are one person's, titles and degrees aside: "Drs. H. Ahmad
    Fauzi, M.Si." is Ahmad Fauzi. An empty name is nobody."""
    return bool(_name_core(a)) and _name_core(a) == _name_core(b)


def _name_core(name: str) -> str:
    words = name.split(",")[0].split()
    return " ".join(w for w in words if not w.endswith(".")).casefold()


class User(AbstractUser):
    """An official (or the superuser). What they reach comes from their assignments; the name,
    NIP and position are what documents print under a signature."""

    full_name = models.CharField(
        _("nama lengkap dengan gelar"),
        max_length=150,
        blank=True,
        help_text=_("Sebagaimana ditulis di bawah tanda tangan, mis. Drs. H. Ahmad Fauzi, M.Si."),
    )
    nip = models.CharField(
        _("NIP"),
        max_length=18,
        blank=True,
        validators=[validate_nip],
        help_text=_("18 angka, bagi aparatur sipil negara."),
    )
    position = models.CharField(
        _("jabatan"), max_length=150, blank=True, help_text=_("Mis. Lurah Kenari")
    )
    # The columns each table shows the user, by table name ({"usulan": ["code", …]}), as they
    # chose them; a table not named here shows the columns of the user's role.
    table_columns = models.JSONField(_("kolom tabel"), default=dict, blank=True, editable=False)

    class Meta(AbstractUser.Meta):
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def get_full_name(self) -> str:
        """The name with titles where the register has it; pages greet and name officials so."""
        return self.full_name or super().get_full_name()


class Assignment(models.Model):
    """One role of one user over one area, or over one technical unit."""

    user = models.ForeignKey(
        User, verbose_name=_("pengguna"), on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.CharField(_("peran"), max_length=10, choices=Role.choices)
    area = models.ForeignKey(
        Area,
        verbose_name=_("wilayah"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
    )
    unit = models.ForeignKey(
        TechnicalUnit,
        verbose_name=_("UKPD teknis"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
    )
    # A DPRD member's dapil (their area is the dapil's kota): they reach its kecamatan only.
    dapil = models.ForeignKey(
        Dapil,
        verbose_name=_("dapil"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
    )

    class Meta:
        verbose_name = _("penugasan")
        verbose_name_plural = _("penugasan")
        ordering = ["role", "area__code"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(role="ukpd") & Q(unit__isnull=False) & Q(area__isnull=True))
                | (~Q(role="ukpd") & Q(unit__isnull=True) & Q(area__isnull=False)),
                name="assignment_area_or_unit_by_role",
            ),
            models.CheckConstraint(
                condition=Q(role="dprd", dapil__isnull=False)
                | (~Q(role="dprd") & Q(dapil__isnull=True)),
                name="assignment_dapil_iff_dprd",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "area"], name="assignment_unique_area_role"
            ),
            models.UniqueConstraint(
                fields=["user", "role", "unit"], name="assignment_unique_unit_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.target}"

    @property
    def target(self):
        if self.role == Role.DPRD:
            return self.dapil
        return self.unit if self.role == Role.UKPD else self.area

    def clean(self):
        if self.role == Role.UKPD:
            if not self.unit_id or self.area_id:
                raise ValidationError({"unit": _("Petugas UKPD ditugaskan pada satu UKPD teknis.")})
            return
        if self.unit_id or not self.area_id:
            raise ValidationError({"area": _("Peran ini ditugaskan pada satu wilayah.")})
        if (self.role == Role.DPRD) != bool(self.dapil_id):
            raise ValidationError(
                {"dapil": _("Anggota DPRD, dan hanya anggota DPRD, ditugaskan pada satu dapil.")}
            )
        if self.dapil_id and self.dapil.kota_id != self.area_id:
            raise ValidationError({"area": _("Wilayah anggota DPRD adalah kota dapilnya.")})
        expected = ROLE_LEVEL[self.role]
        if self.area.level != expected:
            raise ValidationError(
                {
                    "area": _("Peran %(role)s ditugaskan pada wilayah tingkat %(level)s.")
                    % {"role": self.get_role_display(), "level": Level(expected).label}
                }
            )
