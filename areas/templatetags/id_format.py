"""Template filters for Indonesian number forms: {{ cost|rupiah }}, {{ n|ribuan }}."""

from django import template

from areas import formatting

register = template.Library()


@register.filter
def rupiah(value):
    return formatting.rupiah(value)


@register.filter
def ribuan(value):
    return formatting.thousands(value)
