"""The proposals on a map: the page of the table's filtered set, and its points as JSON.

Points travel as arrays, not HTML or GeoJSON features: [lat, lon, key, code, status] (and the
title where a map shows it), with the link and the status labels once. The browser draws them
with static/js/map.js.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import FloatField, QuerySet
from django.db.models.functions import Cast
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from proposals.filters import ProposalFilter
from proposals.models import Proposal, Status

# The most points one map draws: a kota's whole cycle fits, a province's does not.
MAP_POINTS_LIMIT = 10_000
# A number no proposal id or code is, replaced by the browser with each point's own.
_KEY = "123456789"


def link_template(viewname: str) -> str:
    """The address of one point's page with "{key}" where its id (or code) goes."""
    return reverse(viewname, args=[_KEY]).replace(_KEY, "{key}")


def points_payload(rows, *, limit: int, link: str) -> dict:
    """What a map draws: `rows` from point_rows, sliced to limit + 1 so that a cut-off set says
    so."""
    rows = list(rows[: limit + 1])
    return {
        "points": rows[:limit],
        "capped": len(rows) > limit,
        "limit": limit,
        "link": link,
        "statuses": {value: str(label) for value, label in Status.choices},
    }


def point_rows(proposals: QuerySet[Proposal], *fields: str) -> QuerySet:
    """(lat, lon, *fields) of the proposals that have a point, newest first (the order of the
    table's indexes); the coordinates as floats from the database, not 20,000 Decimals.

    Only the latitude is tested: a point has both or neither (constraint proposal_point_whole),
    and given both, PostgreSQL takes them for independent, expects a quarter of the rows where
    half have a point, and sorts a whole kota rather than read its newest 10,000 from the
    (kota, code) index, ten times slower at a million proposals."""
    return (
        proposals.filter(latitude__isnull=False)
        .order_by("-code")
        .values_list(Cast("latitude", FloatField()), Cast("longitude", FloatField()), *fields)
    )


def _filtered(request) -> ProposalFilter:
    proposals = Proposal.objects.visible_to(request.user)
    return ProposalFilter(request.GET or None, queryset=proposals, user=request.user)


@require_safe
@login_required
def proposal_map(request):
    """The table's filters over a map; the points come from proposal_points."""
    return render(
        request,
        "proposals/map.html",
        {"filter": _filtered(request), "query": request.GET.urlencode()},
    )


@require_safe
@login_required
def proposal_points(request):
    """The points of the user's proposals under the table's filters, at most MAP_POINTS_LIMIT."""
    rows = point_rows(_filtered(request).qs, "pk", "code", "status")
    return JsonResponse(
        points_payload(rows, limit=MAP_POINTS_LIMIT, link=link_template("proposals:detail"))
    )
