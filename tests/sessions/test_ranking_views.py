"""The ranking page of sessions/ranking_views.py: a closed sidang's ranking no longer changes."""

from django.urls import reverse


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
