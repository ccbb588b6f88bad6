"""The README documents every setting, so a self-hoster never has to read the code."""

import re
from pathlib import Path

from diary.config import SETTINGS

README = Path(__file__).resolve().parent.parent / "README.md"


def settings_table_names() -> set[str]:
    return set(re.findall(r"^\|\s*`(DIARY_[A-Z_]+)`", README.read_text(), flags=re.MULTILINE))


def test_every_setting_is_in_the_readme_table():
    missing = {setting.name for setting in SETTINGS} - settings_table_names()
    assert not missing, f"add these to the README settings table: {sorted(missing)}"


def test_the_readme_lists_no_setting_that_does_not_exist():
    known = {setting.name for setting in SETTINGS} | {"DIARY_SECRET_KEY_FILE"}
    assert settings_table_names() - known == set()


def test_readme_starts_with_the_two_commands():
    head = README.read_text()[:1500]
    assert "make run" in head and "make test" in head
