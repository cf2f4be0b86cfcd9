"""The survey queue (/survei/): what each tab lists and counts, its filters, its order by when the
lurah accepted, its scope, and a bounded number of queries."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from areas.models import Area
from areas.services import rw_ensure
from musrenbang.public.recap import recap_for
from proposals.models import Event, Proposal, Recommendation, Status
from tests.proposal_fixtures import make_proposal, open_cycle, recommend, road_item

QUEUE = reverse("proposals:survey_queue")
DONE = {"tampil": "selesai"}


def listed(response) -> list[str]:
    """The codes of the page's rows, in their order."""
    assert response.status_code == 200
    return [row.record.code for row in response.context["table"].paginated_rows]


def accepted(proposal, days_ago: int):
    """The lurah accepted `proposal` `days_ago` days ago (its journey says when)."""
    proposal.status = Status.ACCEPTED
    proposal.save(update_fields=["status"])
    at = timezone.now() - datetime.timedelta(days=days_ago)
    Event.objects.create(proposal=proposal, action=Event.Action.ACCEPTED, at=at)
    return proposal


@pytest.fixture
def gambir_rw(gambir):
    kelurahan = Area.objects.kelurahan().filter(parent=gambir).order_by("code").first()
    return rw_ensure(kelurahan=kelurahan, count=1)[0]


@pytest.fixture
def queue(cycle, rw_kenari, rw_paseban, gambir_rw, betonisasi, superuser):
    """Bina Marga's physical proposals: accepted in Kenari (3 days ago), Paseban (1 day ago) and
    Gambir (2 days ago); one still submitted; one surveyed and since prioritised."""

    def proposal(rw, **fields):
        return make_proposal(cycle, rw, betonisasi, superuser, **fields)

    return {
        "kenari": accepted(proposal(rw_kenari[0], title="Jalan Kenari"), 3),
        "paseban": accepted(proposal(rw_paseban, address="Gang Paseban Dalam"), 1),
        "gambir": accepted(proposal(gambir_rw), 2),
        "submitted": proposal(rw_kenari[1]),
        "prioritised": accepted(
            proposal(
                rw_kenari[1],
                status=Status.KELURAHAN_PRIORITY,
                recommendation=Recommendation.RECOMMENDED,
            ),
            5,
        ),
    }


def codes(queue, *keys) -> list[str]:
    return [queue[key].code for key in keys]


# -- What each tab lists and counts -----------------------------------------------------------


def test_it_lists_what_the_lurah_accepted_the_newest_first(client, ukpd_binamarga, queue):
    client.force_login(ukpd_binamarga)
    response = client.get(QUEUE)
    assert listed(response) == codes(queue, "paseban", "gambir", "kenari")
    assert response.context["counts"] == {"pending": 3, "done": 1}
    page = response.content.decode()
    assert "Belum disurvei (3)" in page and "Sudah disurvei (1)" in page
    assert "yang sudah diterima lurah dan belum disurvei" in page


@override_settings(SURVEY_BEFORE_ACCEPTANCE=True)
def test_a_setting_widens_it_to_the_submitted_ones(client, ukpd_binamarga, queue):
    client.force_login(ukpd_binamarga)
    response = client.get(QUEUE)
    # Not accepted: no date to sort by, after those that have one.
    assert listed(response) == codes(queue, "paseban", "gambir", "kenari", "submitted")
    assert response.context["counts"]["pending"] == 4
    assert "yang diajukan ke kelurahan atau sudah diterima lurah" in response.content.decode()


def test_surveyed_lists_those_gone_on_to_sessions(client, ukpd_binamarga, queue):
    client.force_login(ukpd_binamarga)
    assert listed(client.get(QUEUE, DONE)) == codes(queue, "prioritised")


def test_surveyed_counts_what_the_recap_counts(
    client, ukpd_binamarga, cycle, rw_kenari, betonisasi, superuser
):
    """Every surveyed proposal of the unit in the cycle, wherever it went since; not a carried
    copy waiting for its RW (its survey stayed with the original)."""
    gone_on = [Status.ACCEPTED, Status.NOT_PRIORITISED, Status.RENJA, Status.KELURAHAN_PRIORITY]
    for status in gone_on:
        proposal = accepted(make_proposal(cycle, rw_kenari[0], betonisasi, superuser), 1)
        recommend(proposal, ukpd_binamarga, "Jalan berlubang.")
        Proposal.objects.filter(pk=proposal.pk).update(status=status)
    make_proposal(cycle, rw_kenari[0], betonisasi, superuser, status=Status.CARRIED)
    accepted(make_proposal(cycle, rw_kenari[0], betonisasi, superuser), 1)  # not yet surveyed
    client.force_login(ukpd_binamarga)
    response = client.get(QUEUE, {**DONE, "siklus": cycle.pk})
    (unit,) = [row for row in recap_for(cycle).units if row.name == "Sudin Bina Marga"]
    assert response.context["counts"] == {"pending": 1, "done": unit.surveyed}
    assert unit.surveyed == len(listed(response)) == len(gone_on)
    assert f'href="{reverse("recap")}?siklus={cycle.pk}"' in response.content.decode()


# -- Filters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "jalan kenari"}, ["kenari"]),
        ({"q": "paseban dalam"}, ["paseban"]),
        ({"kecamatan": "senen"}, ["paseban", "kenari"]),
        ({"kecamatan": "gambir"}, ["gambir"]),
        ({"kecamatan": "senen", "kelurahan": "kenari"}, ["kenari"]),
        ({"kelurahan": "paseban"}, ["paseban"]),  # named in the address bar, on its own
        ({"urut": "lama"}, ["kenari", "gambir", "paseban"]),
        ({"urut": "lama", "kecamatan": "senen"}, ["kenari", "paseban"]),
    ],
)
def test_filters(client, ukpd_binamarga, queue, request, params, expected):
    areas = ("kecamatan", "kelurahan")
    params = {k: request.getfixturevalue(v).pk if k in areas else v for k, v in params.items()}
    client.force_login(ukpd_binamarga)
    response = client.get(QUEUE, params)
    assert listed(response) == codes(queue, *expected)
    assert response.context["counts"]["pending"] == len(expected)  # the tabs count the filtered


def test_a_code_is_found_exactly(client, ukpd_binamarga, queue):
    client.force_login(ukpd_binamarga)
    code = queue["gambir"].code
    assert listed(client.get(QUEUE, {"q": code.lower()})) == [code]
    assert client.get(QUEUE, {**DONE, "q": code}).context["counts"] == {"pending": 1, "done": 0}


def test_the_cycle_filter(client, ukpd_binamarga, queue, kota_jp, rw_kenari, betonisasi, superuser):
    later = open_cycle(kota_jp, "JP25", year=2025)
    newer = accepted(make_proposal(later, rw_kenari[0], betonisasi, superuser), 0)
    client.force_login(ukpd_binamarga)
    assert listed(client.get(QUEUE))[0] == newer.code  # every cycle, the newest accepted first
    assert listed(client.get(QUEUE, {"siklus": later.pk})) == [newer.code]
    choices = client.get(QUEUE).context["filter"].form.fields["siklus"].choices
    assert [label for value, label in choices] == ["Semua siklus", "2025", "2024"]


@pytest.mark.parametrize(
    "params",
    [
        {"kecamatan": "999999"},
        {"kecamatan": "senen"},
        {"kelurahan": "x' OR 1=1"},
        {"siklus": "2024"},
        {"urut": "acak"},
        {"sort": "title"},  # the queue's own order: the columns are not sortable
        {"tampil": "lain"},
    ],
)
def test_an_unknown_value_filters_nothing(client, ukpd_binamarga, queue, params):
    client.force_login(ukpd_binamarga)
    assert listed(client.get(QUEUE, params)) == codes(queue, "paseban", "gambir", "kenari")


def test_the_kelurahan_follow_the_kecamatan(client, ukpd_binamarga, queue, senen):
    client.force_login(ukpd_binamarga)
    form = client.get(QUEUE).context["filter"].form
    assert len(form.fields["kecamatan"].choices) == 1 + 8  # "all" and Jakarta Pusat's eight
    assert len(form.fields["kelurahan"].choices) == 1  # none until a kecamatan is chosen
    form = client.get(QUEUE, {"kecamatan": senen.pk}).context["filter"].form
    offered = {label for value, label in form.fields["kelurahan"].choices if value}
    assert {"Kenari", "Paseban"} <= offered
    assert len(offered) == Area.objects.kelurahan().filter(parent=senen).count()


def test_tabs_and_form_keep_the_filters(client, ukpd_binamarga, queue, senen):
    client.force_login(ukpd_binamarga)
    page = client.get(QUEUE, {**DONE, "kecamatan": senen.pk, "urut": "lama"}).content.decode()
    assert f"?kecamatan={senen.pk}&amp;urut=lama" in page  # the other tab
    assert '<input type="hidden" name="tampil" value="selesai"' in page
    assert f'<a class="btn btn-outline-secondary" href="{QUEUE}?tampil=selesai">' in page
    page = client.get(QUEUE, DONE).content.decode()
    assert re.search(rf'href="{QUEUE}\??">Belum disurvei \(3\)</a>', page)  # not this page


def test_the_export_has_the_filtered_set_in_the_queues_order(client, ukpd_binamarga, queue, senen):
    client.force_login(ukpd_binamarga)
    response = client.get(QUEUE, {"kecamatan": senen.pk, "urut": "lama", "_export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert [row[0] for row in rows[1:]] == codes(queue, "kenari", "paseban")


# -- Scope ------------------------------------------------------------------------------------


def test_another_units_and_kotas_proposals_never_appear(
    client, ukpd_binamarga, queue, cycle, rw_kenari, sda, superuser, proposal_jaksel, kota_jaksel
):
    drainage = road_item(sda)
    others = [
        accepted(make_proposal(cycle, rw_kenari[0], drainage, superuser), 0),
        make_proposal(
            cycle,
            rw_kenari[0],
            drainage,
            superuser,
            status=Status.KELURAHAN_PRIORITY,
            recommendation=Recommendation.RECOMMENDED,
        ),
        accepted(proposal_jaksel, 0),
    ]
    jaksel_kecamatan = Area.objects.kecamatan().within(kota_jaksel).first()
    client.force_login(ukpd_binamarga)
    for params in ({}, DONE, {"kecamatan": jaksel_kecamatan.pk}, {"q": others[0].code}):
        for tab in ({}, DONE):
            response = client.get(QUEUE, {**params, **tab})
            assert not {p.code for p in others} & set(listed(response))
            counts = response.context["counts"]
            assert counts["pending"] <= 3 and counts["done"] <= 1  # Bina Marga's own
    export = client.get(QUEUE, {"_export": "csv"}).content.decode()
    assert not any(p.code in export for p in others)


def test_it_is_404_for_an_rw(client, rw_kenari_001, queue):
    client.force_login(rw_kenari_001)
    assert client.get(QUEUE, {"kecamatan": "1"}).status_code == 404


# -- Queries ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [{}, DONE, {"q": "jalan", "urut": "lama"}, {"kecamatan": "senen", "kelurahan": "kenari"}],
)
def test_queries_do_not_grow_with_the_queue(
    client, ukpd_binamarga, cycle, rw_kenari, betonisasi, superuser, senen, kenari, params
):
    params = {k: {"senen": senen.pk, "kenari": kenari.pk}.get(v, v) for k, v in params.items()}
    client.force_login(ukpd_binamarga)

    def grow(n: int) -> None:
        for i in range(n):
            recommendation = Recommendation.RECOMMENDED if i % 2 else ""
            rw = rw_kenari[i % 2]
            proposal = make_proposal(
                cycle, rw, betonisasi, superuser, title=f"Jalan {i}", recommendation=recommendation
            )
            accepted(proposal, i)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert listed(client.get(QUEUE, params))
        return len(captured)

    grow(4)
    small = count()
    grow(60)
    assert count() == small <= 12
