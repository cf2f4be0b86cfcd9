"""The realisation on the public tracker (/lacak/<code>/), and its public photos."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from proposals.models import Attachment, Stage, Status
from proposals.realisation import progress_record
from proposals.services import attachment_add
from tests.realisation_fixtures import photo, realised

__all__ = ["realised"]


def page_of(proposal) -> str:
    return reverse("tracker_proposal", args=[proposal.code])


def photo_url(attachment) -> str:
    return reverse("tracker_photo", args=[attachment.proposal.code, attachment.token])


def report(realisation, by, percent: int, photos: int = 1, **fields):
    return progress_record(
        realisation=realisation,
        stage=fields.get("stage", Stage.EXECUTION),
        percent=percent,
        reported_on=timezone.localdate(),
        note=fields.get("note", f"Pengecoran {percent} %."),
        reason=fields.get("reason", ""),
        photos=[photo() for _ in range(photos)],
        by=by,
    )


def test_a_visitor_reads_the_realisation_with_dates_notes_and_photos(
    client, realised, ukpd_binamarga
):
    report(realised, ukpd_binamarga, 30, photos=2, note="Galian saluran.")
    report(realised, ukpd_binamarga, 70, photos=1, note="Pengecoran.")
    response = client.get(page_of(realised.proposal))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-realisation-stage="pelaksanaan"' in html and 'value="70"' in html
    assert "Galian saluran." in html and "Pengecoran." in html
    assert timezone.localdate().strftime("%Y-%m-%d") in html
    photos = Attachment.objects.filter(progress__isnull=False)
    assert photos.count() == 3
    for attachment in photos:
        assert photo_url(attachment) in html
        served = client.get(photo_url(attachment))
        assert served.status_code == 200 and served["Content-Type"] == attachment.content_type
        assert served["X-Content-Type-Options"] == "nosniff"


def test_the_tracker_names_the_unit_not_the_officer(client, realised, ukpd_binamarga):
    ukpd_binamarga.first_name, ukpd_binamarga.last_name = "Siti", "Aminah"
    ukpd_binamarga.save()
    report(realised, ukpd_binamarga, 50)
    html = client.get(page_of(realised.proposal)).content.decode()
    assert "Sudin Bina Marga" in html and "Siti" not in html and "Aminah" not in html


def test_a_cancellation_shows_its_reason(client, realised, ukpd_binamarga):
    report(realised, ukpd_binamarga, 0, stage=Stage.CANCELLED, reason="Lahan bukan aset Pemprov.")
    html = client.get(page_of(realised.proposal)).content.decode()
    assert "Batal" in html and "Lahan bukan aset Pemprov." in html


def test_a_realisation_not_yet_started_says_so(client, realised):
    html = client.get(page_of(realised.proposal)).content.decode()
    assert "Belum dimulai" in html and "Belum ada laporan realisasi." in html


def test_a_proposal_no_longer_accommodated_shows_no_realisation(client, realised, ukpd_binamarga):
    progress = report(realised, ukpd_binamarga, 40)
    attachment = progress.photos.get()
    realised.proposal.status = Status.NOT_ACCOMMODATED
    realised.proposal.save()
    assert client.get(page_of(realised.proposal)).context["track"].realisation is None
    assert client.get(photo_url(attachment)).status_code == 404


def test_the_proposals_own_and_survey_photos_stay_private(client, realised, superuser):
    own = attachment_add(proposal=realised.proposal, upload=photo(), by=superuser)
    assert client.get(photo_url(own)).status_code == 404


def test_a_photo_is_found_only_under_its_own_proposals_code(
    client, realised, ukpd_binamarga, proposal_paseban
):
    attachment = report(realised, ukpd_binamarga, 40).photos.get()
    url = reverse("tracker_photo", args=[proposal_paseban.code, attachment.token])
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("tracker_photo", args=[realised.proposal.code, "x" * 32])).status_code
        == 404
    )


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_queries_do_not_grow_with_reports_and_photos(client, realised, ukpd_binamarga):
    report(realised, ukpd_binamarga, 10)
    few = queries(client, page_of(realised.proposal))
    for percent in range(20, 100, 10):
        report(realised, ukpd_binamarga, percent, photos=3)
    assert len(client.get(page_of(realised.proposal)).context["track"].reports) == 9
    assert queries(client, page_of(realised.proposal)) == few <= 14
