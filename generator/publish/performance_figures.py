"""The performance page's figures: cycle times, competition, diversity, concentration and savings,
each as the spending page's figures are (publish.figures.Figure: a takeaway, a bar chart, the table
behind it and its CSV). Pure: site.performance values in, frozen figures out.

Each section is a title, an id (the anchor the data-quality page's field coverage links to), a sentence
saying what it measures, and its figures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from generator.publish import charts
from generator.publish.figures import Cell, Figure, Words, amount_cells, chart, raw_amount, value_figure
from generator.site import performance as perf
from generator.site.performance import STAGES, Performance
from generator.site.statistics import Competition, Share, count_percent

TREND_YEARS = 5  # years a trend sentence names
SHOWN = 15  # groups shown in a chart and table where there can be many (categories); the CSV has all


MAIN, BUSINESSES = "performance", "performance-businesses"  # the pages (routes' listings) sections are on


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    lead: str
    figures: tuple[Figure, ...]
    page: str = MAIN  # the listing it is on: the performance page holds too much for one page on a phone


def _n(w: Words, n) -> Cell:
    return Cell(w.number(n), str(n), numeric=True)


def _days(w: Words, d: Decimal | None) -> Cell:
    return Cell(w.number(d) if d is not None else "–", str(d) if d is not None else "", numeric=True)


def _pct(w: Words, p: Decimal | None) -> Cell:
    return Cell(w.percent(p), str(p) if p is not None else "", numeric=True)


def _name(w: Words, key: str, name: str, path: str, unnamed: str, kind: str = "") -> Cell:
    text = (w.label(kind, key) if kind and key else name or key) or unnamed
    return Cell(text, text, path)


def _trend(w: Words, pairs) -> str:
    """"76 in 2023, 63 in 2024": a value per year, oldest first (the last TREND_YEARS years)."""
    return w._(", ").join(w._("%(value)s in %(year)s") % {"value": v, "year": y} for y, v in pairs[-TREND_YEARS:])


def _figure(w: Words, ident: str, title: str, takeaway: str, bars, description: str, columns, rows, csv_path,
            note: str, missing: str = "", max_value: float | None = None, csv_rows=()) -> Figure:
    svg = chart(ident, title, description, bars, max_value=max_value, no_data=w._("Nothing to count yet"))
    return Figure(ident, title, takeaway, (svg,), tuple(columns), tuple(rows), csv_path, note, missing,
                  csv_rows=tuple(csv_rows))


def sections(p: Performance, w: Words, csv_path: Callable[[str], str]) -> tuple[Section, ...]:
    _ = w._
    return (
        Section("cycle-times", _("How long buying takes"),
                _("Calendar days each stage took, from the dates each process publishes: the median (half took "
                  "less, half more) and the middle half."), _cycle_figures(p, w, csv_path)),
        Section("competition", _("Competition"),
                _("Bids received by open and selective procedures, where anyone or any pre-qualified firm could "
                  "bid; purchases made without such competition are counted apart, by reason."),
                _competition_figures(p, w, csv_path)),
        Section("diversity", _("Small, certified and new businesses"),
                _("Who wins the city's awards: small businesses, each certification program the city runs, and "
                  "firms winning for the first time."), _diversity_figures(p, w, csv_path), BUSINESSES),
        Section("concentration", _("Where the money concentrates"),
                _("How few awards and suppliers make most of the value, and how many suppliers each category has."),
                _concentration_figures(p, w, csv_path), BUSINESSES),
        Section("savings", _("Awards against estimates"),
                _("The value awarded against the value the city estimated before the tender, where both are "
                  "published in the same currency."), (_savings_figure(p, w, csv_path("savings")),)),
    )


# Cycle times -------------------------------------------------------------------------------------

def _cycle_figures(p: Performance, w: Words, csv_path) -> tuple[Figure, ...]:
    _ = w._
    c = p.cycle
    stage_names = [w.label("cycle_stage", s) for s in STAGES]
    bars, rows = [], []
    for name, st in zip(stage_names, c.stages, strict=True):
        s = st.spread
        if s.median is not None:
            bars.append(charts.Bar(name, float(s.median), _("%(n)s days") % {"n": w.number(s.median)}))
        rows.append((Cell(name, name), _n(w, s.count), _days(w, s.median), _days(w, s.q1), _days(w, s.q3),
                     _n(w, s.missing), _n(w, st.out_of_order)))
    counted = [st for st in c.stages if st.spread.median is not None and st.stage != perf.END_TO_END]
    whole = c.stages[STAGES.index(perf.END_TO_END)].spread
    if whole.median is not None:
        takeaway = _("From notice to signed contract took %(n)s days (median).") % {"n": w.number(whole.median)}
    else:
        takeaway = _("No process publishes both its notice date and a contract signature date yet.")
    if counted:
        slow = max(counted, key=lambda st: st.spread.median)
        takeaway += " " + _("The longest stage is %(stage)s: %(n)s days (median).") % {
            "stage": w.label("cycle_stage", slow.stage).lower(), "n": w.number(slow.spread.median)}
    missing = " ".join(_("%(stage)s: %(n)s processes do not publish the dates.") % {"stage": name, "n": w.number(st.spread.missing)}
                       for name, st in zip(stage_names, c.stages, strict=True) if st.spread.missing)
    overall = _figure(w, "cycle-stages", _("Days each stage takes"), takeaway, bars,
                      _("Bar chart of the median days of each stage, as in the table that follows."),
                      (_("Stage"), _("Counted"), _("Median days"), _("First quartile"), _("Third quartile"),
                       _("Not counted: no dates"), _("Not counted: dates out of order")),
                      rows, csv_path("cycle-stages"), "note-cycle", missing)
    return (overall,
            _cycle_by(w, "cycle-by-year", _("Median days by year the stage ended"), c.by_year, _("Year"), "",
                      csv_path("cycle-by-year"), by_year=True),
            _cycle_by(w, "cycle-by-method", _("Median days by how the city bought"), c.by_way, _("How the city bought"),
                      "buying", csv_path("cycle-by-method")),
            _cycle_by(w, "cycle-by-department", _("Median days by department"), c.by_department, _("Department"), "",
                      csv_path("cycle-by-department")))


def _cycle_by(w: Words, ident: str, title: str, groups, first: str, kind: str, path: str, by_year=False) -> Figure:
    """Median days of every stage per group: the table shows "median (processes)", the CSV splits them."""
    _ = w._
    end = STAGES.index(perf.END_TO_END)
    bars, rows, csv_rows = [], [], []
    for g in groups:
        name = _name(w, g.key, g.name, g.path, _("Not stated"), kind)
        if g.medians[end] is not None:
            bars.append(charts.Bar(name.text, float(g.medians[end]), _("%(n)s days") % {"n": w.number(g.medians[end])}))
        rows.append((name, *(Cell(_("%(median)s (%(n)s)") % {"median": w.number(m), "n": w.number(n)} if n else "–", "",
                                  numeric=True) for m, n in zip(g.medians, g.counts, strict=True))))
        csv_rows.append((name, *(_days(w, m) for m in g.medians), *(_n(w, n) for n in g.counts)))
    stages = [w.label("cycle_stage", s) for s in STAGES]
    columns = (first, *stages)
    csv_columns = (first, *(_("%(stage)s: median days") % {"stage": s} for s in stages),
                   *(_("%(stage)s: counted") % {"stage": s} for s in stages))
    timed = [(g, g.medians[end]) for g in groups if g.medians[end] is not None]
    if timed and by_year:
        takeaway = _("Median days from notice to signed contract: %(trend)s.") % {
            "trend": _trend(w, [(g.key, w.number(m)) for g, m in timed])}
    elif timed:
        slow = max(timed, key=lambda t: t[1])
        takeaway = _("End to end, the slowest is “%(name)s”: %(n)s days (median).") % {
            "name": _name(w, slow[0].key, slow[0].name, "", _("Not stated"), kind).text, "n": w.number(slow[1])}
    else:
        takeaway = _("No group has both a notice date and a contract signature date yet; the table shows each stage.")
    figure = _figure(w, ident, title, takeaway, bars,
                     _("Bar chart of the median days from notice to signed contract in each group; the table that "
                       "follows gives every stage's median days, with the number of processes counted in brackets."),
                     columns, rows, path, "note-cycle")
    return replace(figure, csv_rows=tuple(csv_rows), csv_columns=csv_columns)


# Competition -------------------------------------------------------------------------------------

def _competition_row(w: Words, name: Cell, c: Competition) -> tuple[Cell, ...]:
    return (name, _n(w, c.with_count), _days(w, c.average_bidders), _n(w, c.single_bidder), _pct(w, c.single_percent()),
            _n(w, c.missing))


def _competition_by(w: Words, ident: str, title: str, groups, first: str, kind: str, path: str,
                    by_year=False) -> Figure:
    _ = w._
    bars, rows = [], []
    for g in groups:
        name = _name(w, g.key, g.name, g.path, _("Not stated"), kind)
        if g.competition.average_bidders is not None:
            bars.append(charts.Bar(name.text, float(g.competition.average_bidders), w.number(g.competition.average_bidders)))
        rows.append(_competition_row(w, name, g.competition))
    measured = [g for g in groups if g.competition.average_bidders is not None]
    if measured and by_year:
        takeaway = _("Bidders per open or selective procedure, on average: %(trend)s.") % {
            "trend": _trend(w, [(g.key, w.number(g.competition.average_bidders)) for g in measured if g.key])}
    elif measured:
        low = min(measured, key=lambda g: (g.competition.average_bidders, g.key))
        takeaway = _("“%(name)s” drew the fewest bidders: %(n)s per open or selective procedure on average.") % {
            "name": _name(w, low.key, low.name, "", _("Not stated"), kind).text, "n": w.number(low.competition.average_bidders)}
    else:
        takeaway = _("No awarded open or selective procedure publishes its number of bidders yet.")
    columns = (first, _("Procedures counted"), _("Bidders on average"), _("With one bid"), _("Share with one bid (%)"),
               _("Not counted: no bidder count"))
    return _figure(w, ident, title, takeaway, bars, _("Bar chart of the average number of bidders in each group, as "
                                                      "in the table that follows."), columns, rows, path, "note-competition")


def _competition_figures(p: Performance, w: Words, csv_path) -> tuple[Figure, ...]:
    _ = w._
    return (
        _competition_by(w, "competition-by-year", _("Bidders by year of award"), p.competition_by_year, _("Year"), "",
                        csv_path("competition-by-year"), by_year=True),
        _competition_by(w, "competition-by-department", _("Bidders by department"), p.competition_by_department,
                        _("Department"), "", csv_path("competition-by-department")),
        _competition_by(w, "competition-by-category", _("Bidders by kind of purchase"), p.competition_by_category,
                        _("Kind of purchase"), "main_category", csv_path("competition-by-category")),
        _without_figure(p, w, csv_path("non-competitive")),
    )


def _without_figure(p: Performance, w: Words, path: str) -> Figure:
    _ = w._
    total_awards = sum(g.totals.count for g in p.without_competition)
    bars, rows = [], []
    for g in p.without_competition:
        name = w.label("buying", g.key) if g.key else _("Method not stated")
        bars.append(charts.Bar(name, g.totals.count, w.number(g.totals.count)))
        rows.append((Cell(name, name), _n(w, g.totals.count), *amount_cells(w, g, p.currencies)))
    takeaway = _("%(n)s awards were made without open or selective competition.") % {"n": w.number(total_awards)}
    if p.without_competition:
        top = p.without_competition[0]
        takeaway += " " + _("The most common reason: %(reason)s (%(n)s).") % {
            "reason": w.label("buying", top.key) if top.key else _("Method not stated"), "n": w.number(top.totals.count)}
    columns = (_("Reason"), _("Awards"), *(_("Value (%(currency)s)") % {"currency": c} for c in p.currencies))
    return _figure(w, "non-competitive", _("Purchases without open competition, by reason"), takeaway, bars,
                  _("Bar chart of the number of awards made without open or selective competition, by reason."),
                  columns, rows, path, "note-non-competitive")


# Diversity ---------------------------------------------------------------------------------------

def _share_cells(w: Words, s: Share, currency: str) -> tuple[Cell, ...]:
    return (_pct(w, s.count_percent()), _pct(w, s.value_percent(currency)) if currency else _pct(w, None))


def _diversity_by(p: Performance, w: Words, ident: str, title: str, groups, first: str, path: str,
                  by_year=False) -> Figure:
    _ = w._
    c = p.currencies[0] if p.currencies else ""
    bars, rows, csv_rows = [], [], []
    for g in groups:
        name = _name(w, g.key, g.name, g.path, _("Not stated"))
        share = g.small.count_percent()
        if share is not None:
            bars.append(charts.Bar(name.text, float(share), w.percent(share)))
        rows.append((name, _n(w, g.small.known.count), _pct(w, share), *(_pct(w, s.count_percent()) for s in g.programs),
                     _n(w, g.small.unknown)))
        csv_rows.append((name, _n(w, g.small.known.count), *_share_cells(w, g.small, c),
                         *(x for s in g.programs for x in _share_cells(w, s, c)), _n(w, g.small.unknown)))
    columns = (first, _("Awards with a known supplier size"), _("Small businesses (% of awards)"),
               *(_("%(program)s (%% of awards)") % {"program": prog.abbreviation} for prog in p.programs),
               _("Not counted: supplier size unknown"))
    csv_columns = (first, columns[1], _("Small businesses: share of awards (%)"),
                   _("Small businesses: share of value (%)"),
                   *(x for prog in p.programs for x in (
                       _("%(program)s: share of awards (%%)") % {"program": prog.abbreviation},
                       _("%(program)s: share of value (%%)") % {"program": prog.abbreviation})), columns[-1])
    measured = [g for g in groups if g.small.count_percent() is not None]
    if measured and by_year:
        takeaway = _("Small businesses' share of awards: %(trend)s.") % {
            "trend": _trend(w, [(g.key, w.percent(g.small.count_percent())) for g in measured if g.key])}
    elif measured:
        low = min(measured, key=lambda g: (g.small.count_percent(), g.key))
        takeaway = _("Small businesses won the smallest share of awards in “%(name)s”: %(share)s.") % {
            "name": _name(w, low.key, low.name, "", _("Not stated")).text, "share": w.percent(low.small.count_percent())}
    else:
        takeaway = _("No supplier publishes its size yet.")
    figure = _figure(w, ident, title, takeaway, bars, _("Bar chart of the share of awards won by small businesses in "
                                                        "each group, in percent; the table adds each certification "
                                                        "program, and the download the shares of value."),
                     columns, rows, path, "note-diversity", max_value=100)
    return replace(figure, csv_rows=tuple(csv_rows), csv_columns=csv_columns)


def _diversity_figures(p: Performance, w: Words, csv_path) -> tuple[Figure, ...]:
    _ = w._
    return (
        _diversity_by(p, w, "diversity-by-year", _("Small and certified businesses by year"), p.diversity_by_year,
                      _("Year"), csv_path("diversity-by-year"), by_year=True),
        _diversity_by(p, w, "diversity-by-department", _("Small and certified businesses by department"),
                      p.diversity_by_department, _("Department"), csv_path("diversity-by-department")),
        _new_winners_figure(p, w, csv_path("first-time-winners")),
    )


def _new_winners_figure(p: Performance, w: Words, path: str) -> Figure:
    _ = w._
    bars, rows = [], []
    for y in p.new_winners:
        bars.append(charts.Bar(y.year, y.first_time, w.number(y.first_time)))
        rows.append((Cell(y.year, y.year), _n(w, y.winners), _n(w, y.first_time),
                     _pct(w, count_percent(y.first_time, y.winners)),
                     Cell(_("Yes") if y.first_year else "", "yes" if y.first_year else "")))
    later = [y for y in p.new_winners if not y.first_year]
    if later:
        last = later[-1]
        takeaway = _("In %(year)s, %(n)s of the %(winners)s businesses that won an award had never won one before.") % {
            "year": last.year, "n": w.number(last.first_time), "winners": w.number(last.winners)}
    else:
        takeaway = _("The data covers one year or less, so no winner can yet be told apart as new.")
    missing = _("The first year the data covers counts every winner as new: the data says nothing of earlier years.")
    if p.undated_winners:
        missing += " " + _("%(n)s suppliers have only undated awards and are not counted.") % {"n": w.number(p.undated_winners)}
    return _figure(w, "first-time-winners", _("Businesses winning for the first time"), takeaway, bars,
                   _("Bar chart of the number of businesses winning their first award each year."),
                   (_("Year"), _("Businesses that won"), _("Of them, first-time winners"), _("Share (%)"),
                    _("First year of the data")), rows, path, "note-first-time", missing)


# Concentration -----------------------------------------------------------------------------------

def _concentration_figures(p: Performance, w: Words, csv_path) -> tuple[Figure, ...]:
    _ = w._
    found = []
    c = p.concentration
    if c is not None:
        bars, rows = [], []
        for percent, n in c.steps:
            share = count_percent(n, c.awards)
            label = _("%(percent)s%% of the value") % {"percent": percent}
            bars.append(charts.Bar(label, float(share or 0), _("%(n)s awards (%(share)s)") % {
                "n": w.number(n), "share": w.percent(share)}))
            rows.append((Cell(label, str(percent)), _n(w, n), _pct(w, share)))
        eighty = dict(c.steps).get(80)
        takeaway = _("%(n)s of %(awards)s awards make 80%% of the %(currency)s awarded.") % {
            "n": w.number(eighty), "awards": w.number(c.awards), "currency": c.currency}
        missing = " ".join(x for x in (
            _("%(n)s awards in other currencies are not counted.") % {"n": w.number(c.other_currencies)}
            if c.other_currencies else "",
            _("%(n)s awards publish no value and are not counted.") % {"n": w.number(c.no_value)} if c.no_value else "") if x)
        found.append(_figure(w, "concentration-awards", _("How many of the largest awards make most of the value"),
                             takeaway, bars, _("Bar chart of the share of awards, largest first, that make each share "
                                               "of the value, in percent."),
                             (_("Share of value"), _("Largest awards that make it"), _("Share of awards (%)")), rows,
                             csv_path("concentration-awards"), "note-concentration", missing, max_value=100))
        top = value_figure(w, "top-suppliers", _("The largest suppliers"), c.top_suppliers, (c.currency,), _("Supplier"),
                           csv_path("top-suppliers"), unnamed=_("No supplier named"), note="note-concentration")
        found.append(Figure(top.id, top.title, _("The %(n)s largest suppliers received %(share)s of the %(currency)s "
                                                 "awarded.") % {"n": w.number(len(c.top_suppliers)),
                                                                "share": w.percent(c.top_share), "currency": c.currency},
                            top.charts, top.columns, top.rows, top.csv_path, top.note, top.missing))
    cats = p.category_suppliers
    shown = cats[:SHOWN]
    bars = [charts.Bar(x.name or _("No category given"), x.suppliers, w.number(x.suppliers)) for x in shown]

    def row(x):
        return (Cell(x.name or _("No category given"), x.name), Cell(x.key, x.key), _n(w, x.awards), _n(w, x.suppliers))

    single = sum(1 for x in cats if x.key and x.suppliers == 1)
    takeaway = _("%(n)s of %(all)s categories have a single supplier.") % {
        "n": w.number(single), "all": w.number(sum(1 for x in cats if x.key))}
    found.append(_figure(w, "suppliers-per-category", _("Suppliers per category"), takeaway, bars,
                         _("Bar chart of the number of different suppliers that won awards in each category."),
                         (_("Category"), _("Code"), _("Awards"), _("Different suppliers")), [row(x) for x in shown],
                         csv_path("suppliers-per-category"), "note-concentration",
                         _("The table shows the %(n)s categories with the most awards; the download has all %(all)s.")
                         % {"n": w.number(SHOWN), "all": w.number(len(cats))} if len(cats) > SHOWN else "",
                         csv_rows=[row(x) for x in cats] if len(cats) > SHOWN else ()))
    return tuple(found)


# Savings -----------------------------------------------------------------------------------------

def _savings_figure(p: Performance, w: Words, path: str) -> Figure:
    _ = w._
    s = p.savings
    c = s.currency

    def row(g, name: Cell):
        return (name, _n(w, g.processes), Cell(w.money(g.estimate, c), raw_amount(g.estimate), numeric=True),
                Cell(w.money(g.awarded, c), raw_amount(g.awarded), numeric=True), _pct(w, g.percent),
                _n(w, g.below), _n(w, g.above))

    rows = [row(g, _name(w, g.key, g.name, g.path, _("No department named"))) for g in s.by_department]
    rows.append(row(s.overall, Cell(_("All departments"), "all")))
    o = s.overall
    bars = [charts.Bar(_("Awarded below the estimate"), o.below, w.number(o.below)),
            charts.Bar(_("Awarded at the estimate"), o.processes - o.below - o.above,
                       w.number(o.processes - o.below - o.above)),
            charts.Bar(_("Awarded above the estimate"), o.above, w.number(o.above))] if o.processes else []
    if o.processes:
        takeaway = _("Across %(n)s processes estimated and awarded in %(currency)s, awards came to %(awarded)s against "
                     "estimates of %(estimate)s: %(percent)s under.") % {
            "n": w.number(o.processes), "currency": c, "awarded": w.money(o.awarded, c),
            "estimate": w.money(o.estimate, c), "percent": w.percent(o.percent)}
        if o.percent is not None and o.percent < 0:
            takeaway = _("Across %(n)s processes estimated and awarded in %(currency)s, awards came to %(awarded)s "
                         "against estimates of %(estimate)s: %(percent)s over.") % {
                "n": w.number(o.processes), "currency": c, "awarded": w.money(o.awarded, c),
                "estimate": w.money(o.estimate, c), "percent": w.percent(-o.percent)}
    else:
        takeaway = _("No awarded process publishes an estimate in the same currency as its awards yet.")
    missing = " ".join(x for x in (
        _("%(n)s awarded processes publish no estimate.") % {"n": w.number(s.no_estimate)} if s.no_estimate else "",
        _("%(n)s have an award without a value.") % {"n": w.number(s.no_award_value)} if s.no_award_value else "",
        _("%(n)s were estimated or awarded in another currency and are not compared.") % {"n": w.number(s.other_currency)}
        if s.other_currency else "") if x)
    return _figure(w, "savings-by-department", _("Awarded value against the estimate"), takeaway, bars,
                   _("Bar chart of the number of processes awarded below, at and above their estimate."),
                   (_("Department"), _("Processes compared"), _("Estimated (%(currency)s)") % {"currency": c},
                    _("Awarded (%(currency)s)") % {"currency": c}, _("Under the estimate (%)"),
                    _("Awarded below the estimate"), _("Awarded above the estimate")), rows, path, "note-savings",
                   missing)
