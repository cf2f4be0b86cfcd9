"""A draft is the RW's own until it is submitted: nobody above lists, opens or exports it
(the superuser, who administers, does); the counts that report drafts keep them."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.urls import reverse

from areas.models import Assignment, Role
from proposals.models import Attachment, Proposal, Status
from proposals.services import proposal_return, proposal_submit
from tests.conftest import official
from tests.proposals.files import PNG

ABOVE_THE_RW = ["lurah_kenari", "camat_senen", "dewan", "suban", "ukpd_binamarga"]
LIST = reverse("proposals:list")


def attach_photo(proposal, by) -> Attachment:
    photo = Attachment(
        proposal=proposal,
        token="d" * 32,
        kind="photo",
        content_type="image/png",
        original_name="foto.png",
        size=len(PNG),
        uploaded_by=by,
    )
    photo.file.save("draf.png", ContentFile(PNG), save=False)
    photo.save()
    return photo


def listed_codes(client) -> str:
    return client.get(LIST).content.decode()


def exported_codes(client, export: str) -> set[str]:
    response = client.get(LIST, {"_export": export})
    assert response.status_code == 200
    if export == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    else:
        rows = openpyxl.load_workbook(io.BytesIO(response.content)).active.values
    return {str(row[0]) for row in list(rows)[1:]}


@pytest.mark.parametrize("who", ABOVE_THE_RW)
def test_officials_above_the_rw_do_not_see_a_draft(
    request, client, draft_kenari, proposal_kenari, who
):
    client.force_login(request.getfixturevalue(who))
    assert client.get(draft_kenari.get_absolute_url()).status_code == 404
    page = listed_codes(client)
    assert proposal_kenari.code in page  # the submitted one of the same RW
    assert draft_kenari.code not in page
    for export in ("csv", "xlsx"):
        codes = exported_codes(client, export)
        assert proposal_kenari.code in codes
        assert draft_kenari.code not in codes


@pytest.mark.parametrize("who", ABOVE_THE_RW)
def test_a_drafts_photo_is_not_served_above_the_rw(request, client, draft_kenari, superuser, who):
    photo = attach_photo(draft_kenari, superuser)
    client.force_login(request.getfixturevalue(who))
    assert client.get(photo.get_absolute_url()).status_code == 404


def test_the_rw_lists_opens_and_exports_its_own_draft(client, rw_kenari_001, draft_kenari):
    client.force_login(rw_kenari_001)
    assert client.get(draft_kenari.get_absolute_url()).status_code == 200
    assert draft_kenari.code in listed_codes(client)
    assert draft_kenari.code in exported_codes(client, "csv")
    assert draft_kenari.code in exported_codes(client, "xlsx")


def test_another_rw_of_the_kelurahan_does_not_see_it(client, rw_kenari, draft_kenari):
    neighbour = official("rw.kenari.002", Role.RW, area=rw_kenari[1])
    client.force_login(neighbour)
    assert client.get(draft_kenari.get_absolute_url()).status_code == 404


def test_a_lurah_who_is_also_a_ketua_rw_sees_that_rws_drafts_only(
    client, lurah_kenari, rw_kenari, cycle, betonisasi, draft_kenari, superuser
):
    from tests.proposal_fixtures import make_proposal

    Assignment.objects.create(user=lurah_kenari, role=Role.RW, area=rw_kenari[1])
    other = make_proposal(cycle, rw_kenari[1], betonisasi, superuser, status=Status.DRAFT)
    client.force_login(lurah_kenari)
    assert client.get(other.get_absolute_url()).status_code == 200
    assert client.get(draft_kenari.get_absolute_url()).status_code == 404


def test_the_superuser_administers_and_sees_drafts(client, superuser, draft_kenari):
    client.force_login(superuser)
    assert client.get(draft_kenari.get_absolute_url()).status_code == 200


def test_the_planning_offices_admin_does_not_list_drafts(client, suban, draft_kenari):
    suban.user_permissions.add(Permission.objects.get(codename="view_proposal"))
    client.force_login(suban)
    changelist = client.get(reverse("admin:proposals_proposal_changelist"))
    assert changelist.status_code == 200
    assert draft_kenari.code not in changelist.content.decode()
    change = reverse("admin:proposals_proposal_change", args=[draft_kenari.pk])
    assert client.get(change).status_code == 404


def test_once_submitted_the_lurah_sees_it_and_still_after_returning_it(
    client, lurah_kenari, rw_kenari_001, draft_kenari
):
    proposal_submit(proposal=draft_kenari, by=rw_kenari_001)
    client.force_login(lurah_kenari)
    assert client.get(draft_kenari.get_absolute_url()).status_code == 200
    proposal_return(proposal=draft_kenari, by=lurah_kenari, note="Lengkapi foto.")
    assert Proposal.objects.get(pk=draft_kenari.pk).status == Status.RETURNED
    assert client.get(draft_kenari.get_absolute_url()).status_code == 200


def test_the_counts_that_report_drafts_keep_them_and_the_others_leave_them_out(
    client, rw_kenari_001, suban, draft_kenari, proposal_kenari
):
    from tests.musrenbang.test_home import counts, panel

    client.force_login(rw_kenari_001)
    assert counts(panel(client.get("/"), "Usulan RW saya"))["Draf belum diajukan"] == 1
    client.force_login(suban)
    assert counts(panel(client.get("/"), "Kemajuan kota"))["Usulan masuk"] == 1
    client.logout()
    recap = client.get(reverse("recap")).context["recap"]
    assert recap.total == 1  # the recap counts what left the RW, as it says
