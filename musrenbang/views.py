"""Pages that combine the apps: the home page by role."""

from django.db.models import Count
from django.shortcuts import render
from django.views.decorators.http import require_safe

from areas.models import Area, Assignment, Level
from areas.scope import subtree_q
from musrenbang.home import panels_for


@require_safe
def home(request):
    if not request.user.is_authenticated:
        return render(request, "home_public.html")
    assignments = list(
        Assignment.objects.filter(user=request.user)
        .select_related("area__parent__parent", "unit__kota", "dapil")
        .prefetch_related("dapil__kecamatan")
    )
    return render(
        request,
        "home.html",
        {
            "assignments": [_describe(a) for a in assignments],
            "panels": panels_for(request.user),
        },
    )


def _describe(assignment: Assignment) -> dict:
    """An assignment as the home page shows it: where, the areas above, what lies within."""
    area = assignment.area or assignment.unit.kota
    if assignment.dapil_id:  # a DPRD member's: the dapil's kecamatan, in the kota
        return {
            "assignment": assignment,
            "area": area,
            "kecamatan": sorted(assignment.dapil.kecamatan.all(), key=lambda a: a.code),
            "ancestors": [],
            "counts": [],
        }
    ancestors = [a for a in area.ancestors() if a.level != Level.PROVINSI]
    counts = dict(
        Area.objects.filter(subtree_q("", area.code))
        .exclude(pk=area.pk)
        .values_list("level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        "assignment": assignment,
        "area": area,
        "ancestors": list(reversed(ancestors)),
        "counts": [
            (Level(level).label, counts[level]) for level in Level.values if level in counts
        ],
    }
