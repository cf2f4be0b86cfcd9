"""Accommodated proposals with their realisation, straight into the database (decision_record
creates the realisation in the application; the realisation tests start from the row)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from proposals.models import Decision, Proposal, Realisation, Status
from tests.proposals.files import PNG


def accommodate(proposal: Proposal, by, *, unit=None, days_ago: int = 30) -> Realisation:
    """The planning office put the proposal in the Renja `days_ago` days ago; `unit` (the
    proposal's target unit by default) carries it out."""
    decided = timezone.now() - datetime.timedelta(days=days_ago)
    unit = unit or proposal.target_unit
    Decision.objects.create(
        proposal=proposal, kind=Decision.Kind.RENJA, unit=unit, decided_by=by, decided_at=decided
    )
    Proposal.objects.filter(pk=proposal.pk).update(status=Status.RENJA)
    proposal.refresh_from_db()
    return Realisation.objects.create(
        proposal=proposal,
        unit=unit,
        kecamatan=proposal.kecamatan,
        started_on=timezone.localdate(decided),
    )


def photo(name: str = "foto.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@pytest.fixture
def realised(proposal_kenari, suban):
    """Kenari's road proposal, in the Renja for a month; Bina Marga carries it out."""
    return accommodate(proposal_kenari, suban)
