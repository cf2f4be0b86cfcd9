"""The Jakarta Pusat demo, loaded once for all tests of a module.

Loading it renders the 40 closed sessions' berita acara, which is what takes the time; the
tests then run inside savepoints of one module-wide transaction, rolled back at the end.
"""

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
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
