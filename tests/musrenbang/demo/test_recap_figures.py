"""The demo's recap shows every figure of the 2024 report: the 386 RW of Jakarta Pusat, per
kecamatan and per kelurahan, with numbers written as the page's language writes them."""

import re

from django.conf import settings
from django.urls import reverse

from areas.models import Area, Level, TechnicalUnit
from musrenbang.public.charts import PHONE, Frame, _lines
from proposals.models import Cycle
from tests.musrenbang.test_page_language import Pages

RECAP = reverse("recap")


def demo_2024(**params) -> dict:
    return {"siklus": Cycle.objects.get(kota__code="31.71", year=2024).pk, **params}


def rw_under(area: Area) -> int:
    return Area.objects.filter(level=Level.RW, code__startswith=area.code + ".").count()


def figure(page: str, name: str) -> str:
    found = re.search(rf'data-figure="{name}">([^<]*)</p>', page)
    assert found, f"no {name} figure"
    return found.group(1)


def total_row(page: str, table: str) -> str:
    """The cells of a table's total row, its markup as it is."""
    found = re.search(rf'data-table="{table}">.*?<tfoot>(.*?)</tfoot>', page, re.S)
    assert found, f"no total row under {table}"
    return found.group(1)


def test_the_recap_shows_the_386_rw_of_jakarta_pusat(loaded_demo, db, client):
    response = client.get(RECAP, demo_2024())
    page = response.content.decode()
    recap = response.context["recap"]
    assert figure(page, "rw") == "386"
    assert "rembuk RW di 44 kelurahan dan 8 kecamatan" in page
    assert recap.rw == 386 == rw_under(Area.objects.get(code="31.71"))
    kecamatan = Area.objects.filter(level=Level.KECAMATAN, code__startswith="31.71.")
    assert {row.name: row.rw for row in recap.kecamatan} == {k.name: rw_under(k) for k in kecamatan}
    assert '<th scope="row">Jumlah</th><td class="text-end" data-label="RW">386</td>' in total_row(
        page, "kecamatan"
    )


def test_each_kelurahan_of_the_chosen_kecamatan_shows_its_rw(loaded_demo, db, client):
    senen = Area.objects.get(code="31.71.04")
    response = client.get(RECAP, demo_2024(kecamatan=senen.code))
    page = response.content.decode()
    kelurahan = Area.objects.filter(parent=senen)
    assert {row.name: row.rw for row in response.context["recap"].kelurahan} == {
        k.name: rw_under(k) for k in kelurahan
    }
    assert f'data-label="RW">{rw_under(senen)}</td>' in total_row(page, "kelurahan")
    kenari = re.search(
        r'<th scope="row">Kenari</th><td class="text-end" data-label="RW">(\d+)', page
    )
    assert kenari and int(kenari.group(1)) == rw_under(kelurahan.get(name="Kenari"))


def test_the_figures_follow_the_page_language(loaded_demo, db, client):
    indonesian = client.get(RECAP, demo_2024()).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(RECAP, demo_2024()).content.decode()
    assert 'lang="en"' in english

    assert (figure(indonesian, "total"), figure(english, "total")) == ("1.451", "1,451")
    assert (figure(indonesian, "surveyed"), figure(english, "surveyed")) == (
        "687 dari 1.072",
        "687 of 1,072",
    )
    assert figure(indonesian, "cost").startswith("Rp 76.997.")
    assert figure(english, "cost").startswith("Rp 76,997,")
    assert ("73,88 %" in indonesian, "73.88%" in english) == (True, True)
    assert "73,88" not in english
    assert '<th scope="row">Jumlah</th>' in total_row(indonesian, "kecamatan")
    assert '<th scope="row">Total</th>' in total_row(english, "kecamatan")
    assert "Counts" not in english
    assert "27 Februari 2024 – 5 Maret 2024" in indonesian
    assert "27 February 2024 – 5 March 2024" in english


def test_the_recap_speaks_one_language(loaded_demo, db, client):
    """Every string of the page, in both languages, over the demo's full figures. A UKPD's
    short name is data, and so is each line of it where a chart wraps it."""
    units = [unit.short_name for unit in TechnicalUnit.objects.all()]
    data = [*units, *(line for unit in units for line in _lines(unit, Frame(PHONE).label_chars))]
    pages = Pages(client)
    cycle = demo_2024()["siklus"]
    pages.check("recap 2024", f"{RECAP}?siklus={cycle}", data=data)
    pages.check("recap 2024, Senen", f"{RECAP}?siklus={cycle}&kecamatan=31.71.04", data=data)
    pages.assert_clean()
