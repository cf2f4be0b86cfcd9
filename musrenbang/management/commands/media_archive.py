"""`manage.py media_archive media.tar.gz`: every stored file, from whichever storage."""

from django.core.management.base import BaseCommand

from musrenbang.media_archive import media_archive


class Command(BaseCommand):
    help = "Write every stored file (photos, berita acara, scans, logos) into one tar.gz."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the tar.gz to write")

    def handle(self, *args, file, **options):
        count = media_archive(file)
        self.stdout.write(f"{count} stored files written to {file}.")
