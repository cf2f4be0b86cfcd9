"""The issue's acceptance, on the Jakarta Pusat demo: what suban and the lurah see and export."""

import csv
import io

from django.core.management import call_command
from django.urls import reverse

from musrenbang.areas.models import User
from proposals.models import Proposal


def export(client, username, **params):
    client.force_login(User.objects.get(username=username))
    response = client.get(reverse("proposals:list"), {"_export": "csv", **params})
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_the_demo_as_the_planning_office_and_the_lurah_see_it(client, db, settings):
    settings.DEBUG = True
    call_command("demo", verbosity=0)

    rows = export(client, "suban")
    assert len(rows) == 1451
    assert sum(r["Kecamatan"] == "Kemayoran" for r in rows) == 303
    assert sum(r["Kategori"] == "Fisik" for r in rows) == 1072

    kenari = export(client, "lurah.kenari")
    assert kenari
    assert {r["Kelurahan"] for r in kenari} == {"Kenari"}
    assert len(kenari) == Proposal.objects.filter(kelurahan__name="Kenari").count()

    client.force_login(User.objects.get(username="lurah.paseban"))
    one_of_kenari = Proposal.objects.filter(kelurahan__name="Kenari").first()
    assert client.get(one_of_kenari.get_absolute_url()).status_code == 404
