"""The timeline, before/after and series-compared charts as plain plotly figure dicts, built
from analysis results. Pure. The side-effect chart is in diary.charts.side_effect_chart; what all
charts share (colours, phone rules, ticks, panels) in diary.charts.layout.

Figures are plain ``{"data", "layout", "config"}`` dicts serialised with ``json``: building them
through ``plotly.graph_objects`` validates every property and embeds a large default template,
about ten times slower (ENVIRONMENT.md). Tests check these dicts with plotly.graph_objects.
"""

from datetime import date, timedelta
from fractions import Fraction

from diary.charts.layout import (
    COLOURS, DARK_COLOURS, DATE_RIGHT_PX, LEGEND_ROW_PX, SERIES_COLOURS, TICKS_PX, axis, base_layout,
    date_ticks, figure, iso, panel_title, plain, stacked_panels,
)
from diary.treatments.choices import choice_name
from diary.trends.analysis import Trends
from diary.trends.display import chart_number, mean_text, percent_text
from diary.trends.durability import trailing_mean
from diary.trends.history import History

COMPARED_FROM, COMPARED_TO = -14, 90  # days around each series' first infusion
PANEL_PX = {"pain": 200, "mood": 120, "mme": 120}  # the timeline's panels, each readable alone


def rolling_pain(history_pain: dict[date, Fraction], days: list[date]) -> list[Fraction | None]:
    """The timeline's 7-day mean: the durability rule, at least 4 logged days of the 7."""
    return [trailing_mean(history_pain, day) for day in days]


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


BAND_ROWS, BAND_ROW_PX = 2, 16
PLOT_PX, CHAR_PX = 300, 7  # a phone's plot width and a 12 px label's letter, roughly


def band_labels(bands, first: date, last: date) -> list[dict]:
    """Each band's name above the plot, on the first of two rows where it does not write over
    another; where neither has room, the series' number (the page lists the names)."""
    days_per_px = ((last - first).days + 2) / PLOT_PX
    rows: list[list[tuple[float, float]]] = [[] for _ in range(BAND_ROWS)]
    labels = []
    for number, item in enumerate(bands, start=1):
        anchor = (max(item.first_day, first) - first).days
        for text in (item.name, str(number)):
            width = (len(text) * CHAR_PX + 6) * days_per_px
            # Near the right edge a label ends at its band instead of starting there.
            left = min(anchor, (last - first).days + 1 - width)
            row = next((index for index, taken in enumerate(rows)
                        if all(left + width < start or left > end for start, end in taken)), None)
            if row is not None:
                rows[row].append((left, left + width))
                labels.append({"xref": "x", "yref": "paper", "showarrow": False, "y": 1,
                               "yanchor": "bottom", "yshift": BAND_ROW_PX * row, "xanchor": "left",
                               "x": iso(first + timedelta(days=max(left, -1))),
                               "text": plain(text), "font": {"size": 12}})
                break
    return labels


def has_opioids(history: History, first: date, last: date) -> bool:
    """Any opioid in the range: a day with MME/day above 0, or one without a CDC factor (None)."""
    return any(first <= day <= last and (total is None or total > 0)
               for day, total in history.mme.items())


def _line(days: list[date], values: dict, places: int | None = None) -> list:
    """One value per day, None where nothing was logged, so the line breaks there."""
    return [None if day not in values else (int(values[day]) if places is None
                                            else chart_number(values[day], places))
            for day in days]


def timeline(trends: Trends, history: History, first: date, last: date) -> dict:
    """Daily pain, its 7-day mean, series bands, infusions and therapies; below, mood, and
    opioid use (MME/day) when any opioid was taken in the range."""
    days = _days(first, last)
    pain = trends.daily["pain_avg"].values
    mood = trends.daily["mood"].values
    mme = trends.daily["mme"].values
    logged = [day for day in days if day in pain]
    data = [
        {"type": "scatter", "mode": "markers", "name": "Pain each day", "xaxis": "x", "yaxis": "y",
         "x": [iso(day) for day in logged], "y": [int(pain[day]) for day in logged],
         "marker": {"color": COLOURS["pain"], "size": 6},
         "hovertemplate": "%{x|%a %-d %b %Y}: pain %{y}<extra></extra>"},
        {"type": "scatter", "mode": "lines", "name": "7-day mean", "xaxis": "x", "yaxis": "y",
         "x": [iso(day) for day in days],
         "y": [chart_number(value, 1) for value in rolling_pain(pain, days)],
         "line": {"color": COLOURS["mean"], "width": 3}, "connectgaps": False,
         "hovertemplate": "%{x|%a %-d %b %Y}: 7-day mean %{y:.1f}<extra></extra>"},
    ]
    dark = [[1, "line.color", DARK_COLOURS["mean"]]]
    infusions = [(item.name, infusion.day) for item in history.series for infusion in item.infusions
                 if first <= infusion.day <= last]
    if infusions:
        data.append({"type": "scatter", "mode": "markers", "name": "Infusion", "xaxis": "x",
                     "yaxis": "y", "x": [iso(day) for _, day in infusions],
                     "y": [10.6] * len(infusions), "text": [plain(name) for name, _ in infusions],
                     "marker": {"symbol": "triangle-down", "size": 11, "color": COLOURS["infusion"]},
                     "hovertemplate": "%{x|%-d %b %Y}: infusion (%{text})<extra></extra>"})
    therapies = [therapy for therapy in history.therapies if first <= therapy.day <= last]
    if therapies:
        data.append({"type": "scatter", "mode": "markers", "name": "Other therapy", "xaxis": "x",
                     "yaxis": "y", "x": [iso(therapy.day) for therapy in therapies],
                     "y": [-0.6] * len(therapies),
                     "text": [plain(choice_name("therapy", therapy.kind, therapy.kind_other))
                              for therapy in therapies],
                     "marker": {"symbol": "line-ns-open", "size": 12, "color": COLOURS["therapy"],
                                "line": {"width": 2}},
                     "hovertemplate": "%{x|%-d %b %Y}: %{text}<extra></extra>"})
    panels = [("pain", PANEL_PX["pain"]), ("mood", PANEL_PX["mood"])]
    # The panel titles name mood and opioids: they need no legend entry.
    data.append({"type": "scatter", "mode": "lines+markers", "name": "Mood", "showlegend": False,
                 "xaxis": "x", "yaxis": "y2", "x": [iso(day) for day in days],
                 "y": _line(days, mood), "connectgaps": False,
                 "marker": {"size": 5, "color": COLOURS["mood"]}, "line": {"width": 1.5},
                 "hovertemplate": "%{x|%a %-d %b %Y}: mood %{y}<extra></extra>"})
    if has_opioids(history, first, last):
        panels.append(("mme", PANEL_PX["mme"]))
        data.append({"type": "scatter", "mode": "lines+markers", "name": "Opioids (MME/day)",
                     "showlegend": False, "xaxis": "x", "yaxis": "y3",
                     "x": [iso(day) for day in days], "y": _line(days, mme, 1),
                     "connectgaps": False, "marker": {"size": 5, "color": COLOURS["mme"]},
                     "line": {"width": 1.5, "shape": "hv"},
                     "hovertemplate": "%{x|%a %-d %b %Y}: %{y} MME/day<extra></extra>"})
    bands = [item for item in history.series
             if item.infusions and item.last_day >= first and item.first_day <= last]
    shapes = [{"type": "rect", "xref": "x", "yref": "paper", "layer": "below",
               "x0": f"{item.first_day - timedelta(days=1)} 12:00",  # half a day either
               "x1": f"{item.last_day} 12:00",  # side of the span
               "y0": 0, "y1": 1, "fillcolor": COLOURS["band"], "line": {"width": 0}}
              for item in bands]
    top = 8 + BAND_ROW_PX * BAND_ROWS
    bottom = TICKS_PX + 2 * LEGEND_ROW_PX + 8  # two legend rows on a phone
    height, domains = stacked_panels(panels, top, bottom)
    titles = {"pain": "Pain (0–10)", "mood": "Mood (0–10, higher is better)",
              "mme": "Opioids (MME/day)"}
    axes = {"pain": ("yaxis", axis(domain=domains["pain"], range=[-1, 11], dtick=2)),
            "mood": ("yaxis2", axis(domain=domains["mood"], range=[-0.5, 10.5], dtick=5)),
            "mme": ("yaxis3", axis(domain=domains.get("mme"), rangemode="tozero", nticks=4))}
    bottom_axis = "y3" if "mme" in domains else "y2"
    layout = base_layout(
        height, margin={"l": 8, "r": DATE_RIGHT_PX, "t": top, "b": bottom}, shapes=shapes,
        annotations=band_labels(bands, first, last) + [
            panel_title(titles[name], domains[name][1]) for name, _ in panels],
        xaxis=axis(anchor=bottom_axis, **date_ticks(first, last)),
        **{key: settings for name, (key, settings) in axes.items() if name in domains})
    return figure(data, layout, dark)


def wrapped(name: str, width: int = 14) -> str:
    """A series name broken into short lines for a category label on a narrow phone, each line
    made plain (see ``plain``)."""
    lines, line = [], ""
    words = [part[start:start + width] for part in name.split(" ") if part
             for start in range(0, len(part), width)]  # a very long word is cut into pieces
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(plain(line) for line in lines)


def category_label(result) -> str:
    """The series name, then its result in a word or two (the page's text says it in full)."""
    pain = result.pain
    if pain.result_class:
        percent = percent_text(pain.percent).replace(" ", "\N{NO-BREAK SPACE}")  # "−49 %" stays whole
        outcome = wrapped(f"{pain.result_class} {percent}", 12)
    elif pain.percent_not_applicable:
        outcome = "n/a"
    else:
        outcome = wrapped("not enough data", 12)
    if result.provisional:
        outcome += "<br>provisional"
    return f"{wrapped(result.series.name)}<br><i>{outcome}</i>"


GROUP_PX = 72  # one series' two bars and its three-line name, on a phone as on a desktop


def before_after(trends: Trends) -> dict:
    """Mean average pain before and after each series, as horizontal bars, the first series at
    the top: names stay readable on a phone however many series there are (twelve upright
    groups on a 360 px phone were 24 px each)."""
    labels = [category_label(result) for result in trends.series]
    data = []
    for kind, colour in (("before", COLOURS["before"]), ("after", COLOURS["after"])):
        means = [getattr(result.pain, kind).mean for result in trends.series]
        data.append({
            "type": "bar", "orientation": "h", "name": f"{kind.capitalize()} (mean pain)",
            "y": labels, "x": [chart_number(mean, 1) for mean in means],
            "text": [mean_text(mean) or "not enough data" for mean in means],
            "textposition": "outside", "cliponaxis": False, "marker": {"color": colour},
            "hovertemplate": f"%{{y}}: {kind} %{{text}}<extra></extra>",
        })
    bottom = TICKS_PX + 24 + LEGEND_ROW_PX + 8  # ticks, the axis title, one legend row
    height = 8 + GROUP_PX * max(len(labels), 1) + bottom
    layout = base_layout(height, barmode="group", margin={"l": 8, "r": 8, "t": 8, "b": bottom},
                         bargap=0.25, bargroupgap=0.05,
                         xaxis=axis(range=[0, 11.5], dtick=2, title={"text": "Mean pain (0–10)"}),
                         yaxis=axis(type="category", autorange="reversed", tickfont={"size": 12}))
    return figure(data, layout, [[1, "marker.color", DARK_COLOURS["after"]]])


def series_compared(trends: Trends) -> dict:
    """Daily pain aligned on each series' first infusion (day -14 to +90), one line per series."""
    pain = trends.daily["pain_avg"].values
    data = []
    for number, result in enumerate(trends.series):
        start = result.series.first_day
        # Every day up to today, unlogged ones as None, so the line breaks where nothing was logged.
        offsets = list(range(COMPARED_FROM, min(COMPARED_TO, (trends.today - start).days) + 1))
        data.append({
            "type": "scatter", "mode": "lines+markers", "name": plain(result.series.name),
            "x": offsets, "y": [pain.get(start + timedelta(days=n)) for n in offsets],
            "line": {"color": SERIES_COLOURS[number % len(SERIES_COLOURS)], "width": 2},
            "marker": {"size": 4}, "connectgaps": False,
            "hovertemplate": f"%{{fullData.name}}, day %{{x}}: pain %{{y}}<extra></extra>",
        })
    layout = base_layout(380, xaxis=axis(range=[COMPARED_FROM - 1, COMPARED_TO + 1], dtick=14,
                                      title={"text": "Days from the first infusion"}),
                     yaxis=axis(range=[-0.5, 10.5], dtick=2, title={"text": "Pain"}),
                     shapes=[{"type": "line", "xref": "x", "yref": "paper", "x0": 0, "x1": 0,
                              "y0": 0, "y1": 1, "line": {"dash": "dot", "width": 1}}])
    return figure(data, layout)
