"""The realisation section of the public recap: per kecamatan and per UKPD, chart, PDF, XLSX."""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from areas.models import Area
from areas.services import rw_ensure
from proposals.models import Decision, Proposal, Realisation, Stage, Status
from tests.proposal_fixtures import make_proposal

RECAP = reverse("recap")
# stage, days since the decision, days since the last report (None: no report yet)
SENEN = [
    ("", 10, None),  # not started, recent
    ("", 200, None),  # not started for over three months: stale
    (Stage.PLANNING, 200, 20),
    (Stage.EXECUTION, 300, 120),  # stale
    (Stage.DONE, 300, 200),  # done long ago: never stale
]
GAMBIR = [
    (Stage.PROCUREMENT, 100, 5),
    (Stage.CANCELLED, 300, 150),  # cancelled: never stale
]


def realise(cycle, rw, item, unit, by, plan) -> None:
    today = timezone.localdate()
    for stage, decided, reported in plan:
        proposal = make_proposal(cycle, rw, item, by, status=Status.RENJA)
        Decision.objects.create(proposal=proposal, kind="renja", unit=unit, decided_by=by)
        Realisation.objects.create(
            proposal=proposal,
            unit=unit,
            kecamatan=proposal.kecamatan,
            stage=stage,
            percent=100 if stage == Stage.DONE else 40,
            started_on=today - datetime.timedelta(days=decided),
            reported_on=None if reported is None else today - datetime.timedelta(days=reported),
        )


@pytest.fixture
def realisations(cycle, rw_kenari, gambir, betonisasi, tenda, superuser):
    rw_gambir = rw_ensure(kelurahan=Area.objects.filter(parent=gambir).order_by("code")[0], count=1)
    realise(cycle, rw_kenari[0], betonisasi, betonisasi.unit, superuser, SENEN)
    realise(cycle, rw_gambir[0], tenda, tenda.unit, superuser, GAMBIR)
    # Accommodated once, no longer: not counted.
    realise(cycle, rw_kenari[1], betonisasi, betonisasi.unit, superuser, [("", 10, None)])
    Proposal.objects.filter(realisation=Realisation.objects.latest("pk")).update(
        status=Status.NOT_ACCOMMODATED
    )
    return cycle


def rows(table) -> dict[str, list[str]]:
    return {str(cells[0].content): [str(c.content) for c in cells[1:]] for cells in table.rows}


def test_each_kecamatan_counts_its_accommodated_proposals_by_stage(client, realisations):
    response = client.get(RECAP, {"siklus": realisations.pk})
    table = rows(response.context["tables"]["realisation_kecamatan"])
    # accommodated, not started, under way, done, cancelled, stale
    assert table["Senen"] == ["5", "2", "2", "1", "0", "2"]
    assert table["Gambir"] == ["2", "0", "1", "0", "1", "0"]
    assert table["Menteng"] == ["0"] * 6
    total = response.context["tables"]["realisation_kecamatan"].total
    assert [str(c.content) for c in total[1:]] == ["7", "2", "3", "1", "1", "2"]


def test_each_unit_counts_the_realisations_it_carries_out(client, realisations):
    response = client.get(RECAP, {"siklus": realisations.pk})
    table = rows(response.context["tables"]["realisation_units"])
    assert table == {
        "Sudin Bina Marga": ["5", "2", "2", "1", "0", "2"],
        "Sudin Sumber Daya Air": ["2", "0", "1", "0", "1", "0"],
    }


def test_the_months_before_stale_follow_the_cycle(client, realisations):
    realisations.stale_progress_months = 12
    realisations.save()
    response = client.get(RECAP, {"siklus": realisations.pk})
    assert rows(response.context["tables"]["realisation_kecamatan"])["Senen"][-1] == "0"
    assert "lebih dari 12 bulan" in response.content.decode()


def test_the_section_has_its_chart(client, realisations):
    html = client.get(RECAP, {"siklus": realisations.pk}).content.decode()
    assert 'id="recap-realisation"' in html
    assert 'aria-labelledby="chart-realisation-title chart-realisation-desc"' in html
    assert "Senen: Belum dimulai 2 (40,00 %)" in html


def test_the_xlsx_has_the_realisation_sheets(client, realisations):
    response = client.get(reverse("recap_xlsx"), {"siklus": realisations.pk})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["Realisasi per kecamatan"]
    values = {row[0]: row[1:] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["Senen"] == (5, 2, 2, 1, 0, 2)
    assert [
        row[0] for row in book["Realisasi per UKPD"].iter_rows(min_row=2, values_only=True)
    ] == [
        "Sudin Bina Marga",
        "Sudin Sumber Daya Air",
    ]


def test_the_pdf_carries_the_section(client, realisations):
    import pypdf

    response = client.get(reverse("recap_pdf"), {"siklus": realisations.pk})
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert "Realisasi usulan yang diakomodir" in text and "Belum bergerak" in text


def test_queries_stay_the_same_as_realisations_grow(
    client, realisations, rw_kenari, betonisasi, superuser
):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(RECAP, {"siklus": realisations.pk}).status_code == 200
        return len(captured)

    few = count()
    realise(realisations, rw_kenari[1], betonisasi, betonisasi.unit, superuser, SENEN * 6)
    assert Realisation.objects.count() == 38
    assert count() == few
