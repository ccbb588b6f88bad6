"""Treatments: ketamine series and infusions, medications with MME/day, other therapies."""


def init_app(app) -> None:
    from diary.treatments import infusions, medications, series, therapies
    from diary.treatments.forms import CHOICE_NAMES, plain_number, treatment_noun
    from diary.treatments.mme import format_mme

    for module in (series, infusions, medications, therapies):
        app.register_blueprint(module.bp)
    app.add_template_global(CHOICE_NAMES, "treatment_names")
    app.add_template_global(treatment_noun)
    app.add_template_filter(format_mme, "mme")
    app.add_template_filter(plain_number, "plain_number")
