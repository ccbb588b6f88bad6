"""The analysis and the questionnaires' scoring are pure: importing them loads neither Flask nor
the database layer."""

import subprocess
import sys


def test_the_analysis_and_the_questionnaire_scoring_import_without_flask_or_the_database():
    code = (
        "import sys\n"
        "import diary.trends.analysis, diary.trends.display, diary.trends.windows\n"
        "import diary.trends.outcomes, diary.trends.durability, diary.trends.infusions\n"
        "import diary.trends.still_needed\n"
        "import diary.questionnaires.items, diary.questionnaires.scoring, diary.questionnaires.fields\n"
        "import diary.questionnaires.figure, diary.questionnaires.fhir, diary.questionnaires.report\n"
        # What renders the history chooses the words for its keys, without Flask as well.
        "import diary.treatments.choices, diary.charts.figures, diary.sharing.report\n"
        "loaded = [name for name in ('flask', 'sqlmodel', 'sqlalchemy', 'diary.db')"
        " if name in sys.modules]\n"
        "print(','.join(loaded))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
