"""The realisation page (/usulan/<id>/realisasi/) and the realisation on the proposal's page."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from areas.models import Role
from proposals.models import Attachment, Progress, Stage
from proposals.realisation import progress_record
from tests.conftest import official
from tests.proposals.files import png_of
from tests.realisation_fixtures import accommodate, photo, realised

__all__ = ["realised"]


def page(realisation) -> str:
    return reverse("proposals:progress", args=[realisation.proposal_id])


def form(**fields) -> dict:
    return {
        "stage": Stage.EXECUTION,
        "percent": "60",
        "reported_on": timezone.localdate().isoformat(),
        "note": "Pengecoran 80 m.",
        "reason": "",
        **fields,
    }


def add_reports(realisation, by, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        progress_record(
            realisation=realisation,
            stage=Stage.EXECUTION,
            percent=i,
            reported_on=timezone.localdate(),
            note=f"Laporan {i}.",
            reason="",
            photos=[photo(), photo()],
            by=by,
        )


def test_the_units_officer_sees_the_form_and_the_history(client, realised, ukpd_binamarga):
    add_reports(realised, ukpd_binamarga, 1)
    client.force_login(ukpd_binamarga)
    response = client.get(page(realised))
    assert response.status_code == 200
    assert "form" in response.context and not response.context["final"]
    html = response.content.decode()
    assert "Laporan 0." in html and 'name="percent"' in html
    assert html.count("attachment-thumb") == 2


def test_a_report_is_recorded_with_its_photos(client, realised, ukpd_binamarga):
    client.force_login(ukpd_binamarga)
    response = client.post(page(realised), form(photos=[photo("a.png"), photo("b.png")]))
    assert response.status_code == 302 and response.url == page(realised)
    progress = Progress.objects.get()
    assert (progress.stage, progress.percent, progress.note) == (
        "pelaksanaan",
        60,
        "Pengecoran 80 m.",
    )
    assert Attachment.objects.filter(progress=progress).count() == 2
    assert "dicatat" in client.get(page(realised)).content.decode()


def test_a_cancellation_without_reason_is_refused_in_indonesian(client, realised, ukpd_binamarga):
    client.force_login(ukpd_binamarga)
    response = client.post(page(realised), form(stage=Stage.CANCELLED))
    assert response.status_code == 400
    assert "Tuliskan alasan pembatalan." in response.content.decode()
    assert not Progress.objects.exists()


def test_a_photo_bomb_is_refused_on_the_form(client, realised, ukpd_binamarga):
    client.force_login(ukpd_binamarga)
    bomb = SimpleUploadedFile("bom.png", png_of(20_000, 20_000))
    response = client.post(page(realised), form(photos=[bomb]))
    assert response.status_code == 400
    assert "megapiksel" in response.content.decode()
    assert not Progress.objects.exists() and not Attachment.objects.exists()


@pytest.mark.parametrize("percent", ["-1", "101", "enam puluh", "1e9"])
def test_a_percent_out_of_range_is_refused(client, realised, ukpd_binamarga, percent):
    client.force_login(ukpd_binamarga)
    assert client.post(page(realised), form(percent=percent)).status_code == 400
    assert not Progress.objects.exists()


def test_a_finished_realisation_offers_no_form_and_refuses_a_report(
    client, realised, ukpd_binamarga
):
    client.force_login(ukpd_binamarga)
    client.post(page(realised), form(stage=Stage.DONE, percent="100"))
    response = client.get(page(realised))
    assert response.context["final"] and 'name="percent"' not in response.content.decode()
    response = client.post(page(realised), form(percent="100"))
    assert response.status_code == 400
    assert "laporan baru tidak dapat ditambahkan" in response.content.decode()
    assert Progress.objects.count() == 1


@pytest.mark.parametrize("who", ["lurah_kenari", "camat_senen", "suban", "dewan", "rw_kenari_001"])
def test_officials_who_see_the_proposal_may_not_record(request, client, realised, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(page(realised)).status_code == 403
    assert client.post(page(realised), form()).status_code == 403
    assert not Progress.objects.exists()


def test_a_lurah_of_another_kelurahan_gets_404(client, realised, lurah_paseban):
    client.force_login(lurah_paseban)
    assert client.get(page(realised)).status_code == 404
    assert client.post(page(realised), form()).status_code == 404


def test_an_officer_of_another_unit_gets_404(client, realised, sda):
    client.force_login(official("ukpd.sda", Role.UKPD, unit=sda))
    assert client.get(page(realised)).status_code == 404


def test_the_planning_office_of_another_kota_gets_404(client, realised, suban_jaksel):
    client.force_login(suban_jaksel)
    assert client.get(page(realised)).status_code == 404


def test_a_visitor_is_sent_to_sign_in(client, realised):
    assert client.get(page(realised)).url.startswith(reverse("login"))


def test_a_proposal_not_accommodated_has_no_realisation_page(client, ukpd_binamarga, surveyed):
    client.force_login(ukpd_binamarga)
    assert client.get(reverse("proposals:progress", args=[surveyed.pk])).status_code == 403


def test_the_executing_unit_records_though_it_was_not_the_target(
    client, proposal_kenari, suban, sda
):
    realisation = accommodate(proposal_kenari, suban, unit=sda)
    client.force_login(official("ukpd.sda", Role.UKPD, unit=sda))
    assert client.post(page(realisation), form()).status_code == 302


def test_the_proposal_page_shows_the_realisation_and_offers_the_form_to_the_unit(
    client, realised, ukpd_binamarga, lurah_kenari
):
    add_reports(realised, ukpd_binamarga, 1)
    client.force_login(ukpd_binamarga)
    html = client.get(realised.proposal.get_absolute_url()).content.decode()
    assert "Realisasi" in html and 'value="0"' in html and page(realised) in html
    client.force_login(lurah_kenari)
    response = client.get(realised.proposal.get_absolute_url())
    assert "Laporan 0." in response.content.decode()
    assert page(realised) not in response.content.decode()
    # The report's photos are shown with it, not again among the proposal's own files.
    assert list(response.context["attachments"]) == []


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", [page, lambda r: r.proposal.get_absolute_url()])
def test_queries_do_not_grow_with_reports_and_photos(client, realised, ukpd_binamarga, url):
    client.force_login(ukpd_binamarga)
    add_reports(realised, ukpd_binamarga, 2)
    few = queries(client, url(realised))
    add_reports(realised, ukpd_binamarga, 10, start=2)
    assert queries(client, url(realised)) == few


def test_a_report_dated_before_the_decision_is_refused(client, realised, ukpd_binamarga):
    client.force_login(ukpd_binamarga)
    before = (timezone.localdate() - datetime.timedelta(days=60)).isoformat()
    response = client.post(page(realised), form(reported_on=before))
    assert response.status_code == 400 and "Tanggal laporan" in response.content.decode()
