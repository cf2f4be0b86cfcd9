"""The migrations are complete: makemigrations finds no model change without one."""

from django.core.management import call_command


def test_migrations_match_the_models(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
