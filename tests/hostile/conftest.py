"""Hypothesis settings for the hostile-input tests: 200 examples a property, 2,000 under -m slow."""

import os
import re
from collections import Counter

import pytest
from django.db import transaction
from django.utils.html import escape
from hypothesis import HealthCheck, settings

EXAMPLES = [200, pytest.param(2_000, marks=pytest.mark.slow, id="slow")]


def hostile_settings(examples: int):
    # No example database: the tests must not leave a .hypothesis folder in the working tree.
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


# Inputs tried, by test: reported at the end of the run (tests/conftest.py).
TRIED: Counter = Counter()


class rolled_back:
    """Run one example inside a transaction that is always rolled back, so none leaks."""

    def __enter__(self):
        TRIED[os.environ.get("PYTEST_CURRENT_TEST", "?").split(" ")[0]] += 1
        self.atomic = transaction.atomic()
        self.atomic.__enter__()

    def __exit__(self, *exc_info):
        transaction.set_rollback(True)
        return self.atomic.__exit__(*exc_info)


@pytest.fixture(params=EXAMPLES)
def examples(request) -> int:
    """How many inputs each property tries."""
    return request.param


ENGLISH = re.compile(r"\b(This field|Enter a|Ensure|Select a valid|is required)\b")


def assert_refusal_explained(response, form) -> None:
    """A refusal is a page (200 or 400) that shows every error, each one in Indonesian."""
    assert response.status_code in (200, 400)
    assert form.errors, "a refusal says why"
    page = response.content.decode()
    for messages in form.errors.values():
        for message in messages:
            assert message.strip()
            assert escape(message) in page, message
            assert not ENGLISH.search(message), message
