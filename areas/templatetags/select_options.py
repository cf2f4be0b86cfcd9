"""A filter form's controls printed in Python: the template engine spent more on a filter form's
few dozen <option> tags, and on Django's three templates per <input>, than on the whole page's
queries."""

from django import forms, template
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


@register.filter
def input_tag(field) -> str:
    """A bound field's <input>, as Django's own widget templates print it (input.html with
    attrs.html), with the same attributes (BoundField.as_widget); any other widget through
    its template."""
    widget = field.field.widget
    if type(widget) not in (forms.TextInput, forms.HiddenInput) or field.field.show_hidden_initial:
        return str(field)
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    html = f'<input type="{escape(context["type"])}" name="{escape(context["name"])}"'
    if context["value"] is not None:
        html += f' value="{escape(str(context["value"]))}"'
    for name, value in context["attrs"].items():
        if value is not False:
            html += f" {escape(name)}" + ("" if value is True else f'="{escape(str(value))}"')
    return mark_safe(html + ">")
