"""The Jakarta Pusat demo, loaded once for all the tests of this folder.

Loading it renders the closed sessions' berita acara, decides, reports and opens the next
cycle, which is what takes the time; the tests then run inside savepoints of one transaction
that lasts for the folder, rolled back at its end. Tests that need no demo live outside it.
"""

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="package")
def loaded_demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("demo", "--force", verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
