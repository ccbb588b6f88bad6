"""Reading submitted forms field by field, with a message in the patient's words for each bad one.

A view builds a ``FormReader`` over ``request.form``, asks it for each field, and then either saves
(``reader.ok``) or re-renders the form with ``reader.errors`` (field name -> message) and the values
as typed, with status 422. The rules themselves live in ``diary.fields``, shared with the import;
the short methods below (``scale``, ``text``, ...) build a field on the spot for forms whose
answers are not diary data (sign-in, settings, share links).
"""

from datetime import date, datetime, time
from decimal import Decimal

from diary.fields import (
    Choice, Day, Field, Invalid, Number, Scale, Text, When, WholeNumber,
)


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

    def read(self, name: str, field: Field, when: When | None = None):
        """The field's value, or None with its message in ``errors``."""
        try:
            return field.check(self.raw(name), when)
        except Invalid as problem:
            self.fail(name, str(problem))
            return None

    def scale(self, name: str, label: str, *, required: bool = False) -> int | None:
        return self.read(name, Scale(label, required))

    def text(self, name: str, label: str, *, max_length: int, required: bool = False) -> str | None:
        return self.read(name, Text(label, required, max_length))

    def choice(self, name: str, label: str, choices, *, required: bool = False) -> str | None:
        return self.read(name, Choice(label, required, tuple(choices)))

    def day(self, name: str, label: str, *, latest: date, required: bool = True) -> date | None:
        """A calendar day no later than ``latest`` (the patient's today)."""
        return self.read(name, Day(label, required), When(datetime.combine(latest, time())))

    def number(self, name: str, label: str, *, minimum: Decimal, maximum: Decimal,
               unit: str = "", required: bool = False, places: int = 2) -> Decimal | None:
        return self.read(name, Number(label, required, minimum, maximum, unit, places))

    def whole_number(self, name: str, label: str, *, minimum: int, maximum: int,
                     unit: str = "", required: bool = False) -> int | None:
        return self.read(name, WholeNumber(label, required, minimum, maximum, unit))
