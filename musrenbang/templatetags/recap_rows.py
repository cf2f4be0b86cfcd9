"""The recap's table rows printed in Python: an included template per row was, with the
recap's dozen tables of kecamatan, kelurahan and units, most of the page's time."""

from django import template
from django.template.base import render_value_in_context
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def recap_row(context, cells, total_row=False) -> str:
    """One row of recap_tables.PageCell as recap/_table_row.html wrote it (its last newline
    too), each value rendered as {{ }} renders it."""

    def value(v) -> str:
        return render_value_in_context(v, context)

    html = ['<tr class="fw-semibold">' if total_row else "<tr>"]
    for cell in cells:
        if cell.header:
            html.append(f'<th scope="row">{value(cell.content)}</th>')
            continue
        css = f' class="{value(cell.css)}"' if cell.css else ""
        label = f' data-label="{value(cell.label)}"' if cell.label else ""
        html.append(f"<td{css}{label}>{value(cell.content)}</td>")
    html.append("</tr>\n")
    return mark_safe("".join(html))
