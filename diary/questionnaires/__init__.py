"""PHQ-9 and GAD-7: answering them, the safety path after PHQ-9 item 9, and their change
around each series.

``items`` (the published text) and ``scoring`` are pure; ``queries`` reads and writes the
database; ``views`` are the pages. Flask is imported only by ``init_app``'s imports.
"""


def init_app(app) -> None:
    from diary.questionnaires import views

    app.register_blueprint(views.bp)
