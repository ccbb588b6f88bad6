"""The rule for each kind of answer a patient gives, written once.

A field (a 0-10 scale, a date, a dose, a choice from a list, a note) turns the text typed into
its value, or raises ``Invalid`` with a message in the patient's words. The forms read their
fields through ``diary.forms.FormReader``; the CSV import checks every cell against the field of
the form that would have created it (``diary.sharing.importing``), so an imported diary can hold
nothing a patient could not have typed. Pure: no Flask, no database.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from diary.days import parse_day

EARLIEST_YEAR = 1900
# NUL and the other control characters a keyboard cannot type (tab and line breaks can be).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Invalid(ValueError):
    """The answer cannot be taken; ``str()`` is the message for the patient."""


@dataclass(frozen=True)
class When:
    """The patient's own wall-clock now, which days and times are checked against."""

    now: datetime

    @property
    def today(self) -> date:
        return self.now.date()


def as_whole_number(text: str) -> int | None:
    """The text as a non-negative whole number, or None (ASCII digits only, at most 9 of them)."""
    if text.isascii() and text.isdigit() and len(text) <= 9:
        return int(text)
    return None


@dataclass(frozen=True)
class Field:
    label: str
    required: bool = False

    def check(self, text: str, when: When | None = None):
        """The value of ``text`` (already stripped); None when left blank and not required."""
        if not text:
            if self.required:
                raise Invalid(self.missing())
            return None
        return self.value(text, when)

    def missing(self) -> str:
        return f"Enter {self.label.lower()}"

    def value(self, text: str, when: When | None):
        raise NotImplementedError


@dataclass(frozen=True)
class Scale(Field):
    """A 0-10 answer; blank is "not answered"."""

    def missing(self) -> str:
        return f"Choose a number from 0 to 10 for {self.label.lower()}"

    def value(self, text, when):
        value = as_whole_number(text)
        if value is None or value > 10:
            raise Invalid(f"{self.label} must be a whole number between 0 and 10")
        return value


@dataclass(frozen=True)
class Text(Field):
    max_length: int = 80

    def value(self, text, when):
        if len(text) > self.max_length:
            raise Invalid(f"{self.label} must be {self.max_length} characters or fewer "
                          f"(you typed {len(text)})")
        if CONTROL_CHARACTERS.search(text):
            raise Invalid(f"{self.label} contains a control character that cannot be stored: "
                          "remove it and try again")
        return text


@dataclass(frozen=True)
class Choice(Field):
    choices: tuple[str, ...] = ()

    def missing(self) -> str:
        return f"Choose {self.label.lower()}"

    def value(self, text, when):
        if text not in self.choices:
            raise Invalid(f"Choose {self.label.lower()} from the list")
        return text


@dataclass(frozen=True)
class Day(Field):
    """A calendar day from 1900 to the patient's today."""

    def value(self, text, when):
        day = parse_day(text)
        if day is None:
            raise Invalid(f"{self.label} must be a real date, like {when.today.isoformat()}")
        if day > when.today:
            raise Invalid(f"{self.label} cannot be in the future (today is {when.today.isoformat()})")
        if day.year < EARLIEST_YEAR:
            raise Invalid(f"{self.label} must be after {EARLIEST_YEAR}")
        return day


@dataclass(frozen=True)
class TimeOfDay(Field):
    """A wall-clock time like 09:30, kept to the minute."""

    def missing(self) -> str:
        return f"Enter the {self.label.lower()}, like 09:30"

    def value(self, text, when):
        try:
            moment = time.fromisoformat(text) if len(text) <= 8 else None
        except ValueError:
            moment = None
        if moment is None:
            raise Invalid(f"{self.label} must be a time of day, like 09:30")
        return moment.replace(second=0, microsecond=0)


@dataclass(frozen=True)
class Number(Field):
    """An exact decimal number within bounds (doses, weights)."""

    minimum: Decimal = Decimal("0")
    maximum: Decimal = Decimal("0")
    unit: str = ""
    places: int = 2

    def value(self, text, when):
        text = text.replace(",", ".")
        try:
            value = Decimal(text) if len(text) <= 20 else Decimal("NaN")
        except InvalidOperation:
            raise Invalid(f"{self.label} must be a number") from None
        suffix = f" {self.unit}" if self.unit else ""
        if not value.is_finite() or not self.minimum <= value <= self.maximum:
            raise Invalid(f"{self.label} must be between {self.minimum} and {self.maximum}{suffix}")
        if value != round(value, self.places):
            raise Invalid(f"{self.label} can have at most {self.places} decimal places")
        return value


@dataclass(frozen=True)
class WholeNumber(Field):
    minimum: int = 0
    maximum: int = 0
    unit: str = ""

    def value(self, text, when):
        value = as_whole_number(text)
        if value is None or not self.minimum <= value <= self.maximum:
            suffix = f" {self.unit}" if self.unit else ""
            raise Invalid(f"{self.label} must be a whole number between {self.minimum} and "
                          f"{self.maximum}{suffix}")
        return value


@dataclass(frozen=True)
class YesNo(Field):
    """A checkbox, written "true" or "false" in an export."""

    def value(self, text, when):
        if text not in ("true", "false"):
            raise Invalid(f"{self.label} must be true or false")
        return text == "true"


@dataclass(frozen=True)
class Moment(Field):
    """When a row was written: an aware date and time, from 1900 up to now."""

    def value(self, text, when):
        try:
            moment = datetime.fromisoformat(text) if len(text) <= 40 else None
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            raise Invalid(f"{self.label} must be a date and time with its offset, "
                          "like 2026-01-31T08:00:00+00:00")
        if moment.year < EARLIEST_YEAR or (moment.date() - when.today).days > 1:  # a day for zones
            raise Invalid(f"{self.label} must be between {EARLIEST_YEAR} and now")
        return moment


@dataclass(frozen=True)
class Points(Choice):
    """One of a questionnaire's answers, chosen by its text and stored as its points."""

    def value(self, text, when):
        return int(super().value(text, when))
