"""The ranking table's score cells printed in Python: a select of five scores per candidate and
criterion, rendered through the template engine, was most of the ranking page's time."""

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()

SCORES = "12345"


@register.simple_tag
def score_cells(row, may_edit) -> str:
    """A <td> per criterion of the row (ranking_views.Row.cells): its label and its select of
    scores, the row's own score selected, as sessions/ranking.html wrote them."""
    candidate, code = row.candidate.pk, conditional_escape(row.proposal.code)
    label = gettext("Nilai %(criterion)s untuk %(code)s")
    disabled = "" if may_edit else " disabled"
    cells = []
    for criterion, value in row.cells:
        field = f"score-{candidate}-{criterion.pk}"
        named = label % {"criterion": conditional_escape(criterion.name), "code": code}
        weight = conditional_escape(localize(criterion.weight))
        options = "".join(
            f'<option value="{v}"{" selected" if v == value else ""}>{v}</option>' for v in SCORES
        )
        cells.append(
            "\n          <td>\n"
            f'            <label class="visually-hidden" for="{field}">{named}</label>\n'
            f'            <select class="form-select form-select-sm score-select" id="{field}" '
            f'name="{field}" data-weight="{weight}"{disabled}>\n'
            '              <option value="">—</option>\n'
            f"              {options}\n"
            "            </select>\n"
            "          </td>\n"
            "          "
        )
    return mark_safe("".join(cells))
