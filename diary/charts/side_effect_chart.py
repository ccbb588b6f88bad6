"""The side effects around one series: from the diary and at its infusions, by day and severity.
Pure: an analysed series and its History in, a plain plotly figure dict out.

One row per side effect across the full width, its name written above the row (names as tick
labels took two thirds of a phone's width); severity by shape, where it was logged by colour
and in the legend, never by colour alone; a thin line on each infusion day.
"""

from dataclasses import dataclass
from datetime import date

from diary.charts.layout import (
    COLOURS, DATE_RIGHT_PX, LEGEND_ROW_PX, SMALL_FONT_PX, TICKS_PX, axis, base_layout, date_ticks,
    figure, iso, plain,
)
from diary.side_effects import SEVERITY_NAMES, SIDE_EFFECT_NAMES
from diary.trends.analysis import SeriesAnalysis
from diary.trends.history import History

SEVERITY_SYMBOLS = {1: "circle-open", 2: "circle", 3: "diamond"}  # shape, not colour alone
SEVERITY_SIZES = {1: 8, 2: 11, 3: 14}
ROW_PX = 56  # a row: its name at the top, its marks below it
MARK_AT = 0.15  # the marks sit below the middle of their row, clear of the name
MIN_PLOT_PX = 120
WHERE = {"diary": ("In the diary", COLOURS["mme"]), "infusion": ("At an infusion", COLOURS["infusion"])}


@dataclass(frozen=True)
class SideEffectPoint:
    day: date
    symptom: str
    severity: int
    where: str  # "diary", or "infusion" (during or after one of the series' infusions)
    detail: str = ""  # "during infusion 4"


def side_effect_points(result: SeriesAnalysis, history: History) -> list[SideEffectPoint]:
    """Each side effect logged in the diary from the series' first before day to its last after
    day, and each one logged on its infusions, by day."""
    first, last = result.before.start, result.after.end
    points = [SideEffectPoint(day, symptom, severity, "diary")
              for day in sorted(history.entries) if first <= day <= last
              for symptom, severity in sorted(history.entries[day].side_effects.items())]
    points += [SideEffectPoint(change.infusion.day, effect.symptom, effect.severity, "infusion",
                               f"{effect.phase} infusion {change.number}")
               for change in result.infusions for effect in change.infusion.side_effects]
    return sorted(points, key=lambda point: (point.day, point.where, point.symptom))


def name_of(symptom: str) -> str:
    return SIDE_EFFECT_NAMES.get(symptom, symptom)


def side_effects(result: SeriesAnalysis, history: History) -> dict:
    """Which side effects, how severe and on which days, around one series' infusions."""
    points = side_effect_points(result, history)
    symptoms = sorted({point.symptom for point in points}, key=name_of)
    row_of = {symptom: number for number, symptom in enumerate(symptoms)}
    data = []
    for where, (label, colour) in WHERE.items():
        for severity in (1, 2, 3):
            chosen = [point for point in points if point.where == where and point.severity == severity]
            if not chosen:
                continue
            data.append({
                "type": "scatter", "mode": "markers",
                "name": f"{label}: {SEVERITY_NAMES[severity]}",
                "x": [iso(point.day) for point in chosen],
                "y": [row_of[point.symptom] + MARK_AT for point in chosen],
                "text": [plain(f"{name_of(point.symptom)}, {SEVERITY_NAMES[severity]}"
                               + (f", {point.detail}" if point.detail else "")) for point in chosen],
                "marker": {"symbol": SEVERITY_SYMBOLS[severity], "size": SEVERITY_SIZES[severity],
                           "color": colour, "line": {"width": 2, "color": colour}},
                "hovertemplate": "%{x|%a %-d %b}: %{text}<extra></extra>",
            })
    shapes = [{"type": "line", "xref": "x", "yref": "paper", "x0": iso(change.infusion.day),
               "x1": iso(change.infusion.day), "y0": 0, "y1": 1, "layer": "below",
               "line": {"color": COLOURS["infusion"], "width": 1, "dash": "dot"}}
              for change in result.infusions]
    # Each name at the top of its row, from the plot's left edge; a thin line between rows.
    names = [{"xref": "paper", "yref": "y", "x": 0, "xanchor": "left", "y": row - 0.5,
              "yanchor": "top", "yshift": -1, "showarrow": False, "text": plain(name_of(symptom)),
              "font": {"size": SMALL_FONT_PX + 1}}
             for symptom, row in row_of.items()]
    shapes += [{"type": "line", "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": row + 0.5,
                "y1": row + 0.5, "layer": "below", "line": {"color": "rgba(128,128,128,0.35)", "width": 1}}
               for row in range(len(symptoms) - 1)]
    rows = max(len(symptoms), 1)
    plot_px = max(rows * ROW_PX, MIN_PLOT_PX)
    bottom = TICKS_PX + 2 * LEGEND_ROW_PX + 8
    ticks = date_ticks(result.before.start, result.after.end)
    layout = base_layout(
        plot_px + 8 + bottom, margin={"l": 8, "r": DATE_RIGHT_PX, "t": 8, "b": bottom}, shapes=shapes,
        annotations=names, showlegend=True,
        xaxis=axis(**ticks),
        # Rows from the top, each ROW_PX high (row n spans n - 0.5 to n + 0.5).
        yaxis=axis(range=[rows - 0.5, -0.5], showticklabels=False, showgrid=False,
                   tickvals=list(range(rows))))
    return figure(data, layout)
