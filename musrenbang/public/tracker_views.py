"""The public tracker: anyone finds a proposal by area or code and follows its journey."""

import json

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from musrenbang.public.tracker import (
    AreaSearch,
    area_search,
    proposal_by_code,
    public_photo,
    public_proposals,
    rw_proposals,
    track,
)
from proposals.map_views import link_template, point_rows, points_payload
from proposals.views import attachment_response

PER_PAGE = 50
# The most points the map of one kelurahan draws: a few cycles of all its RW.
MAP_POINTS_LIMIT = 2_000


@require_safe
def tracker(request):
    """Search by code (an exact match goes straight to its page) or by kecamatan → RW."""
    typed_code = request.GET.get("kode", "").strip()
    if typed_code:
        proposal = proposal_by_code(typed_code)
        if proposal is not None:
            return redirect("tracker_proposal", code=proposal.code)
    search = area_search(request.GET)
    return render(
        request,
        "tracker/search.html",
        {
            "typed_code": typed_code,
            "unknown_code": bool(typed_code),
            "search": search,
            "proposals": (
                Paginator(rw_proposals(search.rw), PER_PAGE).get_page(request.GET.get("page"))
                if search.rw
                else None
            ),
            "map_points": _map_points(search),
        },
    )


def _map_points(search: AreaSearch) -> str | None:
    """The map of the chosen RW, or else kelurahan, as JSON for the page's map element: the
    public proposals (never a draft) with a point, each with what the result list shows; None
    when none has a point."""
    if search.rw:
        proposals = public_proposals().filter(rw=search.rw)
    elif search.kelurahan:
        proposals = public_proposals().filter(kelurahan=search.kelurahan)
    else:
        return None
    rows = point_rows(proposals, "code", "code", "status", "title")
    payload = points_payload(rows, limit=MAP_POINTS_LIMIT, link=link_template("tracker_proposal"))
    return json.dumps(payload, ensure_ascii=False) if payload["points"] else None


@require_safe
def tracker_proposal(request, code):
    proposal = proposal_by_code(code)
    if proposal is None:
        raise Http404
    if proposal.code != code:  # typed in lower case or with spaces: one address per proposal
        return redirect("tracker_proposal", code=proposal.code)
    return render(request, "tracker/proposal.html", {"track": track(proposal)})


@require_safe
def tracker_photo(request, code, token):
    """A photo of a realisation report, for anyone; no other file of a proposal is public."""
    photo = public_photo(code, token)
    if photo is None:
        raise Http404
    return attachment_response(photo, photo.proposal.code)
