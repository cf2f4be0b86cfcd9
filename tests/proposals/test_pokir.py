"""Pokir DPRD: the member's reach (their dapil, read-only beyond their own aspirations), the
recess pages, entering a pokir, and where a pokir goes (survey queue, final decision, never a
session)."""

import dataclasses

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from areas.models import Area, Assignment, Role
from areas.services import rw_ensure
from notices.models import Notice
from proposals import pokir, services
from proposals.models import Proposal, Recess, Source, Status
from proposals.queues import awaiting_survey
from tests.conftest import official
from tests.pokir_fixtures import make_dapil, make_pokir, make_recess, member
from tests.proposal_fixtures import make_proposal
from tests.proposals.test_ceiling import survey
from tests.proposals.test_views import form_data


@pytest.fixture
def rw_gambir(gambir):
    kelurahan = Area.objects.kelurahan().within(gambir).order_by("code").first()
    return rw_ensure(kelurahan=kelurahan, count=1)[0]


@pytest.fixture
def proposal_gambir(cycle, rw_gambir, betonisasi, superuser):
    return make_proposal(cycle, rw_gambir, betonisasi, superuser)


# -- Reach ------------------------------------------------------------------------------------


def test_member_sees_the_proposals_of_their_dapil_only(
    dprd_senen, proposal_kenari, proposal_paseban, proposal_gambir
):
    visible = set(Proposal.objects.visible_to(dprd_senen))
    assert {proposal_kenari, proposal_paseban} <= visible
    assert proposal_gambir not in visible


def test_member_never_sees_an_rw_draft(dprd_senen, draft_kenari):
    assert draft_kenari not in Proposal.objects.visible_to(dprd_senen)


def test_member_reads_only(client, dprd_senen, proposal_kenari, pokir_kenari):
    """No step on anyone's proposal; on their own pokir, only its correction (below)."""
    for proposal in (proposal_kenari, pokir_kenari):
        assert not proposal.may_validate(dprd_senen)
        assert not proposal.may_decide(dprd_senen)
        assert not proposal.may_survey(dprd_senen)
    assert not proposal_kenari.may_edit(dprd_senen)
    client.force_login(dprd_senen)
    assert client.get(proposal_kenari.get_absolute_url()).status_code == 200
    assert client.post(reverse("proposals:accept", args=[proposal_kenari.pk])).status_code == 403
    assert client.get(reverse("proposals:edit", args=[proposal_kenari.pk])).status_code == 403
    assert client.get(reverse("proposals:submit", args=[pokir_kenari.pk])).status_code == 403


# -- Correcting a pokir -----------------------------------------------------------------------


def test_member_corrects_their_pokir_until_it_is_surveyed(
    client, dprd_senen, pokir_kenari, betonisasi, ukpd_binamarga
):
    client.force_login(dprd_senen)
    url = reverse("proposals:edit", args=[pokir_kenari.pk])
    detail = client.get(pokir_kenari.get_absolute_url()).content.decode()
    assert url in detail and "Ajukan ke kelurahan" not in detail
    page = client.get(url).content.decode()
    assert f"Ubah pokir {pokir_kenari.code}" in page and "Simpan pokir" in page
    response = client.post(url, form_data(betonisasi, title="Saluran air Jl. Kenari III-IV"))
    assert response.status_code == 302, response.content.decode()[:3000]
    pokir_kenari.refresh_from_db()
    assert (pokir_kenari.title, pokir_kenari.status) == ("Saluran air Jl. Kenari III-IV", "pokir")
    edited = pokir_kenari.events.get(action="edited")
    assert edited.actor_office == "Anggota DPRD Dapil Uji Senen"

    survey(pokir_kenari, ukpd_binamarga, "30")
    pokir_kenari = Proposal.objects.get(pk=pokir_kenari.pk)
    assert not pokir_kenari.may_edit(dprd_senen)
    assert client.get(url).status_code == 403
    with pytest.raises(services.WorkflowError, match="sebelum disurvei"):
        services.proposal_update(
            proposal=pokir_kenari,
            data=services.ProposalData(**_data(pokir_kenari)),
            by=dprd_senen,
        )


def test_a_decided_pokir_is_the_kota_s(dprd_senen, pokir_kenari):
    Proposal.objects.filter(pk=pokir_kenari.pk).update(status=Status.RENJA)
    assert not Proposal.objects.get(pk=pokir_kenari.pk).may_edit(dprd_senen)


def test_another_dapil_s_member_and_the_rw_do_not_correct_a_pokir(kota_jp, gambir, pokir_kenari):
    other = member("dprd.gambir", make_dapil(kota_jp, "Dapil Uji Gambir", [gambir]))
    its_rw = official("rw.kenari.002", "rw", area=pokir_kenari.rw)
    assert not pokir_kenari.may_edit(other)
    assert not pokir_kenari.may_edit(its_rw)
    for step in (services.proposal_submit, services.proposal_update):
        kwargs = (
            {"data": services.ProposalData(**_data(pokir_kenari))}
            if step is services.proposal_update
            else {}
        )
        with pytest.raises(services.WorkflowError, match="Pokir"):
            step(proposal=pokir_kenari, by=its_rw, **kwargs)


def _data(proposal) -> dict:
    return {f.name: getattr(proposal, f.name) for f in dataclasses.fields(services.ProposalData)}


def test_member_of_another_dapil_gets_404(client, kota_jp, gambir, recess_senen, pokir_kenari):
    other = member("dprd.gambir", make_dapil(kota_jp, "Dapil Uji Gambir", [gambir]))
    client.force_login(other)
    for url in (
        recess_senen.get_absolute_url(),
        reverse("proposals:pokir_create", args=[recess_senen.pk]),
        pokir_kenari.get_absolute_url(),
    ):
        assert client.get(url).status_code == 404, url


def test_lurah_gets_404_on_a_recess(client, lurah_kenari, recess_senen):
    client.force_login(lurah_kenari)
    assert client.get(recess_senen.get_absolute_url()).status_code == 404
    assert client.get(reverse("proposals:recess_list")).status_code == 404


def test_planning_office_of_another_kota_gets_404(client, suban_jaksel, recess_senen):
    client.force_login(suban_jaksel)
    assert client.get(recess_senen.get_absolute_url()).status_code == 404


def test_planning_office_reads_a_recess_but_adds_nothing(client, suban, recess_senen):
    client.force_login(suban)
    assert client.get(recess_senen.get_absolute_url()).status_code == 200
    assert client.get(reverse("proposals:pokir_create", args=[recess_senen.pk])).status_code == 403


def test_a_dprd_assignment_names_its_dapil(kota_jp, dprd_senen):
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(user=dprd_senen, role=Role.DPRD, area=kota_jp)


def test_a_pokir_names_its_recess(cycle, rw_kenari, betonisasi, superuser):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_proposal(cycle, rw_kenari[0], betonisasi, superuser, source=Source.POKIR)


# -- Entering a recess and its pokir ----------------------------------------------------------


def test_member_records_a_recess(client, dprd_senen, dapil_senen, cycle):
    client.force_login(dprd_senen)
    assert client.get(reverse("proposals:recess_create")).status_code == 200
    response = client.post(
        reverse("proposals:recess_create"),
        {
            "dapil": dapil_senen.pk,
            "member": "H. Uji, S.H.",
            "held_on": "2024-01-20",
            "place": "Aula Kelurahan Kenari",
        },
    )
    recess = Recess.objects.get()
    assert response.status_code == 302 and response.url == recess.get_absolute_url()
    assert (recess.dapil, recess.cycle, recess.created_by) == (dapil_senen, cycle, dprd_senen)


def test_a_recess_in_the_future_is_refused(client, dprd_senen, dapil_senen, cycle):
    client.force_login(dprd_senen)
    data = {"dapil": dapil_senen.pk, "member": "X", "held_on": "2999-01-01", "place": "Aula"}
    response = client.post(reverse("proposals:recess_create"), data)
    assert response.status_code == 200
    assert "masa depan" in response.content.decode()
    assert not Recess.objects.exists()


def test_only_a_member_records_a_recess(client, suban, cycle):
    client.force_login(suban)
    assert client.get(reverse("proposals:recess_create")).status_code == 404


def test_acceptance_a_pokir_for_kenari_reaches_the_table_queue_and_recap(
    client, dprd_senen, recess_senen, rw_kenari, betonisasi, ukpd_binamarga, suban
):
    """The issue's acceptance: the member enters an aspiration for an RW in Kenari; it shows in
    /usulan/ as 'Pokir DPRD', in its UKPD's survey queue, and in /rekap/ by source."""
    client.force_login(dprd_senen)
    url = reverse("proposals:pokir_create", args=[recess_senen.pk])
    page = client.get(url).content.decode()
    assert "RW 002 Kenari" in page and "Tambah pokir" in page
    response = client.post(url, {**form_data(betonisasi), "rw": rw_kenari[1].pk})
    pokir_row = Proposal.objects.get()
    assert response.status_code == 302, response.content.decode()[:3000]
    assert (pokir_row.source, pokir_row.status, pokir_row.rw) == (
        Source.POKIR,
        Status.POKIR,
        rw_kenari[1],
    )
    assert pokir_row.recess == recess_senen and pokir_row.submitted_at is not None
    assert pokir_row.events.get().action == "pokir"

    table = client.get(reverse("proposals:list"), {"source": "pokir"}).content.decode()
    assert pokir_row.code in table and "Pokir DPRD" in table

    client.force_login(ukpd_binamarga)
    queue = client.get(reverse("proposals:survey_queue")).content.decode()
    assert pokir_row.code in queue
    assert Proposal.objects.filter(awaiting_survey(), pk=pokir_row.pk).exists()
    assert pokir_row.may_survey(ukpd_binamarga)
    assert Notice.objects.filter(user=ukpd_binamarga, kind="survey_due").exists()

    recap = client.get(reverse("recap")).content.decode()
    assert "Pokir DPRD" in recap

    assert pokir_row.may_decide(suban)


def test_a_pokir_outside_the_dapil_is_refused(
    dprd_senen, recess_senen, rw_gambir, betonisasi, binamarga
):
    data = services.ProposalData(
        title="Jalan",
        problem="Rusak",
        catalogue_item=betonisasi,
        category=betonisasi.category,
        target_unit_id=binamarga.pk,
        address="Jl. Uji",
        rt="",
        latitude=None,
        longitude=None,
        volume=10,
        measure="m2",
        unit_price=1000,
        beneficiaries=0,
    )
    with pytest.raises(services.WorkflowError, match="tidak berada di dapil"):
        pokir.pokir_create(recess=recess_senen, rw=rw_gambir, data=data, by=dprd_senen)
    assert not Proposal.objects.exists()


def test_a_pokir_like_an_rw_proposal_is_flagged_to_the_planning_office(
    client, dprd_senen, recess_senen, rw_kenari, betonisasi, suban, proposal_kenari
):
    """Same RW and catalogue item as Kenari's RW proposal: the planning office is told, and
    the pokir's page shows the RW proposal to them, to merge by the final decision."""
    client.force_login(dprd_senen)
    url = reverse("proposals:pokir_create", args=[recess_senen.pk])
    data = {**form_data(betonisasi), "rw": rw_kenari[0].pk, "tetap_simpan": "1"}
    assert client.post(url, data).status_code == 302
    pokir_row = Proposal.objects.get(source=Source.POKIR)
    notice = Notice.objects.get(user=suban, kind="pokir_duplicate")
    assert proposal_kenari.code in notice.text
    client.force_login(suban)
    page = client.get(pokir_row.get_absolute_url()).content.decode()
    assert proposal_kenari.code in page

    services.decision_record(
        proposal=pokir_row, kind="merged", merged_into=proposal_kenari, reason="", by=suban
    )
    pokir_row.refresh_from_db()
    assert pokir_row.status == Status.MERGED


def test_a_pokir_never_enters_a_sidang(kelompok_kenari, pokir_kenari):
    assert not kelompok_kenari.candidates.filter(proposal=pokir_kenari).exists()


# -- Query counts -----------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_recess_pages_queries_stay_constant(
    client, dprd_senen, recess_senen, rw_kenari, betonisasi, dapil_senen, cycle
):
    client.force_login(dprd_senen)
    make_pokir(recess_senen, rw_kenari[0], betonisasi, dprd_senen)
    urls = [reverse("proposals:recess_list"), recess_senen.get_absolute_url()]
    few = [_queries(client, url) for url in urls]
    for _ in range(3):
        make_recess(cycle, dapil_senen, dprd_senen)
    for _ in range(12):
        make_pokir(recess_senen, rw_kenari[1], betonisasi, dprd_senen)
    many = [_queries(client, url) for url in urls]
    assert few == many
    assert max(many) <= 10


def test_pokir_form_queries_stay_constant(client, dprd_senen, recess_senen, rw_kenari):
    client.force_login(dprd_senen)
    url = reverse("proposals:pokir_create", args=[recess_senen.pk])
    few = _queries(client, url)
    rw_ensure(kelurahan=rw_kenari[0].parent, count=12)
    assert _queries(client, url) == few


# -- The recap by source ----------------------------------------------------------------------


def test_recap_counts_proposals_by_source(
    client, cycle, proposal_kenari, proposal_paseban, pokir_kenari, draft_kenari
):
    from musrenbang.public.recap import recap_for

    Proposal.objects.filter(pk=pokir_kenari.pk).update(status=Status.RENJA)
    sources = {row.code: row for row in recap_for(cycle).sources}
    assert (sources["rw"].proposals, sources["pokir"].proposals) == (2, 1)  # no draft
    assert sources["pokir"].cost == pokir_kenari.cost
    assert (sources["rw"].accommodated, sources["pokir"].accommodated) == (0, 1)
    page = client.get(reverse("recap")).content.decode()
    assert "Usulan per sumber" in page and "Pokir DPRD" in page


def test_recap_sheet_has_the_sources(client, cycle, pokir_kenari):
    import io

    from openpyxl import load_workbook

    response = client.get(reverse("recap_xlsx"))
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Per sumber"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert any(row[0] == "Pokir DPRD" and 1 in row for row in values), values


# -- Home, menu and tracker -------------------------------------------------------------------


def test_member_home_counts_their_pokir_and_menu_offers_recesses(
    client, dprd_senen, recess_senen, rw_kenari, betonisasi
):
    client.force_login(dprd_senen)
    make_pokir(recess_senen, rw_kenari[0], betonisasi, dprd_senen)
    few = _queries(client, reverse("home"))
    for _ in range(5):
        make_pokir(recess_senen, rw_kenari[1], betonisasi, dprd_senen)
    assert _queries(client, reverse("home")) == few
    page = client.get(reverse("home")).content.decode()
    assert "Pokir DPRD dapil saya" in page
    assert "Dapil Uji Senen" in page  # the assignment names the dapil and its kecamatan
    assert f'href="{reverse("proposals:recess_list")}"' in page


def test_planning_home_counts_pokir_awaiting_the_decision(client, suban, pokir_kenari):
    client.force_login(suban)
    page = client.get(reverse("home")).content.decode()
    assert "Pokir DPRD menunggu keputusan akhir" in page


def test_the_tracker_marks_a_pokir(client, pokir_kenari):
    page = client.get(reverse("tracker_proposal", args=[pokir_kenari.code])).content.decode()
    assert "Pokir DPRD" in page
    assert "Sidang kelompok kelurahan" not in page


def test_the_table_costs_the_same_queries_with_pokir(
    client, suban, proposal_kenari, recess_senen, rw_kenari, betonisasi, dprd_senen
):
    """Pokir rows, the source column and the source filter add no query to the table."""
    client.force_login(suban)
    url = reverse("proposals:list")
    plain = _queries(client, url)
    for _ in range(8):
        make_pokir(recess_senen, rw_kenari[1], betonisasi, dprd_senen)
    assert _queries(client, url) == plain
    assert _queries(client, url + "?source=pokir") == plain
    assert _queries(client, url + "?source=rw") == plain


def test_a_pokir_has_no_rw_receipt_and_its_journey_names_the_recess_day(
    client, dprd_senen, recess_senen, pokir_kenari, rw_kenari, betonisasi
):
    """The receipt is an RW's proof of handing a proposal to its kelurahan; a pokir's record is
    its recess, written as the rest of the journey writes a date."""
    client.force_login(dprd_senen)
    receipt = client.get(reverse("proposals:receipt", args=[pokir_kenari.pk]))
    assert (receipt.status_code, receipt.url) == (302, pokir_kenari.get_absolute_url())
    assert "tanda terima" not in client.get(pokir_kenari.get_absolute_url()).content.decode()
    form = client.get(reverse("proposals:pokir_create", args=[recess_senen.pk])).content.decode()
    assert '<optgroup label="Kecamatan Senen">' in form
    client.post(
        reverse("proposals:pokir_create", args=[recess_senen.pk]),
        {**form_data(betonisasi), "rw": rw_kenari[0].pk},
    )
    entered = Proposal.objects.exclude(pk=pokir_kenari.pk).get()
    assert entered.events.get().note == "Reses 20 Januari 2024 di Aula Kelurahan Kenari."
