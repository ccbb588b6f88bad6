"""Reading submitted forms field by field, with a message in the patient's words for each bad one.

A view builds a ``FormReader`` over ``request.form``, asks it for each field, and then either saves
(``reader.ok``) or re-renders the form with ``reader.errors`` (field name -> message) and the values
as typed, with status 422.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from diary.days import parse_day


def as_whole_number(text: str) -> int | None:
    """The text as a non-negative whole number, or None (ASCII digits only, at most 9 of them)."""
    if text.isascii() and text.isdigit() and len(text) <= 9:
        return int(text)
    return None


class FormReader:
    def __init__(self, form):
        self.form = form
        self.errors: dict[str, str] = {}

    @property
    def ok(self) -> bool:
        return not self.errors

    def raw(self, name: str) -> str:
        if name not in self.form:  # most fields of a quick log are left blank: werkzeug's .get
            return ""              # finds a missing one by raising and catching an exception
        return (self.form.get(name) or "").strip()

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def scale(self, name: str, label: str, *, required: bool = False) -> int | None:
        """A 0-10 answer; blank is "not answered"."""
        text = self.raw(name)
        if not text:
            if required:
                self.fail(name, f"Choose a number from 0 to 10 for {label.lower()}")
            return None
        value = as_whole_number(text)
        if value is None or value > 10:
            self.fail(name, f"{label} must be a whole number between 0 and 10")
            return None
        return value

    def text(self, name: str, label: str, *, max_length: int, required: bool = False) -> str | None:
        text = self.raw(name)
        if not text:
            if required:
                self.fail(name, f"Enter {label.lower()}")
            return None
        if len(text) > max_length:
            self.fail(name, f"{label} must be {max_length} characters or fewer (you typed {len(text)})")
            return None
        return text

    def choice(self, name: str, label: str, choices, *, required: bool = False) -> str | None:
        text = self.raw(name)
        if not text:
            if required:
                self.fail(name, f"Choose {label.lower()}")
            return None
        if text not in choices:
            self.fail(name, f"Choose {label.lower()} from the list")
            return None
        return text

    def day(self, name: str, label: str, *, latest: date, required: bool = True) -> date | None:
        """A calendar day no later than ``latest`` (the patient's today)."""
        text = self.raw(name)
        if not text:
            if required:
                self.fail(name, f"Enter {label.lower()}")
            return None
        day = parse_day(text)
        if day is None:
            self.fail(name, f"{label} must be a real date, like {latest.isoformat()}")
            return None
        if day > latest:
            self.fail(name, f"{label} cannot be in the future (today is {latest.isoformat()})")
            return None
        if day.year < 1900:
            self.fail(name, f"{label} must be after 1900")
            return None
        return day

    def number(self, name: str, label: str, *, minimum: Decimal, maximum: Decimal,
               unit: str = "", required: bool = False, places: int = 2) -> Decimal | None:
        """An exact decimal number within bounds (doses, weights)."""
        text = self.raw(name).replace(",", ".")
        if not text:
            if required:
                self.fail(name, f"Enter {label.lower()}")
            return None
        try:
            value = Decimal(text) if len(text) <= 20 else Decimal("NaN")
        except InvalidOperation:
            self.fail(name, f"{label} must be a number")
            return None
        suffix = f" {unit}" if unit else ""
        if not value.is_finite() or not minimum <= value <= maximum:
            self.fail(name, f"{label} must be between {minimum} and {maximum}{suffix}")
            return None
        if value != round(value, places):
            self.fail(name, f"{label} can have at most {places} decimal places")
            return None
        return value

    def whole_number(self, name: str, label: str, *, minimum: int, maximum: int,
                     unit: str = "", required: bool = False) -> int | None:
        text = self.raw(name)
        if not text:
            if required:
                self.fail(name, f"Enter {label.lower()}")
            return None
        suffix = f" {unit}" if unit else ""
        value = as_whole_number(text)
        if value is None or not minimum <= value <= maximum:
            self.fail(name, f"{label} must be a whole number between {minimum} and {maximum}{suffix}")
            return None
        return value
