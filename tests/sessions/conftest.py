"""Fixtures several session test modules share, defined in tests/session_fixtures.py."""

from tests.session_fixtures import closed, closed_kenari, closed_pleno, pleno_senen

__all__ = ["closed", "closed_kenari", "closed_pleno", "pleno_senen"]
