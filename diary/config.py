"""Every setting of the diary, declared once: its environment variable, default and help.

Settings come only from environment variables prefixed ``DIARY_``. The README table is checked
against ``SETTINGS`` by a test, so a setting cannot go undocumented. Parsers are strict: a typo in a
boolean stops the app at start rather than silently meaning "off", and so does a misspelled name
(``DIARY_HTTP`` for ``DIARY_HTTPS``), which would otherwise leave the real setting at its default.

What stops the start is a ``StartupError``: one line saying what to do, and an exit status of its
own (sysexits.h numbers) on which the README's systemd unit stops restarting.
"""

import difflib
import os
import pwd
import re
import secrets
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError


class StartupError(Exception):
    """The diary cannot start; the message says what to do, in one line."""

    exit_status = 1


class SettingError(StartupError, ValueError):
    """A setting's name or value cannot be used; the message names the variable."""

    exit_status = 78  # EX_CONFIG


class FolderError(StartupError):
    """A folder or file the diary needs cannot be created or written."""

    exit_status = 73  # EX_CANTCREAT


@contextmanager
def one_line_on_startup_error():
    """A StartupError ends the process with its one line on stderr and its own exit status."""
    try:
        yield
    except StartupError as error:
        print(f"The diary cannot start: {error}", file=sys.stderr, flush=True)
        raise SystemExit(error.exit_status) from None


def parse_bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise SettingError(f"{name} must be true or false, not {raw!r}")


def parse_int(name: str, raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise SettingError(f"{name} must be a whole number, not {raw!r}") from None


def parse_count(minimum: int) -> Callable[[str, str], int]:
    def parse(name: str, raw: str) -> int:
        value = parse_int(name, raw.strip())
        if value < minimum:
            raise SettingError(f"{name} must be {minimum} or more, not {raw!r}")
        return value

    return parse


def parse_public_url(name: str, raw: str) -> str:
    """An http(s) base address without a trailing slash, or "" for unset."""
    value = raw.strip().rstrip("/")
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise SettingError(f"{name} must be an address like https://diary.example.org, not {raw!r}")
    return value


HOST_NAME = re.compile(r"\.?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")


def parse_host_names(name: str, raw: str) -> list[str]:
    """Host names separated by commas; a leading dot allows every subdomain (".example.org")."""
    names = [part.strip().lower() for part in raw.split(",") if part.strip()]
    for host in names:
        if not HOST_NAME.fullmatch(host):
            raise SettingError(f"{name} must be host names like diary.example.org, separated by "
                               f"commas (no https://, port or path), not {host!r}")
    return names


def parse_database_url(name: str, raw: str) -> str:
    """A URL SQLAlchemy understands, or "" for the SQLite file in the instance folder."""
    value = raw.strip()
    if value:
        try:
            make_url(value)
        except ArgumentError:
            raise SettingError(f"{name} must be a database URL like "
                               f"postgresql+psycopg://user:password@host/dbname, not {raw!r}") from None
    return value


def parse_bind(name: str, raw: str) -> str:
    """``host:port`` (gunicorn's form), or ``unix:/path`` for a socket."""
    value = raw.strip()
    host, _, port = value.rpartition(":")
    if not value.startswith("unix:") and not (host and port.isdigit() and int(port) < 65536):
        raise SettingError(f"{name} must be host:port like 127.0.0.1:8000, not {raw!r}")
    return value


def parse_choice(*choices: str) -> Callable[[str, str], str]:
    def parse(name: str, raw: str) -> str:
        value = raw.strip().lower()
        if value not in choices:
            raise SettingError(f"{name} must be one of {', '.join(choices)}, not {raw!r}")
        return value

    return parse


def parse_text(name: str, raw: str) -> str:
    return raw.strip()


def parse_lines(name: str, raw: str) -> tuple[str, ...]:
    """Text in lines separated by ``|`` (an environment file holds one line per variable)."""
    lines = tuple(line.strip() for line in raw.split("|") if line.strip())
    if not lines:
        raise SettingError(f"{name} must not be empty: it is shown to a patient who may be in danger")
    return lines


# Shown on the safety page until the admin writes their country's crisis lines.
CRISIS_RESOURCES_DEFAULT = (
    "If you might act on these thoughts, or you are in danger now, call your local emergency "
    "number (112 in the EU, 999 in the UK, 911 in the US and Canada, 000 in Australia) or go to "
    "the nearest emergency department. | "
    "The person who runs this diary has not yet added the crisis lines for your country. "
    "Administrator: set DIARY_CRISIS_RESOURCES to your country's emergency number and crisis lines.")


@dataclass(frozen=True)
class Setting:
    name: str  # environment variable
    key: str  # key in app.config
    default: str  # as documented; "" means "derived" (see help)
    help: str
    parse: Callable[[str, str], object] = parse_text


SETTINGS = (
    Setting("DIARY_INSTANCE_PATH", "INSTANCE_PATH", "",
            "Folder for the diary's own files: the SQLite database, the generated secret key. "
            "Default: `instance/` in the checkout. Must be writable by the user running the diary."),
    Setting("DIARY_DATABASE_URL", "DATABASE_URL", "",
            "Database URL. Default: a SQLite file `diary.sqlite3` in the instance folder. "
            "For PostgreSQL: `postgresql+psycopg://user:password@host/dbname`.", parse_database_url),
    Setting("DIARY_SECRET_KEY", "SECRET_KEY", "",
            "Signs sessions and CSRF tokens. Default: generated once into `instance/secret_key` "
            "(mode 0600). `DIARY_SECRET_KEY_FILE` reads it from a file instead."),
    Setting("DIARY_HTTPS", "HTTPS", "false",
            "Set to true when the diary is served over HTTPS: cookies become Secure and HSTS is sent.",
            parse_bool),
    Setting("DIARY_LOG_LEVEL", "LOG_LEVEL", "INFO",
            "Log level for the server log on stdout (DEBUG, INFO, WARNING, ERROR).",
            parse_choice("debug", "info", "warning", "error")),
    Setting("DIARY_BIND", "BIND", "127.0.0.1:8000",
            "Where the production server (gunicorn) listens, as `host:port`. Keep it on 127.0.0.1 "
            "behind a reverse proxy.", parse_bind),
    Setting("DIARY_WORKERS", "WORKERS", "2",
            "Number of gunicorn worker processes; each serves one request at a time. "
            "2 suits a 1-CPU, 1 GB server.", parse_count(1)),
    Setting("DIARY_TRUSTED_PROXIES", "TRUSTED_PROXIES", "0",
            "How many reverse proxies (Caddy, nginx) stand in front of the diary. Their "
            "`X-Forwarded-*` headers are believed only when this is 1 or more, so links and "
            "secure cookies work behind the proxy and nobody can fake them without one.",
            parse_count(0)),
    Setting("DIARY_PUBLIC_URL", "PUBLIC_URL", "",
            "The diary's public address, like `https://diary.example.org`, used for links that "
            "leave the browser (share links for a clinician). Unset: the address of the request, "
            "if its host is allowed (`DIARY_TRUSTED_HOSTS`).", parse_public_url),
    Setting("DIARY_TRUSTED_HOSTS", "TRUSTED_HOST_NAMES", "",
            "Other host names the diary answers to, separated by commas, like `diary.clinic.lan` "
            "(`.example.org` allows its subdomains). Loopback (`localhost`, `127.0.0.1`) and the "
            "host of `DIARY_PUBLIC_URL` are always allowed; a request for any other host gets a "
            "400 page, so no link is ever built from a made-up `Host` header.", parse_host_names),
    Setting("DIARY_RATELIMIT_STORAGE_URL", "RATELIMIT_STORAGE_URL", "database://",
            "Where failed logins, sign-ups and share-link guesses are counted. `database://`: in "
            "the diary's own database, one count for all workers (and for several servers on one "
            "PostgreSQL); `redis://host:6379/0` to take the counting off the database (README "
            "\"Several servers\"); `memory://` counts per worker process, so only for tests."),
    Setting("DIARY_CRISIS_RESOURCES", "CRISIS_RESOURCES", CRISIS_RESOURCES_DEFAULT,
            "Crisis lines for your country, shown on the safety page after a PHQ-9 item 9 answer "
            "other than \"Not at all\". Lines separated by `|`, e.g. `In an emergency call 999. | "
            "Samaritans: call 116 123 (free, any time).` The default names the emergency numbers "
            "and says that the admin has not set this yet: set it.", parse_lines),
    Setting("DIARY_SMTP_HOST", "SMTP_HOST", "",
            "Mail server for reminder e-mails and forgot-password links, like `smtp.example.org`. "
            "Unset: the diary sends no e-mail, reminders go by Web Push only and the login page "
            "says to ask the admin for a new password. Needs `DIARY_SMTP_FROM` and "
            "`DIARY_PUBLIC_URL` (e-mails carry links)."),
    Setting("DIARY_SMTP_PORT", "SMTP_PORT", "587", "The mail server's port.", parse_count(1)),
    Setting("DIARY_SMTP_SECURITY", "SMTP_SECURITY", "starttls",
            "`starttls` (port 587), `tls` (port 465) or `none` (a relay on the same machine only).",
            parse_choice("starttls", "tls", "none")),
    Setting("DIARY_SMTP_USERNAME", "SMTP_USERNAME", "", "User name at the mail server, if it asks for one."),
    Setting("DIARY_SMTP_PASSWORD", "SMTP_PASSWORD", "", "Password at the mail server, if it asks for one."),
    Setting("DIARY_SMTP_FROM", "SMTP_FROM", "",
            "The sender of the diary's e-mails, like `Pain diary <diary@example.org>`."),
)


# DIARY_* names that are read but are not app.config settings.
OTHER_NAMES = (
    "DIARY_SECRET_KEY_FILE",  # an alternative to DIARY_SECRET_KEY (read_secret_key)
    "DIARY_TEST_DATABASE_URL",  # read by the test suite only (tests/databases.py)
    "DIARY_TEST_REDIS_URL",  # read by the test suite only (tests/databases.py)
)
KNOWN_NAMES = tuple(setting.name for setting in SETTINGS) + OTHER_NAMES


def check_names(environ: dict) -> None:
    """Stop at a DIARY_* variable that is no setting, naming the closest real one."""
    for name in sorted(environ):
        if name.startswith("DIARY_") and name not in KNOWN_NAMES:
            closest = difflib.get_close_matches(name, KNOWN_NAMES, n=1, cutoff=0)[0]
            raise SettingError(f"{name} is not a setting of the diary; did you mean {closest}? "
                               "(README \"Settings\" lists them all)")


def setting_value(name: str, environ: dict):
    """One setting, parsed; for code that runs before the app exists (gunicorn.conf.py)."""
    check_names(environ)
    setting = next(setting for setting in SETTINGS if setting.name == name)
    return setting.parse(setting.name, environ.get(setting.name, setting.default))


def read_secret_key(environ: dict, instance_path: str) -> str:
    """The secret key from the environment, a file named there, or one generated into instance/."""
    if environ.get("DIARY_SECRET_KEY"):
        return environ["DIARY_SECRET_KEY"]
    if environ.get("DIARY_SECRET_KEY_FILE"):
        path = Path(environ["DIARY_SECRET_KEY_FILE"])
        try:
            return path.read_text().strip()
        except OSError as error:
            raise SettingError(f"DIARY_SECRET_KEY_FILE cannot be read: {error}") from None
    path = Path(instance_path) / "secret_key"
    try:
        if not path.exists():
            # Created with mode 0600 from the start, so the key is never readable by others.
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as file:
                file.write(secrets.token_hex(32))
        return path.read_text().strip()
    except PermissionError:
        user = user_name()
        raise FolderError(f"{path} cannot be {'read' if path.exists() else 'created'} by user "
                          f"{user}: chown it (chown -R {user}: {instance_path})") from None


def user_name() -> str:
    """Who runs the diary (not $USER, which runuser and sudo may leave as root's)."""
    return pwd.getpwuid(os.geteuid()).pw_name


def prepare_instance_folder(instance_path: str) -> None:
    """Create the instance folder (mode 0700) and make sure this user can write in it."""
    user = user_name()
    try:
        os.makedirs(instance_path, mode=0o700, exist_ok=True)
    except OSError as error:
        raise FolderError(f"the instance folder {instance_path} cannot be created by user {user} "
                          f"({error.strerror}): create it with `install -d -o {user} -m 700 "
                          f"{instance_path}` or set DIARY_INSTANCE_PATH") from None
    if not os.access(instance_path, os.W_OK | os.X_OK):
        # Under the README's unit a folder outside ReadWritePaths= is read-only even to its owner.
        raise FolderError(f"the instance folder {instance_path} is not writable by user {user}: "
                          f"chown it (chown -R {user}: {instance_path}); under systemd it must "
                          "also be in ReadWritePaths=")


def load_settings(environ: dict, instance_path: str) -> dict:
    """Parse every setting from ``environ`` into app.config keys."""
    check_names(environ)
    config = {}
    for setting in SETTINGS:
        raw = environ.get(setting.name, setting.default)
        config[setting.key] = setting.parse(setting.name, raw)
    if not config["DATABASE_URL"]:
        config["DATABASE_URL"] = f"sqlite:///{Path(instance_path) / 'diary.sqlite3'}"
    config["INSTANCE_PATH"] = instance_path
    config["SECRET_KEY"] = read_secret_key(environ, instance_path)
    config["LOG_LEVEL"] = config["LOG_LEVEL"].upper()
    check_mail_settings(config)
    return config


def check_mail_settings(config: dict) -> None:
    """E-mail needs a sender and an address for its links; say so at start, not at the first send."""
    if not config["SMTP_HOST"]:
        return
    for key, name in (("SMTP_FROM", "DIARY_SMTP_FROM"), ("PUBLIC_URL", "DIARY_PUBLIC_URL")):
        if not config[key]:
            raise SettingError(f"DIARY_SMTP_HOST is set, so {name} must be set too "
                               "(the sender and the links of the diary's e-mails)")
