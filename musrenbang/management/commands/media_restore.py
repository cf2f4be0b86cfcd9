"""`manage.py media_restore media.tar.gz`: the stored files replaced by an archive's."""

from django.core.management.base import BaseCommand, CommandError

from musrenbang.media_archive import ArchiveError, media_restore


class Command(BaseCommand):
    help = "Replace every stored file with those of a tar.gz (media_archive's or a folder's)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the tar.gz to read")

    def handle(self, *args, file, **options):
        try:
            count = media_restore(file)
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{count} stored files restored from {file}.")
