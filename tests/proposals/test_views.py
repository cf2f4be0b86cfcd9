"""Proposal pages: scoping (another area's official gets 404 on every view) and the steps."""

import pytest
from django.urls import reverse
from django.utils import timezone

from proposals.models import Decision, Event, Proposal, Recommendation, Status
from proposals.services import decision_record
from tests.proposals.files import PNG

# Views that take a proposal id, and the method each answers.
PROPOSAL_VIEWS = [
    ("proposals:detail", "get"),
    ("proposals:edit", "get"),
    ("proposals:submit", "post"),
    ("proposals:accept", "post"),
    ("proposals:return", "post"),
    ("proposals:survey", "get"),
]


@pytest.mark.parametrize(("name", "method"), PROPOSAL_VIEWS)
@pytest.mark.parametrize(
    "outsider", ["lurah_kenari", "camat_gambir", "suban_jaksel", "unassigned", "rw_kenari_001"]
)
def test_an_official_of_another_area_gets_404(
    request, client, proposal_paseban, name, method, outsider
):
    client.force_login(request.getfixturevalue(outsider))
    url = reverse(name, args=[proposal_paseban.pk])
    assert getattr(client, method)(url).status_code == 404


def test_attachment_of_another_area_is_404(client, lurah_kenari, proposal_paseban, superuser):
    attachment = proposal_paseban.attachments.create(
        token="x" * 32,
        kind="photo",
        content_type="image/png",
        file="usulan/x.png",
        original_name="x.png",
        size=1,
        uploaded_by=superuser,
    )
    client.force_login(lurah_kenari)
    assert client.get(attachment.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("name", ["proposals:detail", "proposals:list", "proposals:create"])
def test_visitors_are_sent_to_sign_in(client, proposal_kenari, name):
    url = reverse(name, args=[proposal_kenari.pk]) if name.endswith("detail") else reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["lurah_kenari", "camat_senen", "suban", "dewan", "rw_kenari_001"])
def test_officials_above_the_rw_see_the_detail(request, client, proposal_kenari, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(proposal_kenari.get_absolute_url())
    assert response.status_code == 200
    assert proposal_kenari.title in response.content.decode()


def test_ukpd_sees_its_units_proposals_only(
    client, ukpd_binamarga, proposal_kenari, proposal_paseban
):
    client.force_login(ukpd_binamarga)
    assert client.get(proposal_kenari.get_absolute_url()).status_code == 200
    assert client.get(proposal_paseban.get_absolute_url()).status_code == 404


def test_detail_shows_journey_and_history(client, lurah_kenari, proposal_kenari):
    client.force_login(lurah_kenari)
    client.post(reverse("proposals:accept", args=[proposal_kenari.pk]), {"note": "Lengkap"})
    page = client.get(proposal_kenari.get_absolute_url()).content.decode()
    assert "Diterima sebagai calon kelurahan" in page
    assert "Lurah Kenari" in page
    assert "Riwayat perubahan" in page
    assert "Diajukan ke kelurahan → Diterima kelurahan" in page


def test_detail_queries_do_not_grow_with_the_journey(client, lurah_kenari, proposal_kenari):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(lurah_kenari)

    def queries_with(events: int) -> int:
        for i in range(events):
            Event.objects.create(proposal=proposal_kenari, action="edited", note=f"ubah {i}")
            proposal_kenari.title = f"Judul {i}"
            proposal_kenari.save()  # one more change-history entry each time
        with CaptureQueriesContext(connection) as captured:
            assert client.get(proposal_kenari.get_absolute_url()).status_code == 200
        return len(captured)

    few = queries_with(3)
    many = queries_with(30)
    assert few == many
    assert many <= 14


def test_lurah_accepts_through_the_page(client, lurah_kenari, proposal_kenari):
    client.force_login(lurah_kenari)
    response = client.post(reverse("proposals:accept", args=[proposal_kenari.pk]), {"note": ""})
    assert response.status_code == 302
    proposal_kenari.refresh_from_db()
    assert proposal_kenari.status == Status.ACCEPTED


def test_returning_without_a_note_changes_nothing(client, lurah_kenari, proposal_kenari):
    client.force_login(lurah_kenari)
    response = client.post(reverse("proposals:return", args=[proposal_kenari.pk]), {"note": ""})
    assert response.status_code == 400
    assert "Bidang ini" in response.content.decode() or "wajib" in response.content.decode()
    proposal_kenari.refresh_from_db()
    assert proposal_kenari.status == Status.SUBMITTED


def test_camat_cannot_validate(client, camat_senen, proposal_kenari):
    """Only the lurah validates: an official who sees the proposal but holds another role is
    refused before anything is read (the page never offers them the button)."""
    client.force_login(camat_senen)
    response = client.post(reverse("proposals:accept", args=[proposal_kenari.pk]))
    assert response.status_code == 403
    proposal_kenari.refresh_from_db()
    assert proposal_kenari.status == Status.SUBMITTED


def test_validation_steps_refuse_get(client, lurah_kenari, proposal_kenari):
    client.force_login(lurah_kenari)
    assert client.get(reverse("proposals:accept", args=[proposal_kenari.pk])).status_code == 405


def form_data(item, **overrides):
    return {
        "title": "Perbaikan jalan Gg. Kenari",
        "catalogue_item": item.pk,
        "problem": "Jalan berlubang dan tergenang.",
        "address": "Jl. Kenari II",
        "rt": "4",
        "volume": "30",
        "measure": "",
        "unit_price": "",
        "beneficiaries": "200",
        **overrides,
    }


def test_rw_creates_a_proposal_with_a_photo(
    client, rw_kenari_001, cycle, betonisasi, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(rw_kenari_001)
    assert client.get(reverse("proposals:create")).status_code == 200
    response = client.post(
        reverse("proposals:create"),
        {**form_data(betonisasi), "uploads": [SimpleUploadedFile("jalan.png", PNG)]},
    )
    assert response.status_code == 302
    proposal = cycle.proposals.get()
    assert (proposal.rt, proposal.measure, proposal.unit_price) == ("004", "m2", 450_000)
    assert proposal.cost == 13_500_000
    assert proposal.target_unit == betonisasi.unit
    photo = proposal.attachments.get()
    image = client.get(photo.get_absolute_url())
    assert image["Content-Type"] == "image/jpeg"  # an opaque PNG is kept as JPEG
    assert image["X-Content-Type-Options"] == "nosniff"


def test_a_proposal_outside_the_catalogue_needs_category_and_unit(
    client, rw_kenari_001, cycle, sda
):
    client.force_login(rw_kenari_001)
    response = client.post(reverse("proposals:create"), form_data(sda, catalogue_item=""))
    assert response.status_code == 200
    assert "Wajib diisi bila usulan di luar kamus usulan." in response.content.decode()
    assert not cycle.proposals.exists()
    response = client.post(
        reverse("proposals:create"),
        form_data(
            sda,
            catalogue_item="",
            category="fisik",
            target_unit=sda.pk,
            measure="m",
            unit_price="800000",
        ),
    )
    assert response.status_code == 302
    proposal = cycle.proposals.get()
    assert proposal.outside_catalogue
    assert "Di luar kamus usulan" in client.get(proposal.get_absolute_url()).content.decode()


def test_bad_input_is_explained_and_nothing_is_saved(client, rw_kenari_001, cycle, betonisasi):
    client.force_login(rw_kenari_001)
    response = client.post(
        reverse("proposals:create"),
        form_data(betonisasi, volume="-3", rt="abc", latitude="200", title=""),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "RT ditulis dengan angka" in page
    assert not cycle.proposals.exists()


def test_the_window_closed_is_said_plainly(client, rw_kenari_001, cycle, betonisasi):
    import datetime

    cycle.rw_opens = cycle.rw_closes = datetime.date(2024, 2, 16)
    cycle.save()
    client.force_login(rw_kenari_001)
    page = client.get(reverse("proposals:create")).content.decode()
    assert "Masa input usulan RW dibuka 16 Februari 2024 sampai 16 Februari 2024" in page
    response = client.post(reverse("proposals:create"), form_data(betonisasi))
    assert "sudah ditutup" in response.content.decode()
    assert not cycle.proposals.exists()


def test_only_a_ketua_rw_may_create(client, lurah_kenari, cycle):
    client.force_login(lurah_kenari)
    assert client.get(reverse("proposals:create")).status_code == 404


def test_the_rw_edits_its_draft_but_not_a_submitted_one(
    client, rw_kenari_001, draft_kenari, proposal_kenari, betonisasi
):
    client.force_login(rw_kenari_001)
    response = client.post(
        reverse("proposals:edit", args=[draft_kenari.pk]), form_data(betonisasi, title="Baru")
    )
    assert response.status_code == 302
    draft_kenari.refresh_from_db()
    assert draft_kenari.title == "Baru"
    assert client.get(reverse("proposals:edit", args=[proposal_kenari.pk])).status_code == 403


def test_submit_through_the_page(client, rw_kenari_001, draft_kenari):
    client.force_login(rw_kenari_001)
    client.post(reverse("proposals:submit", args=[draft_kenari.pk]))
    draft_kenari.refresh_from_db()
    assert draft_kenari.status == Status.SUBMITTED


def test_survey_queue_lists_the_units_physical_proposals(
    client, ukpd_binamarga, proposal_kenari, proposal_paseban
):
    for proposal in (proposal_kenari, proposal_paseban):
        proposal.status = Status.ACCEPTED  # the queue lists what the lurah accepted
        proposal.save(update_fields=["status"])
    client.force_login(ukpd_binamarga)
    page = client.get(reverse("proposals:survey_queue")).content.decode()
    assert proposal_kenari.code in page
    assert proposal_paseban.code not in page


def test_survey_queue_is_404_for_an_rw(client, rw_kenari_001):
    client.force_login(rw_kenari_001)
    assert client.get(reverse("proposals:survey_queue")).status_code == 404


def test_a_lurah_follows_the_survey_queue_of_the_kelurahan_only(
    client, lurah_kenari, proposal_kenari, proposal_paseban
):
    Proposal.objects.filter(pk__in=[proposal_kenari.pk, proposal_paseban.pk]).update(
        status=Status.ACCEPTED, category="fisik"
    )
    client.force_login(lurah_kenari)
    page = client.get(reverse("proposals:survey_queue")).content.decode()
    assert proposal_kenari.code in page
    assert proposal_paseban.code not in page
    assert "Belum disurvei (1)" in page
    assert "Halaman ini untuk memantau" in page
    assert reverse("proposals:survey", args=[proposal_kenari.pk]) not in page


def test_ukpd_records_a_survey(client, ukpd_binamarga, proposal_kenari):
    client.force_login(ukpd_binamarga)
    response = client.post(
        reverse("proposals:survey", args=[proposal_kenari.pk]),
        {
            "surveyed_on": timezone.localdate().isoformat(),
            "findings": "Jalan rusak sedang.",
            "recommendation": "not_recommended",
            "reason": "",
            "revised_volume": "100",
        },
    )
    assert "Pilih alasan" in response.content.decode()
    response = client.post(
        reverse("proposals:survey", args=[proposal_kenari.pk]),
        {
            "surveyed_on": timezone.localdate().isoformat(),
            "findings": "Jalan rusak sedang.",
            "recommendation": "recommended",
            "revised_volume": "100",
        },
    )
    assert response.status_code == 302
    proposal_kenari.refresh_from_db()
    assert proposal_kenari.recommendation == Recommendation.RECOMMENDED
    page = client.get(reverse("proposals:survey_queue") + "?tampil=selesai").content.decode()
    assert proposal_kenari.code in page


def test_decided_through_the_page(client, forwarded, suban, sub_activity):
    client.force_login(suban)
    page = client.get(forwarded.get_absolute_url()).content.decode()
    assert "Catat keputusan akhir" in page
    url = reverse("proposals:decide", args=[forwarded.pk])
    response = client.post(url, {"kind": "not_accommodated", "reason": ""})
    assert response.status_code == 400
    assert "Tuliskan alasan" in response.content.decode()
    response = client.post(url, {"kind": "budget"})
    assert response.status_code == 400
    assert "Pilih sub kegiatan Renja" in response.content.decode()
    accommodated = {"kind": "budget", "sub_activity": sub_activity.pk}
    response = client.post(url, accommodated)  # asked once more, nothing recorded yet
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tidak dapat dibatalkan" in page
    assert 'name="confirmed"' in page
    forwarded.refresh_from_db()
    assert forwarded.status == Status.KECAMATAN_PRIORITY
    response = client.post(url, {**accommodated, "reason": "", "confirmed": "1"})
    assert response.status_code == 302
    forwarded.refresh_from_db()
    assert forwarded.status == Status.CURRENT_BUDGET
    assert (
        "Diakomodir dalam anggaran berjalan"
        in client.get(forwarded.get_absolute_url()).content.decode()
    )


def test_changing_a_decision_starts_from_the_one_in_force(
    client, forwarded, proposal_paseban, suban
):
    decision_record(
        proposal=forwarded,
        kind=Decision.Kind.MERGED,
        merged_into=proposal_paseban,
        reason="Lokasi sama.",
        by=suban,
    )
    client.force_login(suban)
    form = client.get(forwarded.get_absolute_url()).context["decision_form"]
    assert [form[name].value() for name in ("kind", "merged_into", "reason")] == [
        "merged",
        proposal_paseban.code,
        "Lokasi sama.",
    ]


def test_another_kota_gets_404_on_decide(client, forwarded, suban_jaksel):
    client.force_login(suban_jaksel)
    url = reverse("proposals:decide", args=[forwarded.pk])
    assert client.post(url, {"kind": "renja"}).status_code == 404
