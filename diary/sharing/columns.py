"""What an imported row must satisfy: the form field of each column, and the rules across columns.

Every column of every exported table is checked by the very field its form reads
(diary.entries.forms, diary.treatments.fields, diary.side_effects), and a row by the same rules
across answers the forms apply (an "Other" needs its words, an opioid its unit, an infusion
cannot start after now). A row the import accepts is a row a patient could have typed.
Ids and references are not answers: the import checks those itself.
"""

from decimal import Decimal

from diary.entries.forms import COLUMNS as ENTRY_COLUMNS
from diary.fields import Invalid, When
from diary.questionnaires.fields import COLUMNS as QUESTIONNAIRE_COLUMNS
from diary.questionnaires.fields import missing_items_problem
from diary.side_effects import detail_problem
from diary.treatments.fields import COLUMNS as TREATMENT_COLUMNS
from diary.treatments.fields import amount
from diary.treatments.forms import other_problem, start_time_problem, unit_problem

COLUMNS = ENTRY_COLUMNS | TREATMENT_COLUMNS | QUESTIONNAIRE_COLUMNS


def other_described(choice: str, labelled_by: str):
    """An "Other" choice needs its words, and only "Other" keeps them (the form drops the rest)."""
    other = f"{choice}_other"

    def rule(values: dict, when: When, units: dict):
        label = COLUMNS[labelled_by][other].label
        if problem := other_problem(values[choice], values[other], label):
            return other, problem
        if values[choice] != "other" and values[other]:
            return other, f"{label} is kept only when the choice is Other"
        return None

    return rule


def side_effect_detail(values: dict, when: When, units: dict):
    problem = detail_problem(values["symptom"], values["detail"])
    return ("detail", problem) if problem else None


def infusion_start(values: dict, when: When, units: dict):
    problem = start_time_problem(values["day"], values["start_time"], when.now)
    return ("start_time", problem) if problem else None


def medication_unit(values: dict, when: When, units: dict):
    if problem := unit_problem(values["drug"], values["unit"]):
        return "unit", problem
    return amount_in("usual_dose", "Usual dose", values["usual_dose"], values["unit"])


def dose_amount(values: dict, when: When, units: dict):  # units by medication number
    return amount_in("amount", "Amount", values["amount"], units.get(values["medication_id"]))


def questionnaire_items(values: dict, when: When, units: dict):
    return missing_items_problem(values["kind"], values)


def amount_in(column: str, label: str, value: Decimal | None, unit: str | None):
    """The amount checked against the most its medicine's unit allows."""
    if value is None:
        return None
    try:
        amount(label, unit).check(str(value))
    except Invalid as problem:
        return column, str(problem)
    return None


ROW_RULES = {
    "entry_side_effect": (side_effect_detail,),
    "infusion_series": (other_described("condition", "infusion_series"),
                        other_described("route", "infusion_series")),
    "infusion": (infusion_start,),
    "infusion_side_effect": (side_effect_detail,),
    "medication": (medication_unit,),
    "medication_dose": (dose_amount,),
    "therapy_event": (other_described("kind", "therapy_event"),),
    "questionnaire_answer": (questionnaire_items,),
}
