"""Calendar days in the patient's time zone. Pure: no Flask, no database.

A diary day is the date on the patient's own wall clock: logging at 23:30 in Honolulu lands on
that Honolulu date, even though it is already tomorrow in UTC.
"""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


def is_time_zone(name: str) -> bool:
    if not name or name not in available_time_zones():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


_ZONES: tuple[str, ...] = ()


def available_time_zones() -> tuple[str, ...]:
    """IANA zone names, sorted; computed once (it reads the zone database)."""
    global _ZONES
    if not _ZONES:
        _ZONES = tuple(sorted(available_timezones()))
    return _ZONES


def utc_now() -> datetime:
    """The current instant; the one clock of the app (tests set it)."""
    return datetime.now(timezone.utc)


def today_in(time_zone: str, now: datetime | None = None) -> date:
    """The patient's today. ``now`` must be aware (defaults to the current instant)."""
    instant = now or utc_now()
    return instant.astimezone(ZoneInfo(time_zone)).date()


def patient_today(patient, now: datetime | None = None) -> date:
    """Today for ``patient`` (anything with a ``time_zone``: the logged-in patient, an account
    row): the day a diary entry made now lands on, in the patient's own time zone."""
    return today_in(patient.time_zone, now)


def parse_day(text: str) -> date | None:
    """A YYYY-MM-DD date, or None when the text is not one."""
    try:
        return date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        return None


def local_now(time_zone: str, now: datetime | None = None) -> datetime:
    """The patient's wall-clock date and time, without a zone (as they would write it down)."""
    instant = now or utc_now()
    return instant.astimezone(ZoneInfo(time_zone)).replace(tzinfo=None, second=0, microsecond=0)


def parse_month(text: str) -> date | None:
    """A YYYY-MM month as its first day, or None when the text is not one."""
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        return date(year, month, 1) if len(text.strip()) == 7 else None
    except (ValueError, AttributeError):
        return None


def month_days(first: date) -> list[date]:
    """Every day of the month that starts on ``first``."""
    following = next_month(first)
    return [date.fromordinal(n) for n in range(first.toordinal(), following.toordinal())]


def next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def previous_month(first: date) -> date:
    return date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
