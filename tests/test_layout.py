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
