"""How the code is laid out, where a convention keeps one thing in one place."""

import re
from pathlib import Path

import diary

PACKAGE = Path(diary.__file__).resolve().parent
REGISTERS_FOR_TEMPLATES = re.compile(
    r"template_global|template_filter|template_test|context_processor|jinja_env\.(globals|filters)")


def test_one_module_registers_what_templates_can_call():
    registering = sorted(str(path.relative_to(PACKAGE.parent)) for path in PACKAGE.rglob("*.py")
                         if REGISTERS_FOR_TEMPLATES.search(path.read_text()))
    assert registering == ["diary/templating.py"]


# Blueprints that do not follow the convention yet (landed while the layout was changed).
NAMED_OTHERWISE = {"password_reset"}  # /password, diary/password_reset.py, templates/password_reset


def test_each_blueprint_with_a_url_prefix_shares_its_name_with_its_module_and_templates(app):
    """/trends is served by diary.trends_views from templates/trends; /treatments/... by
    diary.treatments from templates/treatments: the first part of the URL names both."""
    for blueprint in app.blueprints.values():
        if not blueprint.url_prefix or blueprint.name in NAMED_OTHERWISE:
            continue
        concern = blueprint.url_prefix.strip("/").split("/")[0]
        assert blueprint.import_name.split(".")[1].startswith(concern), blueprint.name
        assert (PACKAGE.parent / "templates" / concern).is_dir(), blueprint.name
