"""A proposal's receipt (tanda terima): what it says, the QR code of its tracker page, who may
print it and when, and the links that lead to it."""

import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from areas.pdf import qr_data_uri
from proposals.models import Event, Proposal, Status
from proposals.pdf import RELATED, receipt_context, tracker_url
from tests.proposal_fixtures import make_proposal, open_cycle
from tests.sessions.helpers import pdf_pages

# Monday 26 February 2024, 09.30.15 in Jakarta.
SUBMITTED_AT = datetime.datetime(2024, 2, 26, 9, 30, 15, tzinfo=ZoneInfo("Asia/Jakarta"))


def receipt_url(proposal) -> str:
    return reverse("proposals:receipt", args=[proposal.pk])


def handed_in(proposal, by, office: str = "Ketua RW 001 Kenari") -> Proposal:
    Proposal.objects.filter(pk=proposal.pk).update(submitted_at=SUBMITTED_AT)
    Event.objects.create(
        proposal=proposal,
        action=Event.Action.SUBMITTED,
        actor=by,
        actor_office=office,
        at=SUBMITTED_AT,
    )
    return Proposal.objects.select_related(*RELATED).get(pk=proposal.pk)


@pytest.fixture
def submitted(proposal_kenari, rw_kenari_001, kenari):
    """Kenari's road proposal, handed in by the chair of RW 001 on 26 February 2024; the
    kelurahan's office has its address."""
    kenari.office_address = "Jl. Kenari II No. 5, Jakarta Pusat 10430"
    kenari.save()
    return handed_in(proposal_kenari, rw_kenari_001)


def receipt(client, user, proposal) -> bytes:
    client.force_login(user)
    response = client.get(receipt_url(proposal))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="tanda-terima-{proposal.code}.pdf"' in response["Content-Disposition"]
    return response.content


def test_the_receipt_says_what_was_submitted_when_and_by_whom(client, rw_kenari_001, submitted):
    pages = pdf_pages(receipt(client, rw_kenari_001, submitted))
    assert len(pages) == 1
    (text,) = pages
    for expected in [
        "KELURAHAN KENARI",
        "Jl. Kenari II No. 5, Jakarta Pusat 10430",
        "TANDA TERIMA USULAN MUSRENBANG TAHUN 2024",
        submitted.code,
        submitted.title,
        "Senin, 26 Februari 2024 pukul 09.30 WIB",
        "Fisik",
        "001 / Kenari / Senen",
        "Jl. Kenari II, RT 003",
        "120 m2",
        "Rp 54.000.000",
        "Ketua RW 001 Kenari",
        f"{settings.SITE_URL}/lacak/{submitted.code}/",
        "Tanda terima ini dicetak oleh sistem dan sah tanpa tanda tangan.",
    ]:
        assert expected in text, expected
    assert "Dibawa dari" not in text


def test_the_qr_code_is_that_of_the_tracker_address(submitted):
    url = tracker_url(submitted.code)
    assert url == settings.SITE_URL + reverse("tracker_proposal", args=[submitted.code])
    context = receipt_context(submitted, printed_at=SUBMITTED_AT)
    assert context["tracker_url"] == url
    assert context["qr"] == qr_data_uri(url)


def test_the_receipt_prints_the_qr_image(client, lurah_kenari, submitted):
    page = PdfReader(io.BytesIO(receipt(client, lurah_kenari, submitted))).pages[0]
    (image,) = [ref.get_object() for ref in page["/Resources"]["/XObject"].values()]
    assert image["/Subtype"] == "/Image" and image["/Width"] == image["/Height"]


def test_a_long_title_and_address_stay_on_one_page(client, rw_kenari_001, submitted):
    Proposal.objects.filter(pk=submitted.pk).update(
        title="Perbaikan saluran air " * 9, address="Jl. Kenari Gang Masjid Al-Ikhlas " * 7
    )
    submitted.refresh_from_db()
    assert len(pdf_pages(receipt(client, rw_kenari_001, submitted))) == 1


def test_a_carried_proposal_says_where_it_came_from(
    client, rw_kenari_001, kota_jp, rw_kenari, betonisasi, submitted
):
    earlier = open_cycle(kota_jp, "JP23", year=2023)
    origin = make_proposal(earlier, rw_kenari[0], betonisasi, rw_kenari_001, status="kel_reserve")
    Proposal.objects.filter(pk=submitted.pk).update(carried_from=origin, first_year=2023)
    text = pdf_pages(receipt(client, rw_kenari_001, submitted))[0]
    assert f"Dibawa dari {origin.code} (2023)" in text


def test_an_imported_proposal_names_its_rw_and_who_recorded_it(
    client, lurah_kenari, proposal_kenari
):
    Event.objects.create(
        proposal=proposal_kenari,
        action=Event.Action.IMPORTED,
        actor=lurah_kenari,
        actor_office="Lurah Kenari",
    )
    text = pdf_pages(receipt(client, lurah_kenari, proposal_kenari))[0]
    assert "Ketua RW 001 Kenari, dicatat oleh Lurah Kenari dari lembar kerja" in text


def test_the_receipt_reads_in_indonesian_whatever_the_official_reads(
    client, rw_kenari_001, submitted
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = pdf_pages(receipt(client, rw_kenari_001, submitted))[0]
    assert "Fisik" in text and "Tanggal diajukan" in text


@pytest.mark.parametrize("status", [Status.DRAFT, Status.RETURNED])
def test_a_proposal_the_rw_still_holds_has_no_receipt(
    client, cycle, rw_kenari, betonisasi, rw_kenari_001, status
):
    proposal = make_proposal(cycle, rw_kenari[0], betonisasi, rw_kenari_001, status=status)
    Proposal.objects.filter(pk=proposal.pk).update(submitted_at=None)
    client.force_login(rw_kenari_001)
    response = client.get(receipt_url(proposal), follow=True)
    assert response.redirect_chain == [(proposal.get_absolute_url(), 302)]
    assert "Tanda terima tersedia setelah usulan diajukan ke kelurahan." in response.text
    assert receipt_url(proposal) not in response.text


@pytest.mark.parametrize("outsider", ["lurah_paseban", "camat_gambir", "suban_jaksel"])
def test_an_official_of_another_area_gets_404(request, client, submitted, outsider):
    client.force_login(request.getfixturevalue(outsider))
    assert client.get(receipt_url(submitted)).status_code == 404


def test_a_draft_is_404_to_all_but_its_rw(client, lurah_kenari, draft_kenari):
    client.force_login(lurah_kenari)
    assert client.get(receipt_url(draft_kenari)).status_code == 404


def test_a_visitor_is_sent_to_sign_in(client, submitted):
    response = client.get(receipt_url(submitted))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_receipt_takes_no_post(client, rw_kenari_001, submitted):
    client.force_login(rw_kenari_001)
    assert client.post(receipt_url(submitted)).status_code == 405


def test_the_receipt_is_read_in_the_same_queries_however_long_the_journey(
    client, rw_kenari_001, submitted, django_assert_max_num_queries
):
    client.force_login(rw_kenari_001)
    client.get(receipt_url(submitted))  # a first request may fill caches
    with django_assert_max_num_queries(6) as captured:
        client.get(receipt_url(submitted))
    few = len(captured)
    for _ in range(20):
        Event.objects.create(proposal=submitted, action=Event.Action.EDITED, actor=rw_kenari_001)
        handed_in(submitted, rw_kenari_001)
    with django_assert_max_num_queries(few):
        client.get(receipt_url(submitted))


# -- The links that lead to it ----------------------------------------------------------------


def test_the_detail_page_links_the_receipt_once_submitted(client, rw_kenari_001, submitted):
    client.force_login(rw_kenari_001)
    response = client.get(submitted.get_absolute_url())
    assert receipt_url(submitted) in response.text
    assert "Cetak tanda terima" in response.text


def test_the_detail_page_of_a_draft_has_no_receipt_link(client, rw_kenari_001, draft_kenari):
    client.force_login(rw_kenari_001)
    assert receipt_url(draft_kenari) not in client.get(draft_kenari.get_absolute_url()).text


def test_submitting_points_the_rw_to_its_receipt(client, rw_kenari_001, draft_kenari):
    client.force_login(rw_kenari_001)
    response = client.post(reverse("proposals:submit", args=[draft_kenari.pk]), follow=True)
    draft_kenari.refresh_from_db()
    assert draft_kenari.status == Status.SUBMITTED
    assert f'<a href="{receipt_url(draft_kenari)}"' in response.text
    assert f"Usulan {draft_kenari.code} diajukan ke kelurahan." in response.text
    text = pdf_pages(receipt(client, rw_kenari_001, draft_kenari))[0]
    assert "Ketua RW 001 Kenari" in text


def test_volume_with_decimals_reads_the_indonesian_way(rw_kenari_001, submitted):
    Proposal.objects.filter(pk=submitted.pk).update(volume=Decimal("12.5"))
    submitted.refresh_from_db()
    assert receipt_context(submitted, printed_at=SUBMITTED_AT)["volume"] == "12,50 m2"
