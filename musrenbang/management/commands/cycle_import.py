"""`manage.py cycle_import jp24.json`: a cycle of cycle_export into an empty database."""

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError

from musrenbang.cycle_transfer import TransferError, cycle_import_file


class Command(BaseCommand):
    help = (
        "Import a cycle written by cycle_export into a database without its rows, in one "
        "transaction. Officials arrive without a usable password."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the JSON file of cycle_export")

    def handle(self, *args, file, **options):
        try:
            cycle = cycle_import_file(path=file)
        except (OSError, ValueError, KeyError, DeserializationError, TransferError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Cycle {cycle.code_prefix} imported: {cycle.proposals.count()} proposals."
        )
