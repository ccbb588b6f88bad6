"""What every chart shares: colours, the phone rules, date ticks and panels stacked in pixels. Pure.

Phone rules for every figure: no information only on hover (a tap shows a point's label), the
legend below the plot, no mode bar, no drag-zoom that would trap the page's scrolling, a size
that follows the page (``responsive``), and panel titles written horizontally above their panel
(rotated axis titles of short panels ran into each other on a 360 px phone).
"""

from datetime import date, timedelta

# Okabe-Ito colours: told apart with the common colour-vision deficiencies. Each one that marks
# a daily point has at least 3:1 contrast on both the light (#ffffff) and dark (#14181c) page.
COLOURS = {"pain": "#4a90c8", "mean": "#0072B2", "mood": "#009E73", "mme": "#D55E00",
           "infusion": "#CC79A7", "therapy": "#4a90c8", "band": "rgba(230,159,0,0.18)",
           "before": "#999999", "after": "#0072B2"}
DARK_COLOURS = {"mean": "#9ccff0", "after": "#7fb6ea"}  # on a dark page the darker blue fades
PAGE_BACKGROUNDS = {"light": "#ffffff", "dark": "#14181c"}  # static/css/app.css --bg
SERIES_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")

CONFIG = {"displayModeBar": False, "responsive": True, "scrollZoom": False,
          "doubleClick": False, "showTips": False}
FONT_PX, SMALL_FONT_PX = 14, 12
PANEL_TITLE_PX = 24  # the row above a panel that holds its title
PANEL_GAP_PX = 8
TICKS_PX = 28  # the date tick labels under the bottom panel
LEGEND_ROW_PX = 24
DATE_RIGHT_PX = 28  # room for half of the last date label: plotly hides a label past the edge


def plain(text: str) -> str:
    """The patient's own words in a plotly label: its pseudo-HTML (<b>, <a href>) must not apply."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def iso(day: date) -> str:
    return day.isoformat()


def axis(**more) -> dict:
    return {"fixedrange": True, "automargin": True, "gridcolor": "rgba(128,128,128,0.25)",
            "zeroline": False, **more}


def base_layout(height: int, **more) -> dict:
    return {
        "height": height, "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
        "hovermode": "closest", "dragmode": False,
        # Below everything, in the figure's own space: static/js/charts.js makes room for it
        # when a narrow screen wraps it onto more rows, so it never covers a tick label.
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "yref": "container", "y": 0,
                   "yanchor": "bottom", "font": {"size": SMALL_FONT_PX + 1}},
        "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)",
        "font": {"size": FONT_PX, "family": "system-ui, sans-serif"},
        "hoverlabel": {"namelength": -1}, **more,
    }


def figure(data: list, layout: dict, dark: list | None = None) -> dict:
    """A figure; ``dark`` lists [trace index, property, colour] to use on a dark page."""
    result = {"data": data, "layout": layout, "config": CONFIG}
    if dark:
        result["dark"] = dark
    return result


TICK_STEPS = (1, 2, 3, 7, 14, 21, 28, 56, 91, 182, 273, 364)  # days between date ticks
FEWEST_TICKS, MOST_TICKS = 4, 5  # 5 labels fit a 360 px phone's plot without touching
LEFT_CLEAR = 0.08  # no tick this close to the left edge: its label would run into the y ticks


def date_ticks(first: date, last: date) -> dict:
    """Axis settings with 4 to 6 date ticks, counted back from ``last`` (today, on the timeline),
    so a narrow phone never shows only two. Fewer only when there are fewer days."""
    span = (last - first).days
    choices = []
    for step in TICK_STEPS:
        every = [last - timedelta(days=step * n) for n in range(span // step + 1)]
        clear = [day for day in every if (day - first).days >= span * LEFT_CLEAR]
        choices.append((step, clear if len(clear) >= FEWEST_TICKS else every))
    step, ticks = next((choice for choice in choices
                        if FEWEST_TICKS <= len(choice[1]) <= MOST_TICKS),
                       next(choice for choice in choices if len(choice[1]) <= MOST_TICKS))
    return {"type": "date", "tickmode": "array", "tickvals": [iso(day) for day in reversed(ticks)],
            "tickformat": "%b %Y" if step >= 91 else "%-d %b", "tickfont": {"size": SMALL_FONT_PX},
            "range": [iso(first - timedelta(days=1)), iso(last + timedelta(days=1))]}


def stacked_panels(panels: list[tuple[str, int]], top_px: int, bottom_px: int) -> tuple[int, dict]:
    """The figure height and each panel's y domain, for panels of the given heights (px), top to
    bottom, each with its title row above it. Returns (height, {name: [low, high]})."""
    titles = PANEL_TITLE_PX * len(panels) + PANEL_GAP_PX * (len(panels) - 1)
    plot_px = sum(px for _, px in panels) + titles
    height = top_px + plot_px + bottom_px
    domains, bottom = {}, 0
    for name, px in reversed(panels):
        domains[name] = [round(bottom / plot_px, 4), round((bottom + px) / plot_px, 4)]
        bottom += px + PANEL_TITLE_PX + PANEL_GAP_PX
    return height, domains


def panel_title(text: str, domain_top: float) -> dict:
    """A panel's title, written horizontally just above it, at the left edge."""
    return {"xref": "paper", "yref": "paper", "x": 0, "xanchor": "left", "y": domain_top,
            "yanchor": "bottom", "yshift": 2, "showarrow": False, "text": text,
            "font": {"size": SMALL_FONT_PX + 1}}
