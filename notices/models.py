"""Notices to users about what happened in their scope, and their delivery outside the inbox."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NoticeQuerySet(models.QuerySet):
    def visible_to(self, user) -> "NoticeQuerySet":
        """A user's own notices: nobody reads another's inbox."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def unread(self) -> "NoticeQuerySet":
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    """One message in one user's inbox: plain Indonesian, with the page it is about."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penerima"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    kind = models.CharField(_("jenis"), max_length=24)
    subject = models.CharField(_("judul"), max_length=200)
    text = models.TextField(_("isi"))
    url = models.CharField(_("tautan"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("waktu"), default=timezone.now)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notice_user_idx"),
            models.Index(
                fields=["user"], condition=Q(read_at__isnull=True), name="notice_unread_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class Delivery(models.Model):
    """A notice sent out through one channel (e-mail), by the worker, with retries."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")

    notice = models.ForeignKey(
        Notice, verbose_name=_("notifikasi"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("saluran"), max_length=20)
    address = models.CharField(_("alamat"), max_length=254)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    sent_at = models.DateTimeField(_("terkirim"), null=True, blank=True)

    class Meta:
        verbose_name = _("pengiriman notifikasi")
        verbose_name_plural = _("pengiriman notifikasi")
        constraints = [
            models.UniqueConstraint(fields=["notice", "channel"], name="delivery_once_per_channel"),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="delivery_sent_at"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} → {self.address}: {self.get_status_display()}"
