"""The PHQ-9 and GAD-7 as published: wording, answer options, score bands and LOINC codes. Pure.

Both questionnaires are free to use (Spitzer, Williams, Kroenke and colleagues, Pfizer; "no
permission required to reproduce, translate, display or distribute"). The wording below is the
published English text; only the answers' storage (0-3) is ours.
"""

from dataclasses import dataclass

PHQ9, GAD7 = "phq9", "gad7"
KINDS = (PHQ9, GAD7)

RECALL = "Over the last 2 weeks, how often have you been bothered by any of the following problems?"

# The published answer options of every item, with the points each scores.
ANSWERS = ((0, "Not at all"), (1, "Several days"), (2, "More than half the days"), (3, "Nearly every day"))
ANSWER_WORDS = dict(ANSWERS)

# The closing question of both forms; it is not part of the total.
DIFFICULTY_QUESTION = ("If you checked off any problems, how difficult have these problems made it "
                       "for you to do your work, take care of things at home, or get along with "
                       "other people?")
DIFFICULTIES = ((0, "Not difficult at all"), (1, "Somewhat difficult"), (2, "Very difficult"),
                (3, "Extremely difficult"))
DIFFICULTY_WORDS = dict(DIFFICULTIES)


@dataclass(frozen=True)
class Questionnaire:
    kind: str
    name: str  # as clinicians write it
    title: str  # what it asks about, in the patient's words
    items: tuple[str, ...]
    bands: tuple[tuple[int, str], ...]  # (highest total of the band, its name), lowest first

    @property
    def maximum(self) -> int:
        return 3 * len(self.items)


QUESTIONNAIRES = {
    PHQ9: Questionnaire(
        PHQ9, "PHQ-9", "Mood (depression)",
        items=(
            "Little interest or pleasure in doing things",
            "Feeling down, depressed, or hopeless",
            "Trouble falling or staying asleep, or sleeping too much",
            "Feeling tired or having little energy",
            "Poor appetite or overeating",
            "Feeling bad about yourself — or that you are a failure or have let yourself or your "
            "family down",
            "Trouble concentrating on things, such as reading the newspaper or watching television",
            "Moving or speaking so slowly that other people could have noticed? Or the opposite — "
            "being so fidgety or restless that you have been moving around a lot more than usual",
            "Thoughts that you would be better off dead or of hurting yourself in some way",
        ),
        # Kroenke, Spitzer, Williams 2001 (J Gen Intern Med 16:606)
        bands=((4, "minimal"), (9, "mild"), (14, "moderate"), (19, "moderately severe"), (27, "severe"))),
    GAD7: Questionnaire(
        GAD7, "GAD-7", "Anxiety",
        items=(
            "Feeling nervous, anxious or on edge",
            "Not being able to stop or control worrying",
            "Worrying too much about different things",
            "Trouble relaxing",
            "Being so restless that it is hard to sit still",
            "Becoming easily annoyed or irritable",
            "Feeling afraid as if something awful might happen",
        ),
        # Spitzer, Kroenke, Williams, Löwe 2006 (Arch Intern Med 166:1092)
        bands=((4, "minimal"), (9, "mild"), (14, "moderate"), (21, "severe"))),
}

SAFETY_KIND, SAFETY_ITEM = PHQ9, 9  # "Thoughts that you would be better off dead ..."

# LOINC codes (loinc.org panels 44249-1 and 69737-5): the panel, its items in order, the total.
LOINC = {
    PHQ9: {"panel": "44249-1", "total": "44261-6", "difficulty": "69722-7",
           "items": ("44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5",
                     "44253-3", "44260-8")},
    GAD7: {"panel": "69737-5", "total": "70274-6", "difficulty": None,
           "items": ("69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7")},
}
# LOINC answer list LL358-3, "Not at all" ... "Nearly every day", by points.
LOINC_ANSWERS = ("LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9")
# LOINC answer list LL359-1, "Not difficult at all" ... "Extremely difficult", by our 0-3.
LOINC_DIFFICULTIES = ("LA6572-7", "LA6573-5", "LA6575-0", "LA6574-3")
