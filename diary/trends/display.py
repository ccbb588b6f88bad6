"""How exact results are written for people: the one place where numbers are rounded.

Means and changes to 1 decimal, percent to a whole number, halves away from zero (4.25 -> 4.3,
-29.5 -> -30), a true minus sign, and never "-0". Classes and comparisons never use these strings:
they are decided on the exact fractions (see diary.trends.outcomes).
"""

from fractions import Fraction

MINUS = "\N{MINUS SIGN}"


def _rounded_scaled(value, places: int) -> int:
    """value x 10^places rounded half away from zero, in integers only (charts round thousands)."""
    numerator, denominator = value.numerator, value.denominator  # int, Fraction and Decimal-free
    magnitude = (2 * abs(numerator) * 10 ** places + denominator) // (2 * denominator)
    return -magnitude if numerator < 0 else magnitude


def round_half_away(value: Fraction, places: int) -> Fraction:
    return Fraction(_rounded_scaled(Fraction(value), places), 10 ** places)


def _write(value, places: int, signed: bool) -> str:
    rounded = round_half_away(Fraction(value), places)  # Decimal and int are exact too
    magnitude = abs(rounded)
    text = f"{magnitude.numerator // magnitude.denominator}"
    if places:
        fraction = (magnitude - magnitude.numerator // magnitude.denominator) * 10 ** places
        text += "." + f"{int(fraction):0{places}d}"
    if rounded < 0:
        return MINUS + text
    return ("+" + text) if signed and rounded > 0 else text


def mean_text(value: Fraction | None) -> str:
    return "" if value is None else _write(value, 1, signed=False)


def change_text(value: Fraction | None) -> str:
    return "" if value is None else _write(value, 1, signed=True)


def points_text(value: int | None) -> str:
    """A whole-number change on a 0-10 scale (an infusion's acute change): "−4", "+1", "0"."""
    return "" if value is None else _write(Fraction(value), 0, signed=True)


def percent_text(value: Fraction | None) -> str:
    return "n/a" if value is None else _write(value, 0, signed=True) + " %"


def share_text(value: Fraction | None) -> str:
    """A share (0..1) as a whole percent: 3/14 -> "21 %"."""
    return "" if value is None else _write(value * 100, 0, signed=False) + " %"


def share_points_text(value: Fraction | None) -> str:
    """A change of a share (0..1) in whole percentage points: -3/14 -> "−21 percentage points"."""
    return "" if value is None else _write(value * 100, 0, signed=True) + " percentage points"


def day_text(day) -> str:
    """A date in words, as every page and the printed report write it: "Wednesday 16 December 2026"."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def day_span_text(first, last) -> str:
    """Two days in short words: "3–17 Nov 2026", "28 Oct – 5 Nov 2026", "3 Nov 2026"."""
    if first == last:
        return f"{first.day} {first:%b %Y}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {last:%b %Y}"
    if first.year == last.year:
        return f"{first.day} {first:%b} – {last.day} {last:%b %Y}"
    return f"{first.day} {first:%b %Y} – {last.day} {last:%b %Y}"


def chart_number(value: Fraction | None, places: int = 2) -> float | None:
    """A value for a chart's axis: a float is fine there, it only places a point."""
    if value is None:
        return None
    if isinstance(value, int):
        return float(value)
    return _rounded_scaled(value, places) / 10 ** places
