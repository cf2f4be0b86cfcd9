"""What a process keeps between requests (areas.memo) follows every change at once, in every
process: the database replaces the generation token in the change's own transaction, and each
request reads it with its user. Two worker processes are played by two sets of kept entries
over the same database; the changes are written as another process would (plain SQL or the
ORM, no signal reaching the process that serves the next request)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from areas import memo
from areas.models import Area, Assignment, Generation, Role, TechnicalUnit, User
from proposals.models import CatalogueItem
from tests.proposal_fixtures import make_proposal

LIST = reverse("proposals:list")


class Process:
    """The entries one worker process keeps, swapped in around the requests it serves."""

    def __init__(self):
        self.kept = (None, {})

    def __enter__(self):
        self.outside, memo._kept = memo._kept, self.kept
        return self

    def __exit__(self, *exc):
        self.kept, memo._kept = memo._kept, self.outside


@pytest.fixture
def workers():
    return Process(), Process()


def page(client, path=LIST, **params) -> str:
    response = client.get(path, params)
    assert response.status_code == 200
    return response.content.decode()


def queries(client, path=LIST) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_a_request_after_the_first_reads_nothing_kept(client, lurah_kenari, proposal_kenari):
    client.force_login(lurah_kenari)
    with Process():
        first = queries(client)
        again = queries(client)
    assert any("areas_assignment" in sql for sql in first)
    assert not any("areas_assignment" in sql for sql in again)  # the reach
    assert not any("areas_area" in sql or "areas_technicalunit" in sql for sql in again)
    assert len(again) < len(first)


def test_a_renamed_area_shows_on_the_next_request_of_every_process(
    client, lurah_kenari, proposal_kenari, rw_kenari, workers
):
    client.force_login(lurah_kenari)
    for worker in workers:
        with worker:
            assert ">RW 001<" in page(client)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE areas_area SET name = %s WHERE id = %s", ["RW Satu", rw_kenari[0].pk]
        )
    for worker in workers:
        with worker:
            shown = page(client)
        # In the row and among the RW choices of the filter.
        assert shown.count(">RW Satu<") == 2 and ">RW 001<" not in shown


def test_a_new_assignment_widens_the_reach_at_once_and_its_removal_narrows_it(
    client, lurah_kenari, proposal_kenari, proposal_paseban, paseban, workers
):
    client.force_login(lurah_kenari)
    for worker in workers:
        with worker:
            assert proposal_paseban.code not in page(client)
    second = Assignment.objects.create(user=lurah_kenari, role=Role.LURAH, area=paseban)
    for worker in workers:
        with worker:
            shown = page(client)
            assert proposal_paseban.code in shown
            assert "Paseban</option>" in shown  # the kelurahan filter offers both now
    second.delete()
    for worker in workers:
        with worker:
            assert proposal_paseban.code not in page(client)
            assert client.get(proposal_paseban.get_absolute_url()).status_code == 404


def test_a_new_unit_is_offered_at_once(client, suban, proposal_kenari, kota_jp, workers):
    client.force_login(suban)
    for worker in workers:
        with worker:
            assert "Suku Dinas Uji Coba" not in page(client)
    TechnicalUnit.objects.create(code="uji", name="Suku Dinas Uji Coba", kota=kota_jp)
    for worker in workers:
        with worker:
            assert "Suku Dinas Uji Coba</option>" in page(client)


def test_a_role_given_on_the_user_shows_at_once(
    client, lurah_kenari, proposal_kenari, proposal_jaksel, workers
):
    client.force_login(lurah_kenari)
    for worker in workers:
        with worker:
            assert proposal_jaksel.code not in page(client)
    User.objects.filter(pk=lurah_kenari.pk).update(is_superuser=True)
    for worker in workers:
        with worker:
            assert proposal_jaksel.code in page(client)


def test_a_renamed_catalogue_item_shows_at_once(
    client, suban, proposal_kenari, betonisasi, workers
):
    suban.table_columns = {"usulan": ["catalogue_item"]}
    suban.save(update_fields=["table_columns"])
    client.force_login(suban)
    for worker in workers:
        with worker:
            assert betonisasi.name in page(client)
    CatalogueItem.objects.filter(pk=betonisasi.pk).update(name="Jalan beton baru")
    for worker in workers:
        with worker:
            assert "Jalan beton baru" in page(client)


def token() -> int | None:
    return Generation.objects.values_list("token", flat=True).first()


def test_the_token_moves_with_every_kept_table_and_with_nothing_else(
    kenari, binamarga, betonisasi, lurah_kenari, cycle, rw_kenari, rw_kenari_001
):
    writes = [
        lambda: Area.objects.filter(pk=kenari.pk).update(name="Kenari Baru"),
        lambda: TechnicalUnit.objects.filter(pk=binamarga.pk).update(name="Sudin Baru"),
        lambda: Assignment.objects.filter(user=lurah_kenari).delete(),
        lambda: CatalogueItem.objects.filter(pk=betonisasi.pk).update(name="Baru"),
    ]
    for write in writes:
        before = token()
        write()
        assert token() not in (before, None)
    before = token()
    make_proposal(cycle, rw_kenari[0], betonisasi, rw_kenari_001)
    User.objects.filter(pk=lurah_kenari.pk).update(first_name="Lurah")
    assert token() == before


def test_without_a_token_nothing_is_kept(client, lurah_kenari, proposal_kenari):
    Generation.objects.all().delete()
    client.force_login(lurah_kenari)
    with Process():
        first = queries(client)
        again = queries(client)
    assert len(again) == len(first)
