"""The ranking page of sessions/ranking_views.py: one compact row per candidate; at the
musrenbang kecamatan where each candidate comes from, its surveyed cost and the utama's total;
the survey rule on the Utama option; what joined since the last save; a closed sidang's
ranking no longer changes."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from areas.models import Area
from areas.services import rw_ensure
from proposals.models import Cycle, Proposal, Status
from sessions.models import Candidate, Decision, Kind, Sidang
from sessions.services import Placement
from tests.proposal_fixtures import make_proposal, recommend
from tests.session_fixtures import save, schedule


def musrenbang_with(cycle, kelurahan: list[Area], n: int, item, creator, officer) -> Sidang:
    """The musrenbang kecamatan of the kelurahan, in progress with `n` of their priorities on its
    table, taken in turn from each kelurahan and ranked in code order by its sidang kelompok;
    every other one surveyed and recommended at 100 of the 120 m2 proposed."""
    rws = [rw_ensure(kelurahan=k, count=1)[0] for k in kelurahan]
    proposals = [
        make_proposal(cycle, rws[i % len(rws)], item, creator, status=Status.ACCEPTED)
        for i in range(n)
    ]
    for proposal in proposals[::2]:
        recommend(proposal, officer, "Jalan berlubang.")
    for k in kelurahan:
        kelompok = schedule(cycle, Kind.KELOMPOK, k, state="in_progress")
        for rank, c in enumerate(kelompok.candidates.order_by("proposal__code"), start=1):
            Candidate.objects.filter(pk=c.pk).update(rank=rank)
    Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(
        status=Status.KELURAHAN_PRIORITY
    )
    return schedule(cycle, Kind.KECAMATAN, kelurahan[0].parent, state="in_progress")


@pytest.fixture
def musrenbang(cycle, kenari, paseban, betonisasi, superuser, ukpd_binamarga) -> Sidang:
    """Senen's musrenbang kecamatan: four priorities of Kenari and Paseban, two surveyed."""
    return musrenbang_with(cycle, [kenari, paseban], 4, betonisasi, superuser, ukpd_binamarga)


def page(client, user, sidang) -> str:
    client.force_login(user)
    response = client.get(reverse("sessions:ranking", args=[sidang.pk]))
    assert response.status_code == 200
    return response.content.decode()


def row_of(html: str, candidate: Candidate) -> str:
    """The table row of the candidate, as its markup."""
    start = html.index(f'id="calon-{candidate.pk}"')
    return html[start : html.index("</tr>", start)]


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def candidates(sidang) -> list[Candidate]:
    return list(sidang.candidates.select_related("proposal__kelurahan").order_by("proposal__code"))


def test_the_kecamatan_ranking_shows_each_candidates_kelurahan_and_its_rank_there(
    client, camat_senen, musrenbang
):
    html = page(client, camat_senen, musrenbang)
    assert '<th scope="col">Kelurahan</th>' in html
    first, second, third, fourth = candidates(musrenbang)
    # Codes alternate between the two kelurahan, each ranked in code order at home.
    assert first.proposal.kelurahan.name == "Kenari"
    assert "Kenari peringkat 1" in text(row_of(html, first))
    assert "Paseban peringkat 1" in text(row_of(html, second))
    assert "Kenari peringkat 2" in text(row_of(html, third))
    assert "Paseban peringkat 2" in text(row_of(html, fourth))


def test_the_surveyed_volume_and_cost_stand_beside_the_proposed_ones(
    client, camat_senen, musrenbang
):
    html = page(client, camat_senen, musrenbang)
    surveyed, unsurveyed = candidates(musrenbang)[:2]
    row = text(row_of(html, surveyed))
    assert "100 usulan 120 m2" in row
    assert "Rp 45.000.000 usulan Rp 54.000.000" in row
    row = text(row_of(html, unsurveyed))
    assert "120 m2" in row and "Rp 54.000.000" in row
    assert "usulan Rp" not in row


def test_the_utama_total_adds_up_their_surveyed_costs(client, camat_senen, musrenbang):
    first, _paseban, third, _fourth = candidates(musrenbang)  # the two surveyed ones
    save(
        musrenbang,
        camat_senen,
        [
            Placement(c.pk, rank, Decision.UTAMA if c in (first, third) else Decision.CADANGAN)
            for rank, c in enumerate(candidates(musrenbang), start=1)
        ],
    )
    html = page(client, camat_senen, musrenbang)
    assert "Biaya utama: <strong>Rp 90.000.000</strong>" in html
    footer = text(html[html.index("<tfoot>") : html.index("</tfoot>")])
    assert footer == "Jumlah biaya utama Rp 90.000.000"


def test_an_unsurveyed_physical_proposal_cannot_be_chosen_utama(client, camat_senen, musrenbang):
    html = page(client, camat_senen, musrenbang)
    surveyed, unsurveyed = candidates(musrenbang)[:2]
    row = row_of(html, unsurveyed)
    assert '<option value="utama" disabled>' in row
    assert "Belum disurvei: paling tinggi cadangan." in row
    assert f'aria-describedby="why-{unsurveyed.pk}"' in row
    row = row_of(html, surveyed)
    assert '<option value="utama">' in row
    assert "Belum disurvei" not in row


def test_without_the_survey_rule_an_unsurveyed_proposal_may_be_utama(
    client, camat_senen, musrenbang
):
    Cycle.objects.filter(pk=musrenbang.cycle_id).update(priority_needs_survey=False)
    row = row_of(page(client, camat_senen, musrenbang), candidates(musrenbang)[1])
    assert '<option value="utama">' in row
    assert "paling tinggi cadangan" not in row


def test_a_not_recommended_proposal_says_why_it_cannot_be_utama(
    client, lurah_kenari, kelompok_kenari, accepted_kenari
):
    vetoed = kelompok_kenari.candidates.get(proposal=accepted_kenari[6])
    row = row_of(page(client, lurah_kenari, kelompok_kenari), vetoed)
    assert '<option value="utama" disabled>' in row
    assert "Tidak direkomendasikan survei: tidak dapat menjadi utama." in row


def test_the_sidang_kelompok_shows_the_surveyed_cost_without_kelurahan_columns(
    client, lurah_kenari, musrenbang
):
    kelompok = Sidang.objects.get(kind=Kind.KELOMPOK, area__name="Kenari")
    html = page(client, lurah_kenari, kelompok)
    assert '<th scope="col">Kelurahan</th>' not in html
    surveyed = kelompok.candidates.order_by("proposal__code").first()
    assert "Rp 45.000.000 usulan Rp 54.000.000" in text(row_of(html, surveyed))
    assert "Jumlah biaya utama" in html


def test_candidates_that_joined_since_the_last_save_are_listed_and_marked(
    client, camat_senen, musrenbang
):
    first, second, third, fourth = candidates(musrenbang)
    saved_at = timezone.now() - datetime.timedelta(hours=1)
    Sidang.objects.filter(pk=musrenbang.pk).update(
        ranking_saved_at=saved_at, ranking_saved_by=camat_senen, ranking_version=1
    )
    Candidate.objects.filter(pk__in=[first.pk, second.pk]).update(
        added_at=saved_at - datetime.timedelta(hours=1)
    )
    html = page(client, camat_senen, musrenbang)
    assert (
        "Calon baru sejak peringkat terakhir disimpan: "
        f"{third.proposal.code}, {fourth.proposal.code}." in html
    )
    assert ">baru</span>" in row_of(html, third)
    assert ">baru</span>" not in row_of(html, first)


def test_nothing_is_new_before_the_first_save(client, camat_senen, musrenbang):
    assert "Calon baru sejak" not in page(client, camat_senen, musrenbang)


def test_scores_are_one_compact_row_with_the_total_after_saving(
    client, lurah_kenari, kelompok_kenari
):
    criteria = list(kelompok_kenari.cycle.criteria.all())
    candidate = kelompok_kenari.candidates.order_by("proposal__code").first()
    Candidate.objects.filter(pk=candidate.pk).update(
        scores={str(c.pk): 5 for c in criteria}, score=100
    )
    html = page(client, lurah_kenari, kelompok_kenari)
    assert "<details" not in html
    row = row_of(html, candidate)
    for criterion in criteria:
        assert f'for="score-{candidate.pk}-{criterion.pk}"' in row
        assert f'data-weight="{criterion.weight}"' in row
    assert f'<output id="total-{candidate.pk}" data-score-total>100</output>' in row
    assert 'Urgensi <span class="text-nowrap">(40 %)</span>' in html


def test_a_scored_sidang_heads_its_columns_with_the_weights_it_used(
    client, lurah_kenari, kelompok_kenari
):
    criteria = list(kelompok_kenari.cycle.criteria.all())
    Sidang.objects.filter(pk=kelompok_kenari.pk).update(
        weights={str(c.pk): [f"Kriteria lama {i}", 25] for i, c in enumerate(criteria)}
    )
    html = page(client, lurah_kenari, kelompok_kenari)
    assert 'Kriteria lama 0 <span class="text-nowrap">(25 %)</span>' in html
    assert "(40 %)" not in html


def test_the_ranking_table_scrolls_in_a_region_named_by_its_caption(
    client, lurah_kenari, kelompok_kenari
):
    html = page(client, lurah_kenari, kelompok_kenari)
    assert (
        '<div class="table-responsive" tabindex="0" role="region" '
        'aria-labelledby="ranking-caption">' in html
    )
    assert '<caption id="ranking-caption"' in html


def test_a_closed_sidang_refuses_changes_through_the_page(client, closed_kenari, lurah_kenari):
    client.force_login(lurah_kenari)
    url = reverse("sessions:ranking", args=[closed_kenari.pk])
    page = client.get(url).content.decode()
    assert 'name="action"' not in page  # no save button
    candidate = closed_kenari.candidates.order_by("rank").first()
    response = client.post(url, {"version": "1", f"rank-{candidate.pk}": "7", "action": "save"})
    assert response.status_code == 400
    assert "sudah ditutup" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.rank == 1
