"""The admin serves the planning office of one kota, scoped like every other page."""

from auditlog.context import set_actor
from django.contrib import admin
from django.core.files.base import ContentFile
from django.urls import reverse

from areas.admin import RefusalIsAMessage
from areas.models import Role, TechnicalUnit, User
from tests.conftest import official
from tests.proposals.files import PNG


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def test_planning_office_lists_its_own_kota_areas(client, suban, kenari, kota_jaksel):
    client.force_login(suban)
    response = client.get(reverse("admin:areas_area_changelist"), {"q": "31.7"})
    assert response.status_code == 200
    codes = {area.code for area in response.context["cl"].result_list}
    assert "31.71.04.1002" in codes
    assert not any(code.startswith("31.74") for code in codes)


def test_planning_office_edits_an_area_of_its_kota(client, suban, kenari):
    client.force_login(suban)
    assert client.get(change_url(kenari)).status_code == 200


def test_planning_office_of_another_kota_gets_404(client, suban_jaksel, kenari):
    client.force_login(suban_jaksel)
    assert client.get(change_url(kenari)).status_code == 404


def test_planning_office_sees_its_officials_only(client, suban, lurah_kenari, suban_jaksel):
    client.force_login(suban)
    assert client.get(change_url(lurah_kenari)).status_code == 200
    assert client.get(change_url(suban_jaksel)).status_code == 404


def test_unit_of_another_kota_is_404(client, suban, binamarga, binamarga_jaksel):
    client.force_login(suban)
    assert client.get(change_url(binamarga)).status_code == 200
    assert client.get(change_url(binamarga_jaksel)).status_code == 404


def test_planning_office_cannot_grant_superuser(client, suban, lurah_kenari):
    client.force_login(suban)
    form = client.get(change_url(lurah_kenari)).context["adminform"].form
    assert "is_superuser" not in form.fields


def test_users_are_searchable_and_filterable_by_role(client, superuser, lurah_kenari, camat_senen):
    client.force_login(superuser)
    response = client.get(reverse("admin:areas_user_changelist"), {"role": "lurah"})
    assert [u.username for u in response.context["cl"].result_list] == ["lurah.kenari"]
    response = client.get(reverse("admin:areas_user_changelist"), {"q": "Kenari"})
    assert [u.username for u in response.context["cl"].result_list] == ["lurah.kenari"]


def test_a_lurah_has_no_admin(client, lurah_kenari):
    client.force_login(lurah_kenari)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302


def test_assignments_are_edited_inline(client, superuser, kenari):
    user = official("staf.kenari")
    client.force_login(superuser)
    data = {
        "username": "staf.kenari",
        "is_active": "on",
        "date_joined_0": "2024-02-26",
        "date_joined_1": "08:00:00",
        "assignments-TOTAL_FORMS": "1",
        "assignments-INITIAL_FORMS": "0",
        "assignments-0-role": "lurah",
        "assignments-0-area": str(kenari.pk),
        "assignments-0-unit": "",
    }
    response = client.post(change_url(user), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert user.assignments.get().area == kenari


def test_the_planning_office_records_an_officials_name_nip_and_position(client, suban, kenari):
    user = official("lurah.baru", Role.LURAH, area=kenari)
    assignment = user.assignments.get()
    client.force_login(suban)
    data = {
        "username": "lurah.baru",
        "full_name": "Drs. H. Ahmad Fauzi, M.Si.",
        "nip": "19680512199003100X",
        "position": "Lurah Kenari",
        "is_active": "on",
        "date_joined_0": "2024-02-26",
        "date_joined_1": "08:00:00",
        "assignments-TOTAL_FORMS": "1",
        "assignments-INITIAL_FORMS": "1",
        "assignments-0-id": str(assignment.pk),
        "assignments-0-user": str(user.pk),
        "assignments-0-role": "lurah",
        "assignments-0-area": str(kenari.pk),
        "assignments-0-unit": "",
    }
    response = client.post(change_url(user), data)
    assert response.status_code == 200  # refused: a NIP is 18 digits
    assert "NIP terdiri atas 18 angka." in response.content.decode()
    response = client.post(change_url(user), {**data, "nip": "196805121990031004"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert (user.full_name, user.nip, user.position) == (
        "Drs. H. Ahmad Fauzi, M.Si.",
        "196805121990031004",
        "Lurah Kenari",
    )
    assert user.get_full_name() == "Drs. H. Ahmad Fauzi, M.Si."  # as the pages greet them


def test_the_kop_and_the_legal_basis_are_edited_in_the_admin(client, superuser, senen, cycle):
    client.force_login(superuser)
    assert 'name="office_address"' in client.get(change_url(senen)).content.decode()
    assert 'name="logo"' in client.get(change_url(senen)).content.decode()
    assert 'name="legal_basis"' in client.get(change_url(cycle)).content.decode()


def test_every_admin_of_the_project_turns_a_refusal_into_a_message():
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in ("areas", "proposals", "sidang"):
            assert isinstance(model_admin, RefusalIsAMessage), model


def test_deleting_an_official_the_trail_names_is_a_message_not_an_error(
    client, suban, kenari, kota_jp
):
    """The trail keeps who acted: deleting them would blank its entries, which the database
    refuses. The admin says so and the official stays."""
    staff = official("staf.kenari", Role.LURAH, area=kenari)
    with set_actor(staff):
        TechnicalUnit.objects.create(kota=kota_jp, code="dukcapil", name="Sudin Dukcapil")
    client.force_login(suban)
    url = reverse("admin:areas_user_delete", args=[staff.pk])
    response = client.post(url, {"post": "yes"}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "Perubahan ditolak oleh basis data: catatan audit tidak dapat diubah atau dihapus"
    ]
    assert User.objects.filter(pk=staff.pk).exists()


def test_the_logo_is_served_by_the_admin_not_by_an_address_of_the_storage(
    client, suban, kenari, django_assert_max_num_queries
):
    kenari.logo.save("kenari.png", ContentFile(PNG))
    client.force_login(suban)
    url = reverse("admin:areas_area_logo", args=[kenari.pk])
    page = client.get(change_url(kenari)).content.decode()
    assert f'href="{url}"' in page and "/media/" not in page
    with django_assert_max_num_queries(7):
        response = client.get(url)
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PNG


def test_the_logo_of_another_kota_is_404_and_a_lurah_has_none(
    client, suban, suban_jaksel, lurah_kenari, kenari, senen
):
    kenari.logo.save("kenari.png", ContentFile(PNG))
    url = reverse("admin:areas_area_logo", args=[kenari.pk])
    client.force_login(suban_jaksel)
    assert client.get(url).status_code == 404
    client.force_login(lurah_kenari)  # no staff status: the admin's sign-in
    assert client.get(url).status_code == 302
    client.force_login(suban)  # Senen has no logo
    assert client.get(reverse("admin:areas_area_logo", args=[senen.pk])).status_code == 404
