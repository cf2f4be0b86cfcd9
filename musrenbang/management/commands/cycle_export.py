"""`manage.py cycle_export JP24 jp24.json`: one cycle and all it needs, files included."""

from django.core.management.base import BaseCommand, CommandError

from musrenbang.cycle_transfer import cycle_export_file
from proposals.models import Cycle


class Command(BaseCommand):
    help = "Export a whole musrenbang cycle (and its stored files) to one JSON file."

    def add_arguments(self, parser):
        parser.add_argument("code_prefix", help="the cycle's code prefix, e.g. JP24")
        parser.add_argument("file", help="the JSON file to write")

    def handle(self, *args, code_prefix, file, **options):
        try:
            cycle_export_file(code_prefix=code_prefix, path=file)
        except Cycle.DoesNotExist as error:
            raise CommandError(f"No cycle with code prefix {code_prefix}.") from error
        self.stdout.write(f"Cycle {code_prefix} exported to {file}.")
