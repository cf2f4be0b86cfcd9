"""The proposals table, on screen and in CSV/XLSX exports (the same columns)."""

from dataclasses import dataclass
from functools import cached_property

import django_tables2 as tables
from django.core.paginator import EmptyPage
from django.db.models import CharField, QuerySet, Value
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from areas.formatting import rupiah, spreadsheet_text, thousands
from areas.models import Area, Role, TechnicalUnit, User, unit_short_name
from areas.scope import reach
from proposals.models import CatalogueItem, Category, Proposal, Recommendation, Source, Status

NOWRAP = {"td": {"class": "nowrap"}}


class _IdsFirst:
    """The table's rows, sliced by finding the slice's ids first (see DeepPagePaginator)."""

    def __init__(self, rows: tables.rows.BoundRows, queryset: QuerySet):
        self.rows, self.queryset = rows, queryset

    def __getitem__(self, key: slice) -> tables.rows.BoundRows:
        if not key.start:
            return self.rows[key]
        ids = list(self.queryset.values_list("pk", flat=True)[key])
        by_id = self.queryset.order_by().in_bulk(ids)
        return tables.rows.BoundRows([by_id[pk] for pk in ids], table=self.rows.table)


MAX_PER_PAGE = 100
# The first row of a page past this is past every table's last (and an offset beyond 2**63 is
# one no database takes: a server error, not an empty page).
MAX_OFFSET = 2**62


# Lists count their rows up to this many (and say "more than" past it): counting a kota's
# million proposals would cost more than showing a page of them.
COUNT_CAP = 10_000


@dataclass(frozen=True)
class Total:
    """How many rows a list has, as its pager says it: `count` rows over `num_pages` pages, or,
    with `more`, more than that. Django's own Paginator answers to the same names."""

    count: int
    num_pages: int
    more: bool = False


def _queryset_of(object_list) -> QuerySet | None:
    """The QuerySet under a table's rows (BoundRows → TableQuerysetData → QuerySet), if any."""
    if isinstance(object_list, QuerySet):
        return object_list
    found = getattr(getattr(object_list, "data", None), "data", None)
    return found if isinstance(found, QuerySet) else None


class BoundedLazyPaginator(tables.LazyPaginator):
    """django-tables2's LazyPaginator (no COUNT) for a page number and page size typed in the
    address bar: a page too far for any table is past the last one (EmptyPage, which
    RequestConfig answers with the first page), and a page holds 1 to MAX_PER_PAGE rows.

    Its `total` is the count the pager shows, read in one bounded query (see Total)."""

    def __init__(self, object_list, per_page, *args, **kwargs):
        super().__init__(object_list, min(max(int(per_page), 1), MAX_PER_PAGE), *args, **kwargs)
        self._shown = None

    def validate_number(self, number):
        number = super().validate_number(number)
        if (number - 1) * self.per_page > MAX_OFFSET:
            raise EmptyPage("That page number is too large")  # never shown: see above
        return number

    def page(self, number):
        self._shown = page = super().page(number)
        return page

    @cached_property
    def total(self) -> Total:
        """The rows counted up to the next multiple of COUNT_CAP past the page shown, in one
        query over the ids alone (SELECT COUNT(*) FROM (SELECT id … LIMIT n)). A list that
        fits one page is counted the same way, so that a page's number of queries does not
        change as its list grows past one page."""
        page = self._shown
        if page is None:
            return Total(0, 1)
        start = (page.number - 1) * self.per_page
        queryset = _queryset_of(self.object_list)
        limit = ((start + self.per_page) // COUNT_CAP + 1) * COUNT_CAP
        if queryset is None:
            count = len(self.object_list)
        else:
            count = queryset.order_by().values("pk")[: limit + 1].count()
        more = count > limit
        count = min(count, limit)
        return Total(count, max(1, -(-count // self.per_page)), more)


class DeepPagePaginator(BoundedLazyPaginator):
    """A BoundedLazyPaginator whose pages past the first read the ids of the rows before them
    from an index alone and only then fetch their own rows: page 200 of a kota's proposals then
    skips 10,000 index entries instead of 10,000 rows."""

    def page(self, number):
        rows = self.object_list
        queryset = getattr(getattr(rows, "data", None), "data", None)
        if not isinstance(queryset, QuerySet):
            return super().page(number)
        self.object_list = _IdsFirst(rows, queryset)
        try:
            return super().page(number)
        finally:
            self.object_list = rows


STATUS_BADGE = {
    Status.ACCEPTED: "text-bg-success",
    Status.RETURNED: "text-bg-warning",
    Status.SUBMITTED: "text-bg-primary",
}


def status_badge(proposal) -> str:
    return format_html(
        '<span class="badge {}">{}</span>',
        STATUS_BADGE.get(proposal.status, "text-bg-secondary"),
        proposal.get_status_display(),
    )


def reference_names(proposals) -> dict[tuple[str, int], str]:
    """The names the rows show of their areas ("a"), catalogue items ("i") and units ("u"), in
    one query however many rows."""
    areas = {pk for p in proposals for pk in (p.kecamatan_id, p.kelurahan_id, p.rw_id)}
    items = {p.catalogue_item_id for p in proposals if p.catalogue_item_id}
    units = {p.target_unit_id for p in proposals}
    if not areas:
        return {}
    kind = CharField()
    names = (
        Area.objects.filter(pk__in=areas)
        .annotate(kind=Value("a", output_field=kind))
        .values_list("kind", "pk", "name")
        .order_by()
        .union(
            CatalogueItem.objects.filter(pk__in=items)
            .annotate(kind=Value("i", output_field=kind))
            .values_list("kind", "pk", "name")
            .order_by(),
            TechnicalUnit.objects.filter(pk__in=units)
            .annotate(kind=Value("u", output_field=kind))
            .values_list("kind", "pk", "name")
            .order_by(),
            all=True,
        )
    )
    return {(kind, pk): unit_short_name(name) if kind == "u" else name for kind, pk, name in names}


def since(proposal) -> str:
    """ " · sejak 2024" after the code of a proposal carried over: the year it was first
    proposed, read from its own row."""
    if not (proposal.carried_from_id and proposal.first_year):
        return ""
    return " · " + escape(_("sejak %(year)s") % {"year": proposal.first_year})


def _cells(labels: dict, names: dict, selectable_statuses=None) -> dict:
    """Each visible column's cell as ready HTML, with the choice labels looked up once."""
    # The detail address with a placeholder, reversed once rather than per row.
    detail = reverse("proposals:detail", args=[0]).replace("/0/", "/%d/")
    select_label = _("Pilih %(code)s")
    return {
        "select": lambda p: (
            f'<input type="checkbox" class="form-check-input" name="usulan" value="{p.pk}" '
            f'form="bulk" aria-label="{escape(select_label % {"code": p.code})}">'
            if selectable_statuses is None or p.status in selectable_statuses
            else ""
        ),
        "code": lambda p: f'<a href="{detail % p.pk}">{escape(p.code)}</a>{since(p)}',
        "title": lambda p: escape(p.title),
        "category": lambda p: labels["category"][p.category],
        "kecamatan": lambda p: escape(names["a", p.kecamatan_id]),
        "kelurahan": lambda p: escape(names["a", p.kelurahan_id]),
        "rw": lambda p: escape(names["a", p.rw_id]),
        "catalogue_item": lambda p: (
            escape(names["i", p.catalogue_item_id]) if p.catalogue_item_id else "—"
        ),
        "volume": lambda p: thousands(p.volume),
        "measure": lambda p: escape(p.measure),
        "cost": lambda p: rupiah(p.cost),
        "target_unit": lambda p: escape(names["u", p.target_unit_id]),
        "status": lambda p: labels["status"][p.status],
        "source": lambda p: labels["source"][p.source],
        "recommendation": lambda p: labels["recommendation"].get(p.recommendation, "—"),
    }


CELL_CLASS = {
    "code": "nowrap cell-code",
    "title": "cell-title",
    "rw": "nowrap",
    "volume": "text-end",
    "cost": "text-end nowrap",
    "status": "cell-status",
}
# Cells a card at phone width shows without their column's name (static/css/app.css): the code
# and title head the card, the checkbox is its own label.
UNLABELLED = {"select", "code", "title"}


def _td(css: str, label: str) -> str:
    """A cell's opening tag: its class, and the column name that labels it on a card."""
    attrs = (f' class="{css}"' if css else "") + (f' data-label="{label}"' if label else "")
    return f"<td{attrs}>"


def _column(label, accessor=None, sort=None, **kwargs) -> tables.Column:
    """A column sorted by `sort` (its accessor by default), ties broken by the code, so that
    pages follow each other without gap or repeat."""
    return tables.Column(
        verbose_name=label,
        accessor=accessor,
        order_by=(sort or accessor, "code") if (sort or accessor) else None,
        **kwargs,
    )


class ProposalTable(tables.Table):
    # Shown only to those who decide many proposals at once (the view excludes it otherwise).
    select = tables.CheckBoxColumn(
        accessor="pk",
        exclude_from_export=True,
        attrs={
            "th__input": {
                "aria-label": _("Pilih semua usulan di halaman ini"),
                "data-select-all": "usulan",
                "class": "form-check-input",
            }
        },
    )
    code = tables.Column(verbose_name=_("Kode"), linkify=True)
    title = _column(_("Judul"), "title")
    category = _column(_("Kategori"), "category")
    kecamatan = _column(_("Kecamatan"), "kecamatan__name", sort="kecamatan__code")
    kelurahan = _column(_("Kelurahan"), "kelurahan__name", sort="kelurahan__code")
    rw = _column(_("RW"), "rw__name", sort="rw__code", attrs=NOWRAP)
    catalogue_item = _column(_("Item kamus"), "catalogue_item__name", default="—")
    volume = _column(_("Volume"), "volume", attrs={"td": {"class": "text-end"}})
    measure = _column(_("Satuan"), "measure")
    cost = _column(_("Biaya (Rp)"), "cost", attrs={"td": {"class": "text-end nowrap"}})
    target_unit = _column(_("UKPD"), "target_unit__name")
    status = _column(_("Status"), "status")
    source = _column(_("Sumber"), "source")
    recommendation = _column(_("Rekomendasi survei"), "recommendation", default="—")

    class Meta:
        model = Proposal
        fields = []  # the columns above, in that order
        sequence = [
            "select",
            "code",
            "title",
            "category",
            "kecamatan",
            "kelurahan",
            "rw",
            "catalogue_item",
            "volume",
            "measure",
            "cost",
            "target_unit",
            "status",
            "source",
            "recommendation",
        ]
        attrs = {"class": "table table-sm table-hover align-middle table-proposals"}
        order_by = "-code"
        empty_text = _("Tidak ada usulan yang cocok.")

    def __init__(self, *args, selectable=False, exclude=(), **kwargs):
        """`selectable`: with the checkbox column, for acting on many proposals at once: True
        on every row (the planning office's decisions), or a set of statuses whose rows alone
        carry one (the lurah's validation: the submitted ones)."""
        exclude = (*exclude, *(() if selectable else ("select",)))
        self.selectable_statuses = None if selectable is True else selectable or None
        super().__init__(*args, exclude=exclude, **kwargs)

    def render_target_unit(self, record):
        return record.target_unit.short_name

    def render_status(self, record):
        return status_badge(record)

    def html_rows(self) -> list[str]:
        """The current page's rows as ready HTML for the screen.

        django-tables2 renders every cell through the template engine; at 50 rows × 13
        columns that cost ten times the page's queries, so the screen table is printed from
        here (sorting, paging and the exports stay django-tables2's).
        """
        labels = {
            "category": {value: escape(str(label)) for value, label in Category.choices},
            "source": {
                Source.RW: escape(str(Source.RW.label)),
                Source.POKIR: format_html(
                    '<span class="badge text-bg-info">{}</span>', str(Source.POKIR.label)
                ),
            },
            "recommendation": {
                value: escape(str(label)) for value, label in Recommendation.choices
            },
            "status": {
                value: format_html(
                    '<span class="badge {}">{}</span>',
                    STATUS_BADGE.get(value, "text-bg-secondary"),
                    str(label),
                )
                for value, label in Status.choices
            },
        }
        rows = list(self.page.object_list)
        cells = _cells(
            labels, reference_names([row.record for row in rows]), self.selectable_statuses
        )
        columns = [
            (
                _td(
                    CELL_CLASS.get(c.name, ""),
                    "" if c.name in UNLABELLED else escape(str(c.verbose_name)),
                ),
                cells[c.name],
            )
            for c in self.columns
        ]
        return [
            mark_safe(
                "<tr>" + "".join(f"{td}{cell(row.record)}</td>" for td, cell in columns) + "</tr>"
            )
            for row in rows
        ]

    def render_volume(self, value):
        return thousands(value)

    def render_cost(self, value):
        return rupiah(value)

    def as_values(self, exclude_columns=None):
        """The export's rows, no cell of which a spreadsheet would run as a formula."""
        for row in super().as_values(exclude_columns):
            yield [spreadsheet_text(value) for value in row]

    # Exports carry plain values that spreadsheets can sum.
    def value_volume(self, value):
        return value

    def value_cost(self, value):
        return value

    def value_catalogue_item(self, record):
        return record.catalogue_item.name if record.catalogue_item_id else ""

    def value_target_unit(self, record):
        return record.target_unit.name

    def value_status(self, record):
        return record.get_status_display()

    def value_source(self, record):
        return record.get_source_display()

    def value_recommendation(self, record):
        return record.get_recommendation_display()


# The columns each user chooses among, remembered per table under this name (User.table_columns);
# the checkbox column is the planning office's tool, not a choice.
TABLE = "usulan"
CHOOSABLE = tuple(name for name in ProposalTable.Meta.sequence if name != "select")
# Which proposal a row is and where it stands: every card at phone width needs them.
ALWAYS = ("code", "title", "status")

# What each role works with, shown until the user chooses otherwise. A ketua RW knows their own
# proposals by title and waits on the status; the lurah sorts the kelurahan's by RW and weighs
# category, cost and the UKPD that will carry them, the camat the same across kelurahan; a UKPD
# surveyor goes out to a place (kelurahan, RW) to measure (volume, measure) and recommends; the
# kota (planning office, observers, superuser) compares kecamatan, costs and units. Areas a role
# holds only one of (the lurah's kelurahan, the camat's kecamatan) are left out.
ROLE_COLUMNS = {
    Role.RW: ("code", "title", "status"),
    Role.LURAH: ("code", "title", "category", "rw", "cost", "target_unit", "status"),
    Role.CAMAT: ("code", "title", "category", "kelurahan", "rw", "cost", "target_unit", "status"),
    Role.UKPD: (
        "code",
        "title",
        "kelurahan",
        "rw",
        "volume",
        "measure",
        "status",
        "recommendation",
    ),
}
KOTA_COLUMNS = (
    "code",
    "title",
    "category",
    "kecamatan",
    "kelurahan",
    "cost",
    "target_unit",
    "status",
    "source",
)
# A user holding several roles gets the first of these they hold (the widest view first).
ROLE_ORDER = (Role.CAMAT, Role.LURAH, Role.UKPD, Role.RW)


def default_columns(user) -> tuple[str, ...]:
    """The columns of the role the user works in (areas.scope.reach)."""
    user_reach = reach(user)
    if user_reach.everything or {Role.PLANNING, Role.OBSERVER} & user_reach.roles:
        return KOTA_COLUMNS
    role = next((role for role in ROLE_ORDER if role in user_reach.roles), None)
    return ROLE_COLUMNS.get(role, KOTA_COLUMNS)


def valid_columns(names) -> list[str]:
    """The known names among `names`, with those always shown, in the table's order."""
    wanted = {*names, *ALWAYS}
    return [name for name in CHOOSABLE if name in wanted]


def shown_columns(user) -> list[str]:
    """The columns the user chose for the table, or their role's."""
    chosen = (user.table_columns or {}).get(TABLE)
    return valid_columns(chosen if isinstance(chosen, list) else default_columns(user))


def remember_columns(user, names) -> None:
    """Keep the user's choice of columns (None: forget it, back to the role's). Written with an
    UPDATE rather than save(): a display preference is no change to the account for the audit
    log to record."""
    choices = {**(user.table_columns or {})}
    if names is None:
        choices.pop(TABLE, None)
    else:
        choices[TABLE] = valid_columns(names)
    user.table_columns = choices
    User.objects.filter(pk=user.pk).update(table_columns=choices)


def column_choices(shown, exclude=()) -> list[dict]:
    """The column chooser's boxes: every column the page can show, ticked if shown."""
    return [
        {
            "name": name,
            "label": ProposalTable.base_columns[name].verbose_name,
            "shown": name in shown,
            "always": name in ALWAYS,
        }
        for name in CHOOSABLE
        if name not in exclude
    ]
