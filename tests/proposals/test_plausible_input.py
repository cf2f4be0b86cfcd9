"""Implausible input is refused with a reason, on the pages and in the importer: control
characters in text, an RT in other digits or out of range, coordinates outside DKI Jakarta, a
volume or cost beyond its limit, a survey dated outside its cycle."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from proposals.imports import proposals_import
from proposals.models import Proposal, Recommendation, Status, Survey
from proposals.plausible import LATITUDE_BOUNDS, LONGITUDE_BOUNDS, proposal_problems
from proposals.spreadsheet import ImportRejected
from tests.proposals.test_import_views import csv_upload, out_of_catalogue, row
from tests.proposals.test_views import form_data

CONTROL = "Teks memuat karakter kendali yang tidak sah."
TODAY = timezone.localdate()
RT_MESSAGE = "RT ditulis dengan angka 0–9, dari 001 sampai 999 (mis. 003)."


def create(client, item, **overrides):
    return client.post(reverse("proposals:create"), form_data(item, **overrides))


def survey(client, proposal, day: datetime.date = TODAY, **overrides):
    return client.post(
        reverse("proposals:survey", args=[proposal.pk]),
        {
            "surveyed_on": day.isoformat(),
            "findings": "Jalan rusak sedang.",
            "recommendation": Recommendation.RECOMMENDED,
            "revised_volume": "100",
            **overrides,
        },
    )


def refused(response, field: str, fragment: str) -> None:
    """The page came back with the field's error, and says it."""
    assert response.status_code in (200, 400)
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert fragment in errors, response.context["form"].errors
    assert escape(fragment) in response.content.decode()


@pytest.fixture
def rw(client, rw_kenari_001, cycle):
    client.force_login(rw_kenari_001)
    return rw_kenari_001


# -- Control characters -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "Jalan \x01\x02\x1b rusak"),
        ("title", "Jalan\nrusak"),  # one line: no line break
        ("address", "Jl. Kenari\x7f II"),
        ("measure", "m\x1b2"),
        ("problem", "Rusak\x00 berat"),
        ("problem", "Rusak\x85 berat"),  # C1
        ("rt", "0\x0b4"),
    ],
)
def test_the_proposal_form_refuses_control_characters(client, rw, betonisasi, field, value):
    response = create(client, betonisasi, **{field: value})
    refused(response, field, CONTROL)
    assert not Proposal.objects.exists()


def test_tabs_and_line_breaks_pass_where_the_field_allows_them(client, rw, betonisasi):
    response = create(
        client, betonisasi, title="Jalan\trusak", problem="Baris satu\r\nbaris dua\tdan tab"
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.title == "Jalan\trusak"
    assert proposal.problem == "Baris satu\r\nbaris dua\tdan tab"


def test_the_survey_form_refuses_control_characters(client, ukpd_binamarga, proposal_kenari):
    client.force_login(ukpd_binamarga)
    response = survey(client, proposal_kenari, findings="Jalan \x1b[31mrusak")
    refused(response, "findings", CONTROL)
    assert not Survey.objects.exists()


@pytest.mark.parametrize("step", ["accept", "return"])
def test_the_lurahs_notes_refuse_control_characters(client, lurah_kenari, proposal_kenari, step):
    client.force_login(lurah_kenari)
    response = client.post(
        reverse(f"proposals:{step}", args=[proposal_kenari.pk]), {"note": "Lengkap\x07."}
    )
    assert response.status_code == 400
    assert escape(CONTROL) in response.content.decode()
    proposal_kenari.refresh_from_db()
    assert proposal_kenari.status == Status.SUBMITTED


def test_the_final_decision_refuses_control_characters(client, suban, forwarded):
    client.force_login(suban)
    response = client.post(
        reverse("proposals:decide", args=[forwarded.pk]),
        {"kind": "not_accommodated", "reason": "Anggaran\x1b habis", "confirmed": "1"},
    )
    assert response.status_code == 400
    assert escape(CONTROL) in response.content.decode()
    forwarded.refresh_from_db()
    assert forwarded.status == Status.KECAMATAN_PRIORITY


# -- RT ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rt", "fragment"),
    [
        ("٣", RT_MESSAGE),
        ("０３", RT_MESSAGE),
        ("0", RT_MESSAGE),
        ("000", RT_MESSAGE),
        ("-1", RT_MESSAGE),
        ("3a", RT_MESSAGE),
        ("1000", "paling banyak 3 karakter"),
    ],
)
def test_an_rt_in_other_digits_or_out_of_range_is_refused(client, rw, betonisasi, rt, fragment):
    refused(create(client, betonisasi, rt=rt), "rt", fragment)
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(("typed", "stored"), [("7", "007"), ("07", "007"), ("999", "999")])
def test_an_rt_is_stored_with_three_digits(client, rw, betonisasi, typed, stored):
    assert create(client, betonisasi, rt=typed).status_code == 302
    assert Proposal.objects.get().rt == stored


# -- Coordinates ------------------------------------------------------------------------------


def test_coordinates_outside_jakarta_are_refused(client, rw, betonisasi):
    response = create(client, betonisasi, latitude="3", longitude="-5")
    refused(response, "latitude", "Lintang di luar wilayah DKI Jakarta")
    refused(response, "longitude", "Bujur di luar wilayah DKI Jakarta")
    assert "-6,40 dan -5,19" in response.context["form"].errors["latitude"][0]
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [("-6.1862", "106.8505"), ("-5.6", "106.55"), ("-6.40", "106.39"), ("-5.19", "106.98")],
    ids=["kenari", "kepulauan-seribu", "south-west-corner", "north-east-corner"],
)
def test_coordinates_inside_jakarta_are_kept(client, rw, betonisasi, latitude, longitude):
    response = create(client, betonisasi, latitude=latitude, longitude=longitude)
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert (proposal.latitude, proposal.longitude) == (Decimal(latitude), Decimal(longitude))


@pytest.mark.parametrize(
    ("given", "missing"),
    [({"latitude": "-6.1862"}, "longitude"), ({"longitude": "106.8505"}, "latitude")],
    ids=["latitude-only", "longitude-only"],
)
def test_half_a_point_is_refused(client, rw, betonisasi, given, missing):
    response = create(client, betonisasi, **given)
    refused(response, missing, "Isi Lintang dan Bujur bersama-sama, atau kosongkan keduanya.")
    assert not Proposal.objects.exists()


def test_a_mistyped_coordinate_does_not_make_the_other_missing(client, rw, betonisasi):
    response = create(client, betonisasi, latitude="-6,18,62", longitude="106.8505")
    errors = response.context["form"].errors
    assert set(errors) == {"latitude"}
    assert "bersama-sama" not in errors["latitude"][0]


def test_the_database_refuses_half_a_point(proposal_kenari):
    proposal = proposal_kenari
    proposal.latitude, proposal.longitude = Decimal("-6.1862"), None
    with pytest.raises(IntegrityError), transaction.atomic():
        proposal.save()


def test_the_bounds_are_one_pair():
    assert (Decimal("-6.40"), Decimal("-5.19")) == LATITUDE_BOUNDS
    assert (Decimal("106.39"), Decimal("106.98")) == LONGITUDE_BOUNDS
    assert set(proposal_problems(latitude=Decimal(3), longitude=Decimal(-5))) == {
        "latitude",
        "longitude",
    }


# -- Volume and cost --------------------------------------------------------------------------


def test_a_volume_beyond_the_system_limit_is_refused(client, rw, betonisasi, settings):
    settings.PROPOSAL_MAX_VOLUME = Decimal("100000")
    refused(
        create(client, betonisasi, volume="9999999999.99"), "volume", "Volume paling besar 100.000."
    )
    assert create(client, betonisasi, volume="100000").status_code == 302


def test_a_volume_beyond_its_items_limit_is_refused(client, rw, betonisasi):
    betonisasi.max_volume = Decimal("500")
    betonisasi.save()
    response = create(client, betonisasi, volume="500.01")
    refused(response, "volume", "Volume paling besar 500 untuk item kamus ini.")
    assert not Proposal.objects.exists()
    assert create(client, betonisasi, volume="500").status_code == 302


def test_a_cost_beyond_the_ceiling_is_refused(client, rw, sda, settings):
    settings.PROPOSAL_MAX_COST = 50_000_000_000
    response = create(
        client,
        sda,
        catalogue_item="",
        category="pengadaan",
        target_unit=sda.pk,
        measure="unit",
        volume="100000",
        unit_price="500001",
    )
    refused(response, "unit_price", "paling besar Rp 50.000.000.000")
    assert not Proposal.objects.exists()


def test_a_ceiling_set_too_high_still_keeps_the_cost_storable(settings):
    settings.PROPOSAL_MAX_COST = 10**30
    assert "unit_price" in proposal_problems(volume=Decimal("99999"), unit_price=2**62)


def test_a_surveyed_volume_beyond_the_limit_is_refused(client, ukpd_binamarga, proposal_kenari):
    client.force_login(ukpd_binamarga)
    response = survey(client, proposal_kenari, revised_volume="9999999999.99")
    refused(response, "revised_volume", "Volume paling besar")
    assert not Survey.objects.exists()


# -- Survey dates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "fragment"),
    [
        (datetime.date(1, 1, 1), "sebelum input usulan RW dibuka"),
        (TODAY - datetime.timedelta(days=11), "sebelum input usulan RW dibuka"),
        (TODAY + datetime.timedelta(days=1), "di masa depan"),
    ],
    ids=["year-1", "before-the-rw-window", "tomorrow"],
)
def test_a_survey_outside_its_cycle_is_refused(
    client, ukpd_binamarga, proposal_kenari, day, fragment
):
    client.force_login(ukpd_binamarga)
    refused(survey(client, proposal_kenari, day), "surveyed_on", fragment)
    assert not Survey.objects.exists()


def test_a_survey_from_the_rw_windows_first_day_to_today_is_kept(
    client, ukpd_binamarga, proposal_kenari, cycle
):
    client.force_login(ukpd_binamarga)
    assert survey(client, proposal_kenari, cycle.rw_opens).status_code == 302
    assert survey(client, proposal_kenari, TODAY).status_code == 302
    assert Survey.objects.get().surveyed_on == TODAY


def test_a_survey_after_the_musrenbang_kecamatan_is_refused(
    client, ukpd_binamarga, proposal_kenari, cycle
):
    cycle.kecamatan_closes = TODAY - datetime.timedelta(days=1)
    cycle.save()
    client.force_login(ukpd_binamarga)
    refused(survey(client, proposal_kenari, TODAY), "surveyed_on", "setelah akhir siklus")
    assert survey(client, proposal_kenari, cycle.kecamatan_closes).status_code == 302


def test_without_a_kecamatan_date_a_survey_ends_with_the_cycles_year(cycle):
    cycle.year = 2024
    cycle.rw_opens, cycle.rw_closes = datetime.date(2024, 1, 2), datetime.date(2024, 2, 16)
    assert cycle.survey_dates() == (datetime.date(2024, 1, 2), datetime.date(2024, 12, 31))
    cycle.kecamatan_closes = datetime.date(2024, 3, 8)
    assert cycle.survey_dates() == (datetime.date(2024, 1, 2), datetime.date(2024, 3, 8))


# -- The importer: the same rules, through proposals.imports ---------------------------------


@pytest.fixture
def kenari_setup(cycle, rw_kenari, betonisasi, tenda):
    return cycle


def import_problems(cycle, user, rows) -> list[tuple[int, str, str]]:
    data = csv_upload(rows).read()
    with pytest.raises(ImportRejected) as rejected:
        proposals_import(cycle=cycle, data=data, file_name="usulan.csv", by=user)
    return [(p.row, p.column, p.message) for p in rejected.value.problems]


def test_the_importer_applies_the_forms_rules(suban, kenari_setup, betonisasi, settings):
    settings.PROPOSAL_MAX_VOLUME = Decimal("100000")
    settings.PROPOSAL_MAX_COST = 50_000_000_000
    betonisasi.max_volume = Decimal("500")
    betonisasi.save()
    found = import_problems(
        kenari_setup,
        suban,
        [
            row(RT="٣"),  # 2
            row(RT="0"),  # 3
            row(Lintang="3", Bujur="-5"),  # 4
            row(Volume="501"),  # 5: above the item's own limit
            out_of_catalogue(Volume="9999999999,99"),  # 6: above the system's
            out_of_catalogue(Volume="100000", Harga_satuan="1.000.000"),  # 7: the cost
            row(Lintang="-5,6", Bujur="106,55", RT="12", Volume="500"),  # 8: all well
        ],
    )
    assert [(r, c) for r, c, _ in found] == [
        (2, "RT"),
        (3, "RT"),
        (4, "Lintang"),
        (4, "Bujur"),
        (5, "Volume"),
        (6, "Volume"),
        (7, "Harga satuan"),
    ]
    messages = [m for _, _, m in found]
    assert messages[0] == messages[1] == RT_MESSAGE
    assert "Lintang di luar wilayah DKI Jakarta" in messages[2]
    assert messages[4] == "Volume paling besar 500 untuk item kamus ini."
    assert messages[5] == "Volume paling besar 100.000."
    assert "paling besar Rp 50.000.000.000" in messages[6]
    assert not Proposal.objects.exists()


def test_the_importer_keeps_plausible_rows(suban, kenari_setup):
    imported = proposals_import(
        cycle=kenari_setup,
        data=csv_upload([row(Lintang="-5,6", Bujur="106,55", RT="12")]).read(),
        file_name="usulan.csv",
        by=suban,
    )
    assert imported.count == 1
    proposal = Proposal.objects.get()
    assert (proposal.rt, proposal.latitude, proposal.longitude) == (
        "012",
        Decimal("-5.6"),
        Decimal("106.55"),
    )
