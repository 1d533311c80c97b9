"""The resident dashboard's figures: each statistic as a bar chart, a one-sentence takeaway, the data
table behind the chart and the same numbers as CSV. Pure: statistics in, frozen figures out.

A figure's table and its CSV hold the same rows; the HTML table formats them for reading (money
with its currency sign, percentages), the CSV keeps plain numbers for spreadsheets (and csv_text
neutralises a name that would start a formula). Amounts in
different currencies are never added: a figure about value draws one chart per currency, and its
table and CSV have a column per currency.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from babel import Locale
from babel.numbers import format_decimal
from markupsafe import Markup

from generator import labels
from generator.publish import charts, csv_text, formats
from generator.site import statistics
from generator.site.statistics import DAY_BANDS, MOST_BIDDERS, Dashboard, Group, Profile, Share
from generator.values import Money


@dataclass(frozen=True)
class Cell:
    text: str  # formatted for reading
    raw: str  # for the CSV: plain numbers, codes
    path: str = ""  # the page it links to, if any
    numeric: bool = False


@dataclass(frozen=True)
class Figure:
    id: str  # unique on its page; also the CSV's file name
    title: str
    takeaway: str  # one sentence: what the chart shows
    charts: tuple[Markup, ...]  # inline SVG, one per currency for value figures (charts.py escapes every text)
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    csv_path: str  # output path of the CSV download
    note: str = ""  # the id of the footnote that defines the statistic
    missing: str = ""  # what the figure could not count, in words ("" when nothing)
    csv_rows: tuple[tuple[Cell, ...], ...] = ()  # when the table sums up the smallest rows, every row
    csv_columns: tuple[str, ...] = ()  # when the CSV splits what a table cell combines: its columns (with csv_rows)

    def csv_bytes(self) -> bytes:
        return csv_text.csv_bytes([self.csv_columns or self.columns,
                                   *([csv_text.Number(cell.raw) if cell.numeric else cell.raw
                                      for cell in row] for row in self.csv_rows or self.rows)])


class Words:
    """Numbers and messages in the site's language."""

    def __init__(self, locale: Locale, gettext: Callable[[str], str] = str):
        self.locale = locale
        self._ = gettext
        # Remembered, as the pages' filters are: an organization's page shows a few dozen numbers
        # (counts, mostly the same few hundred across the site) and amounts, and Babel took a fifth of it.
        self._money = formats.remembered(lambda amount, currency: formats.money_text(Money(amount, currency), locale))
        self._number = formats.remembered(lambda n: format_decimal(n, locale=locale))

    def money(self, amount: Decimal, currency: str) -> str:
        return self._money(amount, currency)

    def number(self, n) -> str:
        return self._number(n)

    def percent(self, p: Decimal | None) -> str:
        return formats.percent_text(p, self.locale)

    def label(self, kind: str, code: str) -> str:
        return labels.label(self._, kind, code)


def chart(*args, **kwargs) -> Markup:
    """A bar chart, safe to insert as is: charts.py escapes every piece of text it draws."""
    return Markup(charts.bar_chart(*args, **kwargs))


def raw_amount(amount: Decimal) -> str:
    return format(amount.normalize(), "f") if amount else "0"


@dataclass(frozen=True)
class Table:
    """Awards grouped (by year, department...): how many, their value in each currency, how many
    without a value; one row per group."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def amount_cells(w: Words, g: Group, currencies: tuple[str, ...]) -> tuple[Cell, ...]:
    return tuple(Cell(w.money(g.totals.amount(c), c), raw_amount(g.totals.amount(c)), numeric=True) for c in currencies)


def _value_row(w: Words, g: Group, currencies: tuple[str, ...], unnamed: str) -> tuple[Cell, ...]:
    name = _name(w, g, unnamed)
    return (Cell(name, name, g.path),
            Cell(w.number(g.totals.count), str(g.totals.count), numeric=True), *amount_cells(w, g, currencies),
            Cell(w.number(g.totals.missing_value), str(g.totals.missing_value), numeric=True))


def value_table(w: Words, groups: tuple[Group, ...], currencies: tuple[str, ...], first_column: str,
                unnamed: str) -> Table:
    _ = w._
    columns = (first_column, _("Awards"), *(_("Value (%(currency)s)") % {"currency": c} for c in currencies),
               _("Awards without a value"))
    return Table(columns, tuple(_value_row(w, g, currencies, unnamed) for g in groups))


def value_figure(w: Words, ident: str, title: str, groups: tuple[Group, ...], currencies: tuple[str, ...],
                 first_column: str, csv_path: str, *, unnamed: str, note: str = "",
                 shown: tuple[Group, ...] = ()) -> Figure:
    """Awarded value by group (department, year, supplier, category): one chart per currency, a table
    with the number of awards, the value in each currency and the awards without a value. `shown`,
    when given, is what the chart and table show (the largest groups, then one of all others); the
    CSV has every group."""
    _ = w._
    summed = bool(shown) and shown != groups
    shown = shown or groups
    svgs = []
    for c in currencies:
        bars = [charts.Bar(_name(w, g, unnamed), float(g.totals.amount(c)), w.money(g.totals.amount(c), c))
                for g in shown if g.totals.amount(c)]
        chart_title = title if len(currencies) == 1 else f"{title} ({c})"
        svgs.append(chart(f"{ident}-{c}", chart_title,
                           _("Bar chart of the %(currency)s amounts in the table that follows.") % {"currency": c},
                           bars, no_data=_("No value published")))
    table = value_table(w, shown, currencies, first_column, unnamed)
    missing = sum(g.totals.missing_value for g in groups)
    return Figure(ident, title, _top_takeaway(w, statistics.leader(groups, currencies), currencies, unnamed),
                  tuple(svgs), table.columns, table.rows, csv_path, note,
                  _("%(n)s awards publish no value; they are counted in the awards column only.")
                  % {"n": w.number(missing)} if missing else "",
                  csv_rows=value_table(w, groups, currencies, first_column, unnamed).rows if summed else ())


def _name(w: Words, g: Group, unnamed: str) -> str:
    """A group's name; the group of all the smallest reads "All other N"."""
    if g.others:
        return w._("All other %(n)s") % {"n": w.number(g.others)}
    return g.name or unnamed


def _top_takeaway(w: Words, top: statistics.Leader | None, currencies: tuple[str, ...], unnamed: str) -> str:
    _ = w._
    if not currencies or top is None:
        return _("No awarded value has been published yet.")
    return _("%(name)s accounts for the most: %(amount)s, %(percent)s of all %(currency)s awarded.") % {
        "name": top.group.name or unnamed, "amount": w.money(top.group.totals.amount(top.currency), top.currency),
        "percent": w.percent(top.percent), "currency": top.currency}


def dashboard_figures(d: Dashboard, w: Words, csv_path: Callable[[str], str]) -> tuple[Figure, ...]:
    _ = w._
    years = value_figure(w, "by-year", _("Awarded value by year"), d.by_year, d.currencies, _("Year"),
                         csv_path("by-year"), unnamed=_("No award date"), note="note-year")
    return (
        value_figure(w, "by-department", _("Awarded value by department"), d.by_department, d.currencies,
                     _("Department"), csv_path("by-department"), unnamed=_("No department named"), note="note-value"),
        years,
        _method_figure(d, w, csv_path("by-method")),
        _business_figure(d, w, csv_path("businesses")),
        _bidders_figure(d, w, csv_path("bidders")),
        _days_figure(d, w, csv_path("days-to-award")),
    )


def _method_figure(d: Dashboard, w: Words, path: str) -> Figure:
    _ = w._
    total = d.total.count
    bars, rows = [], []
    for g in d.by_method:
        name = w.label("buying", g.key) if g.key else _("Method not stated")
        share = statistics.count_percent(g.totals.count, total)
        bars.append(charts.Bar(name, g.totals.count, _("%(n)s (%(percent)s)") % {"n": w.number(g.totals.count),
                                                                                 "percent": w.percent(share)}))
        rows.append((Cell(name, name), Cell(w.number(g.totals.count), str(g.totals.count), numeric=True),
                     Cell(w.percent(share), str(share or ""), numeric=True), *amount_cells(w, g, d.currencies)))
    share = d.non_competitive
    takeaway = _("%(awards)s of awards were made without open competition (limited or sole source).") % {
        "awards": w.percent(share.count_percent())}
    if d.currencies:
        c = d.currencies[0]
        takeaway = _("%(awards)s of awards, and %(value)s of the %(currency)s awarded, went without open competition "
                     "(limited or sole source).") % {"awards": w.percent(share.count_percent()),
                                                     "value": w.percent(share.value_percent(c)), "currency": c}
    if d.emergency and d.emergency.part.count:
        takeaway += " " + _("Emergency purchases, counted apart, were %(awards)s of awards.") % {
            "awards": w.percent(d.emergency.count_percent())}
    columns = (_("How the city bought"), _("Awards"), _("Share of awards (%)"),
               *(_("Value (%(currency)s)") % {"currency": c} for c in d.currencies))
    title = _("Awards by procurement method")
    svg = chart("by-method", title, _("Bar chart of the number of awards by method, as in the table that follows."),
                 bars, no_data=_("No awards yet"))
    return Figure("by-method", title, takeaway, (svg,), columns, tuple(rows), path, "note-method",
                  _share_missing(w, share, _("%(n)s awards do not say how they were procured.")))


def _share_missing(w: Words, share: Share, message: str) -> str:
    return message % {"n": w.number(share.unknown)} if share.unknown else ""


def _business_figure(d: Dashboard, w: Words, path: str) -> Figure:
    _ = w._
    c = d.currencies[0] if d.currencies else ""
    bars, rows = [], []
    for name, share in ((_("Small businesses"), d.small), (_("Certified businesses"), d.certified)):
        by_count = share.count_percent()
        bars.append(charts.Bar(_("%(who)s: share of awards") % {"who": name}, float(by_count or 0), w.percent(by_count)))
        if c:
            by_value = share.value_percent(c)
            bars.append(charts.Bar(_("%(who)s: share of %(currency)s value") % {"who": name, "currency": c},
                                   float(by_value or 0), w.percent(by_value)))
        cells = [Cell(name, name), Cell(w.number(share.part.count), str(share.part.count), numeric=True),
                 Cell(w.number(share.known.count), str(share.known.count), numeric=True),
                 Cell(w.percent(by_count), str(by_count or ""), numeric=True)]
        for currency in d.currencies:
            p = share.value_percent(currency)
            cells += [Cell(w.money(share.part.amount(currency), currency), raw_amount(share.part.amount(currency)), numeric=True),
                      Cell(w.percent(p), str(p or ""), numeric=True)]
        cells.append(Cell(w.number(share.unknown), str(share.unknown), numeric=True))
        rows.append(tuple(cells))
    columns = (_("Businesses"), _("Awards won"), _("Awards counted"), _("Share of awards (%)"),
               *(x for currency in d.currencies for x in (_("Value won (%(currency)s)") % {"currency": currency},
                                                          _("Share of %(currency)s value (%%)") % {"currency": currency})),
               _("Awards not counted"))
    title = _("Awards to small and to certified businesses")
    takeaway = _("Small businesses won %(small)s of awards; certified businesses won %(certified)s.") % {
        "small": w.percent(d.small.count_percent()), "certified": w.percent(d.certified.count_percent())}
    svg = chart("businesses", title, _("Bar chart of the shares in the table that follows, in percent."),
                 bars, max_value=100, no_data=_("No awards yet"))
    missing = []
    if d.small.unknown:
        missing.append(_("%(n)s awards went to a supplier whose size is not published; they are left out of the "
                         "small-business share.") % {"n": w.number(d.small.unknown)})
    if d.certified.unknown:
        missing.append(_("%(n)s awards name no supplier the data describes; they are left out of the certified "
                         "share.") % {"n": w.number(d.certified.unknown)})
    return Figure("businesses", title, takeaway, (svg,), columns, tuple(rows), path, "note-small", " ".join(missing))


def distribution(w: Words, names: list[str], counts: tuple[int, ...], drawn: bool):
    """Bars (none when nothing was counted) and table rows of a distribution: a count per name."""
    counts = counts or (0,) * len(names)
    pairs = list(zip(names, counts, strict=True))
    return ([charts.Bar(name, n, w.number(n)) for name, n in pairs] if drawn else [],
            tuple((Cell(name, name), Cell(w.number(n), str(n), numeric=True)) for name, n in pairs))


def _bidders_figure(d: Dashboard, w: Words, path: str) -> Figure:
    _ = w._
    comp = d.competition
    names = [_("1 bidder"), *(_("%(n)s bidders") % {"n": n} for n in range(2, MOST_BIDDERS)),
             _("%(n)s or more bidders") % {"n": MOST_BIDDERS}]
    bars, rows = distribution(w, names, comp.by_bidders, drawn=bool(comp.with_count))
    title = _("Bidders per open or selective procedure")
    if comp.average_bidders is None:
        takeaway = _("No awarded open or selective procedure publishes its number of bidders yet.")
    else:
        takeaway = _("On average %(average)s bidders competed; %(single)s of awarded open or selective procedures had "
                     "a single bidder.") % {"average": w.number(comp.average_bidders),
                                            "single": w.percent(comp.single_percent())}
    svg = chart("bidders", title, _("Bar chart of the number of awarded processes by how many bids they "
                                     "received, as in the table that follows."), bars,
                 no_data=_("No bidder counts published"))
    missing = " ".join(x for x in (
        _("%(n)s awarded processes do not publish their number of bidders and are not counted.") % {
            "n": w.number(comp.missing)} if comp.missing else "",
        _("%(n)s awarded purchases made without open or selective competition (sole source, limited, orders under "
          "an agreement, emergencies) are not counted: they have one supplier by design.") % {
            "n": w.number(comp.not_competitive)} if comp.not_competitive else "") if x)
    return Figure("bidders", title, takeaway, (svg,), (_("Bids received"), _("Awarded processes")), rows, path,
                  "note-bidders", missing)


def _days_figure(d: Dashboard, w: Words, path: str) -> Figure:
    _ = w._
    spread = d.days_to_award
    names = []
    for low, high in DAY_BANDS:
        if low is None:
            names.append(_("%(n)s days or fewer") % {"n": high})
        elif high is None:
            names.append(_("More than %(n)s days") % {"n": low - 1})
        else:
            names.append(_("%(low)s to %(high)s days") % {"low": low, "high": high})
    bars, rows = distribution(w, names, spread.bands, drawn=bool(spread.count))
    title = _("Days from a tender's opening to its award")
    if spread.median is None:
        takeaway = _("No award publishes both its date and its tender's opening date yet.")
    else:
        takeaway = _("Half of awards were made within %(median)s days of the tender opening; the middle half took "
                     "%(q1)s to %(q3)s days.") % {"median": w.number(spread.median), "q1": w.number(spread.q1),
                                                  "q3": w.number(spread.q3)}
    svg = chart("days-to-award", title, _("Bar chart of the number of awards by days from opening to "
                                           "award, as in the table that follows."), bars,
                 no_data=_("No dates published"))
    missing = _("%(n)s awards lack an award date or a tender opening date and are not counted.") % {
        "n": w.number(spread.missing)} if spread.missing else ""
    return Figure("days-to-award", title, takeaway, (svg,), (_("Days"), _("Awards")), rows, path, "note-days", missing)


def department_figures(p: Profile, w: Words, csv_path: Callable[[str], str]) -> tuple[Figure, ...]:
    """A department's spending by category and by supplier (the ten largest, then all others)."""
    _ = w._
    return (
        value_figure(w, "by-category", _("Spending by category"), p.by_category, p.currencies, _("Category"),
                     csv_path("by-category"), unnamed=_("No category given")),
        value_figure(w, "by-supplier", _("Spending by supplier"), p.by_supplier, p.currencies, _("Supplier"),
                     csv_path("by-supplier"), unnamed=_("No supplier named"), shown=p.top_suppliers),
    )
