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


def self_hosting() -> str:
    return README.read_text().split("## Self-hosting", 1)[1].split("\n## ", 1)[0]


def test_the_caddyfile_compresses():
    caddyfile = self_hosting().split("/etc/caddy/Caddyfile <<'END'\n", 1)[1].split("\nEND", 1)[0]
    assert "encode zstd gzip" in caddyfile


def test_cron_is_installed_and_a_failed_backup_is_reported():
    install = next(line for line in self_hosting().splitlines() if line.startswith("apt-get install"))
    assert " cron " in install
    cron_line = next(line for line in self_hosting().splitlines() if line.startswith("30 3 * * * root"))
    backup, _, on_failure = cron_line.partition(" || ")
    assert backup.split()[6:8] == ["systemd-cat", "-t"]  # its lines go to the journal
    assert "logger -s" in on_failure and "$?" in on_failure  # the exit status: journal, and mail


def test_the_backup_section_says_what_a_restore_does_to_sessions():
    text = " ".join(self_hosting().split())
    assert "not the secret key" in text and "a restore ends every session" in text
