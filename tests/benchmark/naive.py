"""The diary plus the naive timeline, for comparison only (never part of the app).

The naive way builds a plotly.express figure from a DataFrame and renders it with ``to_html``,
plotly.js included, on every request.
"""

import pandas
import plotly.express as px
from flask_login import current_user, login_required

from diary import create_app
from diary.loaded_history import load_history

app = create_app()


@app.route("/naive/timeline")
@login_required
def naive_timeline():
    history = load_history(current_user._get_current_object())
    frame = pandas.DataFrame(
        {"day": list(history.entries), "pain": [entry.pain_avg for entry in history.entries.values()]})
    frame["mean"] = frame["pain"].rolling(7, min_periods=4).mean()
    figure = px.scatter(frame, x="day", y="pain")
    figure.add_scatter(x=frame["day"], y=frame["mean"], mode="lines", name="7-day mean")
    return figure.to_html(include_plotlyjs=True)
