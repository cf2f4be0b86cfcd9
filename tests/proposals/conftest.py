"""Fixtures several proposal test modules share (defined in tests/proposal_fixtures.py)."""

from tests.proposal_fixtures import forwarded

__all__ = ["forwarded"]
