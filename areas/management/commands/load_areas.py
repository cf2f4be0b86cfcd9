from django.core.management.base import BaseCommand

from areas.services import areas_load


class Command(BaseCommand):
    help = "Muat seluruh wilayah DKI Jakarta (provinsi, kota/kabupaten, kecamatan, kelurahan)."

    def handle(self, *args, **options):
        result = areas_load()
        self.stdout.write(
            f"Wilayah: {result.created} dibuat, {result.updated} diperbarui, "
            f"{result.unchanged} tetap."
        )
