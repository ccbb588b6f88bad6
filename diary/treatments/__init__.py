"""Treatments: ketamine series and infusions, medications with MME/day, other therapies."""


def init_app(app) -> None:
    from diary.treatments import infusions, medications, series, therapies

    for module in (series, infusions, medications, therapies):
        app.register_blueprint(module.bp)
