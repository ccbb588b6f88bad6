"""Rounding happens only here, for display: halves away from zero, a true minus, never "-0"."""

from fractions import Fraction

import pytest

from diary.trends.display import change_text, mean_text, percent_text, share_text

MINUS = "\u2212"


@pytest.mark.parametrize("value, mean, change, percent", [
    (Fraction(49, 10), "4.9", "+4.9", "+5 %"),
    (Fraction(17, 4), "4.3", "+4.3", "+4 %"),
    (Fraction(-59, 2), f"{MINUS}29.5", f"{MINUS}29.5", f"{MINUS}30 %"),
    (Fraction(-1, 30), "0.0", "0.0", "0 %"),
    (Fraction(0), "0.0", "0.0", "0 %"),
    (Fraction(-200, 3), f"{MINUS}66.7", f"{MINUS}66.7", f"{MINUS}67 %"),
])
def test_rounding_for_display(value, mean, change, percent):
    assert (mean_text(value), change_text(value), percent_text(value)) == (mean, change, percent)


def test_missing_values():
    assert percent_text(None) == "n/a" and mean_text(None) == "" and share_text(Fraction(3, 14)) == "21 %"


def test_decimals_and_whole_numbers_are_written_exactly_too():
    from decimal import Decimal
    assert mean_text(Decimal("28.85")) == "28.9" and change_text(-4) == f"{MINUS}4.0"
