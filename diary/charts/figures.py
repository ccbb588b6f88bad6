"""The four trend charts as plain plotly figure dicts, built from analysis results. Pure.

Figures are plain ``{"data", "layout", "config"}`` dicts serialised with ``json``: building them
through ``plotly.graph_objects`` validates every property and embeds a large default template,
about ten times slower (ENVIRONMENT.md). Tests check these dicts with plotly.graph_objects.

Phone rules for every figure: no information only on hover (a tap shows a point's label), the
legend below the plot, no mode bar, no drag-zoom that would trap the page's scrolling, and a
size that follows the page (``responsive``).
"""

from datetime import date, timedelta
from fractions import Fraction

from diary.side_effects import SEVERITY_NAMES, SIDE_EFFECT_NAMES
from diary.trends.analysis import Trends
from diary.trends.display import chart_number, mean_text, percent_text
from diary.trends.durability import trailing_mean
from diary.trends.history import History

# Okabe-Ito colours: told apart with the common colour-vision deficiencies.
COLOURS = {"pain": "#56B4E9", "mean": "#0072B2", "mood": "#009E73", "mme": "#D55E00",
           "infusion": "#CC79A7", "therapy": "#56B4E9", "band": "rgba(230,159,0,0.18)",
           "before": "#999999", "after": "#0072B2"}
SERIES_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
SEVERITY_SYMBOLS = {1: "circle-open", 2: "circle", 3: "diamond"}  # shape, not colour alone
SEVERITY_SIZES = {1: 8, 2: 11, 3: 14}

CONFIG = {"displayModeBar": False, "responsive": True, "scrollZoom": False,
          "doubleClick": False, "showTips": False}
COMPARED_FROM, COMPARED_TO = -14, 90  # days around each series' first infusion


def plain(text: str) -> str:
    """The patient's own words in a plotly label: its pseudo-HTML (<b>, <a href>) must not apply."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _iso(day: date) -> str:
    return day.isoformat()


def _axis(**more) -> dict:
    return {"fixedrange": True, "automargin": True, "gridcolor": "rgba(128,128,128,0.25)",
            "zeroline": False, **more}


def _layout(height: int, **more) -> dict:
    return {
        "height": height, "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
        "hovermode": "closest", "dragmode": False,
        # Below everything, in the figure's own space: it never covers data or tick labels.
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "yref": "container", "y": 0,
                   "yanchor": "bottom"},
        "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)",
        "font": {"size": 14, "family": "system-ui, sans-serif"},
        "hoverlabel": {"namelength": -1}, **more,
    }


def figure(data: list, layout: dict) -> dict:
    return {"data": data, "layout": layout, "config": CONFIG}


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
                               "x": _iso(first + timedelta(days=max(left, -1))),
                               "text": plain(text), "font": {"size": 12}})
                break
    return labels


def timeline(trends: Trends, history: History, first: date, last: date) -> dict:
    """Daily pain, its 7-day mean, series bands, infusions and therapies; mood and MME/day below."""
    days = _days(first, last)
    pain = trends.daily["pain_avg"].values
    mood = trends.daily["mood"].values
    mme = trends.daily["mme"].values
    logged = [day for day in days if day in pain]
    data = [
        {"type": "scatter", "mode": "markers", "name": "Pain each day", "xaxis": "x", "yaxis": "y",
         "x": [_iso(day) for day in logged], "y": [int(pain[day]) for day in logged],
         "marker": {"color": COLOURS["pain"], "size": 6, "opacity": 0.6},
         "hovertemplate": "%{x|%a %-d %b %Y}: pain %{y}<extra></extra>"},
        {"type": "scatter", "mode": "lines", "name": "7-day mean", "xaxis": "x", "yaxis": "y",
         "x": [_iso(day) for day in days],
         "y": [chart_number(value, 1) for value in rolling_pain(pain, days)],
         "line": {"color": COLOURS["mean"], "width": 3}, "connectgaps": False,
         "hovertemplate": "%{x|%a %-d %b %Y}: 7-day mean %{y:.1f}<extra></extra>"},
    ]
    infusions = [(item.name, infusion.day) for item in history.series for infusion in item.infusions
                 if first <= infusion.day <= last]
    if infusions:
        data.append({"type": "scatter", "mode": "markers", "name": "Infusion", "xaxis": "x",
                     "yaxis": "y", "x": [_iso(day) for _, day in infusions],
                     "y": [10.6] * len(infusions), "text": [plain(name) for name, _ in infusions],
                     "marker": {"symbol": "triangle-down", "size": 11, "color": COLOURS["infusion"]},
                     "hovertemplate": "%{x|%-d %b %Y}: infusion (%{text})<extra></extra>"})
    therapies = [therapy for therapy in history.therapies if first <= therapy.day <= last]
    if therapies:
        data.append({"type": "scatter", "mode": "markers", "name": "Other therapy", "xaxis": "x",
                     "yaxis": "y", "x": [_iso(therapy.day) for therapy in therapies],
                     "y": [-0.6] * len(therapies),
                     "text": [plain(therapy.kind) for therapy in therapies],
                     "marker": {"symbol": "line-ns-open", "size": 12, "color": COLOURS["therapy"],
                                "line": {"width": 2}},
                     "hovertemplate": "%{x|%-d %b %Y}: %{text}<extra></extra>"})
    mood_days = [day for day in days if day in mood]
    data.append({"type": "scatter", "mode": "lines+markers", "name": "Mood (higher is better)",
                 "xaxis": "x", "yaxis": "y2", "x": [_iso(day) for day in mood_days],
                 "y": [int(mood[day]) for day in mood_days],
                 "marker": {"size": 5, "color": COLOURS["mood"]}, "line": {"width": 1},
                 "hovertemplate": "%{x|%a %-d %b %Y}: mood %{y}<extra></extra>"})
    mme_days = [day for day in days if day in mme]
    data.append({"type": "scatter", "mode": "lines+markers", "name": "Opioids (MME/day)",
                 "xaxis": "x", "yaxis": "y3", "x": [_iso(day) for day in mme_days],
                 "y": [chart_number(mme[day], 1) for day in mme_days],
                 "marker": {"size": 5, "color": COLOURS["mme"]}, "line": {"width": 1, "shape": "hv"},
                 "hovertemplate": "%{x|%a %-d %b %Y}: %{y} MME/day<extra></extra>"})
    bands = [item for item in history.series
             if item.infusions and item.last_day >= first and item.first_day <= last]
    shapes = [{"type": "rect", "xref": "x", "yref": "paper", "layer": "below",
               "x0": f"{item.first_day - timedelta(days=1)} 12:00",  # half a day either
               "x1": f"{item.last_day} 12:00",  # side of the span
               "y0": 0, "y1": 1, "fillcolor": COLOURS["band"], "line": {"width": 0}}
              for item in bands]
    layout = _layout(
        560, margin={"l": 8, "r": 8, "t": 8 + BAND_ROW_PX * BAND_ROWS, "b": 8}, shapes=shapes,
        annotations=band_labels(bands, first, last),
        xaxis=_axis(type="date", range=[_iso(first - timedelta(days=1)), _iso(last + timedelta(days=1))],
                    anchor="y3"),
        yaxis=_axis(domain=[0.48, 1], range=[-1, 11], title={"text": "Pain"}, dtick=2),
        yaxis2=_axis(domain=[0.25, 0.43], range=[-0.5, 10.5], title={"text": "Mood"}, dtick=5),
        yaxis3=_axis(domain=[0, 0.2], rangemode="tozero", title={"text": "MME"}),
    )
    return figure(data, layout)


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


def before_after(trends: Trends) -> dict:
    """Mean average pain before and after each series, side by side."""
    labels = [category_label(result) for result in trends.series]
    data = []
    for kind, colour in (("before", COLOURS["before"]), ("after", COLOURS["after"])):
        means = [getattr(result.pain, kind).mean for result in trends.series]
        data.append({
            "type": "bar", "name": f"{kind.capitalize()} (mean pain)",
            "x": labels, "y": [chart_number(mean, 1) for mean in means],
            "text": [mean_text(mean) or "not enough data" for mean in means],
            "textposition": "outside", "cliponaxis": False, "marker": {"color": colour},
            "hovertemplate": f"%{{x}}: {kind} %{{text}}<extra></extra>",
        })
    layout = _layout(420, barmode="group",
                     yaxis=_axis(range=[0, 11], dtick=2, title={"text": "Mean pain"}),
                     xaxis=_axis(type="category", tickangle=0, tickfont={"size": 12}))
    return figure(data, layout)


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
    layout = _layout(380, xaxis=_axis(range=[COMPARED_FROM - 1, COMPARED_TO + 1], dtick=14,
                                      title={"text": "Days from the first infusion"}),
                     yaxis=_axis(range=[-0.5, 10.5], dtick=2, title={"text": "Pain"}),
                     shapes=[{"type": "line", "xref": "x", "yref": "paper", "x0": 0, "x1": 0,
                              "y0": 0, "y1": 1, "line": {"dash": "dot", "width": 1}}])
    return figure(data, layout)


def side_effect_points(result, history: History) -> list[tuple[date, str, int]]:
    """(day, symptom, severity) for each side effect logged in a series' before window, its
    infusion days or its after window."""
    first, last = result.before.start, result.after.end
    return [(day, symptom, severity) for day in sorted(history.entries) if first <= day <= last
            for symptom, severity in sorted(history.entries[day].side_effects.items())]


def side_effects(result, history: History) -> dict:
    """Which side effects, how severe and on which days, around one series' infusions."""
    points = side_effect_points(result, history)
    symptoms = sorted({symptom for _, symptom, _ in points},
                      key=lambda key: SIDE_EFFECT_NAMES.get(key, key))
    data = []
    for severity in (1, 2, 3):
        chosen = [(day, symptom) for day, symptom, level in points if level == severity]
        data.append({
            "type": "scatter", "mode": "markers", "name": SEVERITY_NAMES[severity].capitalize(),
            "x": [_iso(day) for day, _ in chosen],
            "y": [SIDE_EFFECT_NAMES.get(symptom, symptom) for _, symptom in chosen],
            "marker": {"symbol": SEVERITY_SYMBOLS[severity], "size": SEVERITY_SIZES[severity],
                       "color": COLOURS["mme"], "line": {"width": 2, "color": COLOURS["mme"]}},
            "hovertemplate": f"%{{x|%a %-d %b}}: %{{y}}, {SEVERITY_NAMES[severity]}<extra></extra>",
        })
    shapes = [{"type": "line", "xref": "x", "yref": "paper", "x0": _iso(infusion.day),
               "x1": _iso(infusion.day), "y0": 0, "y1": 1,
               "line": {"color": COLOURS["infusion"], "width": 2, "dash": "dot"}}
              for infusion in result.series.infusions]
    # A day's room either side, so a marker on the first or last day is drawn whole.
    span = [_iso(result.before.start - timedelta(days=1)), _iso(result.after.end + timedelta(days=1))]
    layout = _layout(150 + 36 * max(len(symptoms), 1), shapes=shapes,
                     xaxis=_axis(type="date", range=span, tickformat="%-d %b"),
                     yaxis=_axis(type="category", categoryorder="array",
                                 categoryarray=[SIDE_EFFECT_NAMES.get(key, key) for key in symptoms]))
    return figure(data, layout)
