"""A select's options printed in Python: the template engine spent more on a filter form's few
dozen <option> tags than on the whole page's queries."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def select_options(field) -> str:
    """The <option> tags of a bound ChoiceField, the current value selected."""
    value = field.value()
    current = "" if value is None else str(value)
    return mark_safe(
        "".join(
            f'<option value="{escape(key)}"{" selected" if str(key) == current else ""}>'
            f"{escape(label)}</option>"
            for key, label in field.field.choices
        )
    )
