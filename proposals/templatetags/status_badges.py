"""A proposal's status badge as proposals/_status.html prints it, without including that
template once per row of a list (the tracker lists 50)."""

from django import template
from django.utils.safestring import mark_safe

from proposals.tables import status_badge as badge

register = template.Library()


@register.filter
def status_badge(proposal) -> str:
    # The included template's own last newline, kept so the page stays the same.
    return mark_safe(badge(proposal) + "\n")
