"""The PHQ-9 and GAD-7 totals over time as a plain plotly figure dict, with each band's lower
edge drawn and named and each series shaded. Pure, like diary.charts.figures, whose phone rules
it follows (legend below, no mode bar, no zoom, labels on tap)."""

from datetime import date

from diary.questionnaires.items import GAD7, PHQ9, QUESTIONNAIRES
from diary.questionnaires.scoring import Answered

CONFIG = {"displayModeBar": False, "responsive": True, "scrollZoom": False,
          "doubleClick": False, "showTips": False}
COLOURS = {PHQ9: "#0072B2", GAD7: "#D55E00", "series": "rgba(230,159,0,0.18)", "edge": "#777777"}
AXES = {PHQ9: ("x", "y", "xaxis", "yaxis", (0.55, 1.0)), GAD7: ("x2", "y2", "xaxis2", "yaxis2", (0.0, 0.42))}


def plain(text: str) -> str:
    """A series' name in a plotly label: its pseudo-HTML must not apply."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def band_edges(kind: str) -> list[tuple[int, str]]:
    """(lowest total, band name) of every band above the first: where a line is drawn."""
    bands = QUESTIONNAIRES[kind].bands
    return [(highest + 1, name) for (highest, _), (_, name) in zip(bands, bands[1:])]


def questionnaire_figure(answered: list[Answered], series: list, first: date, last: date) -> dict:
    """PHQ-9 above, GAD-7 below, complete ones only (an incomplete one has no total); a PHQ-9
    with question 9 answered is a larger diamond and says so on tap. ``series`` are records with
    ``name``, ``first_day`` and ``last_day``."""
    data, shapes, annotations, layout = [], [], [], {}
    for kind in (PHQ9, GAD7):
        questionnaire = QUESTIONNAIRES[kind]
        xaxis, yaxis, xname, yname, domain = AXES[kind]
        shown = [item for item in answered if item.kind == kind and item.complete and first <= item.day <= last]
        data.append({
            "type": "scatter", "mode": "lines+markers", "name": f"{questionnaire.name} total",
            "xaxis": xaxis, "yaxis": yaxis, "x": [item.day.isoformat() for item in shown],
            "y": [item.total for item in shown],
            "text": [f"{item.band}{', question 9 answered' if item.safety_flag else ''}" for item in shown],
            "marker": {"color": COLOURS[kind], "size": [14 if item.safety_flag else 9 for item in shown],
                       "symbol": ["diamond" if item.safety_flag else "circle" for item in shown]},
            "line": {"color": COLOURS[kind], "width": 2},
            "hovertemplate": f"%{{x|%a %-d %b %Y}}: {questionnaire.name} %{{y}} (%{{text}})<extra></extra>"})
        for edge, name in band_edges(kind):
            shapes.append({"type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": yaxis,
                           "y0": edge, "y1": edge, "line": {"color": COLOURS["edge"], "width": 1, "dash": "dot"}})
            annotations.append({"xref": "paper", "x": 1, "xanchor": "right", "yref": yaxis, "y": edge,
                                "yanchor": "bottom", "showarrow": False, "text": f"{name} from {edge}",
                                "font": {"size": 11, "color": COLOURS["edge"]}})
        layout[xname] = {"type": "date", "range": [first.isoformat(), last.isoformat()], "fixedrange": True,
                         "automargin": True, "anchor": yaxis, "gridcolor": "rgba(128,128,128,0.25)"}
        layout[yname] = {"range": [0, questionnaire.maximum + 1], "fixedrange": True, "automargin": True,
                         "domain": list(domain), "title": {"text": questionnaire.name},
                         "gridcolor": "rgba(128,128,128,0.25)", "zeroline": False}
    for item in series:
        if item.first_day is None or item.last_day < first or item.first_day > last:
            continue
        for xaxis, yaxis in (("x", "y"), ("x2", "y2")):
            shapes.append({"type": "rect", "xref": xaxis, "yref": f"{yaxis} domain", "y0": 0, "y1": 1,
                           "x0": item.first_day.isoformat(), "x1": item.last_day.isoformat(),
                           "fillcolor": COLOURS["series"], "line": {"width": 0}, "layer": "below"})
        annotations.append({"xref": "x", "x": item.first_day.isoformat(), "xanchor": "left",
                            "yref": "paper", "y": 1, "yanchor": "bottom", "showarrow": False,
                            "text": plain(item.name), "font": {"size": 12}})
    layout.update({
        "height": 420, "margin": {"l": 8, "r": 8, "t": 24, "b": 8}, "hovermode": "closest",
        "dragmode": False, "shapes": shapes, "annotations": annotations,
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "yref": "container", "y": 0,
                   "yanchor": "bottom"},
        "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)",
        "font": {"size": 14, "family": "system-ui, sans-serif"}, "hoverlabel": {"namelength": -1}})
    return {"data": data, "layout": layout, "config": CONFIG}
