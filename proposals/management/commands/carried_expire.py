"""Expire the carried proposals their RW did not confirm before the RW window closed."""

from django.core.management.base import BaseCommand

from proposals.carry import carried_expire, cycles_to_expire


class Command(BaseCommand):
    help = (
        "Usulan bawaan yang tidak dikonfirmasi RW sampai masa input RW ditutup menjadi "
        "kedaluwarsa. Jalankan setiap hari (cron)."
    )

    def handle(self, *args, **options):
        for cycle in cycles_to_expire():
            count = carried_expire(cycle=cycle)
            self.stdout.write(f"Musrenbang {cycle.year} {cycle.kota.name}: {count} kedaluwarsa.")
