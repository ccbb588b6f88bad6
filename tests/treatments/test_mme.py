"""MME/day by the rules, against values computed by hand from the CDC 2022 factors."""

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from diary.treatments.mme import MME_FACTORS, Dose, day_mme, dose_mme, format_mme

ROOT = Path(__file__).resolve().parents[2]


def mg(drug: str, amount: str) -> Dose:
    return Dose(drug=drug, amount=Decimal(amount), unit="mg")


def patch(rate: str) -> Dose:
    return Dose(drug="fentanyl_patch", amount=Decimal(rate), unit="mcg/hr")


@pytest.mark.parametrize("dose, expected", [
    (mg("morphine", "30"), "30"),          # 30 x 1
    (mg("codeine", "240"), "36"),          # 240 x 0.15
    (mg("hydrocodone", "20"), "20"),       # 20 x 1
    (mg("hydromorphone", "8"), "40"),      # 8 x 5
    (mg("oxycodone", "10"), "15"),         # 10 x 1.5
    (mg("oxymorphone", "10"), "30"),       # 10 x 3
    (mg("tapentadol", "100"), "40"),       # 100 x 0.4
    (mg("tramadol", "50"), "10"),          # 50 x 0.2
    (mg("methadone", "10"), "47"),         # 10 x 4.7
    (mg("methadone", "60"), "282"),        # flat factor: 60 x 4.7, whatever the dose
    (patch("25"), "60"),                   # 25 mcg/hr x 2.4
    (mg("codeine", "7.5"), "1.125"),       # 7.5 x 0.15, exactly
])
def test_each_listed_opioid_converts_with_its_cdc_factor(dose, expected):
    assert dose_mme(dose) == Decimal(expected)
    assert day_mme([dose]).total == Decimal(expected)


def test_the_factor_table_is_exactly_the_cdc_2022_table():
    assert {drug: factor for drug, (_, factor, _) in MME_FACTORS.items()} == {
        "morphine": Decimal("1"), "codeine": Decimal("0.15"), "hydrocodone": Decimal("1"),
        "hydromorphone": Decimal("5"), "oxycodone": Decimal("1.5"), "oxymorphone": Decimal("3"),
        "tapentadol": Decimal("0.4"), "tramadol": Decimal("0.2"), "methadone": Decimal("4.7"),
        "fentanyl_patch": Decimal("2.4")}


def test_arithmetic_is_exact():
    result = day_mme([patch("12")])
    assert result.total == Decimal("28.8")
    assert str(result.total) == "28.8"
    assert format_mme(result.total) == "28.8"
    assert day_mme([mg("tramadol", "0.1"), mg("codeine", "0.2")]).total == Decimal("0.05")


def test_several_opioids_on_one_day_add_up():
    # oxycodone 20 x 1.5 = 30; morphine 15 x 1 = 15; tramadol 100 x 0.2 = 20; total 65
    result = day_mme([mg("oxycodone", "20"), mg("morphine", "15"), mg("tramadol", "100"),
                      Dose(drug="non_opioid", amount=Decimal("900"), unit="mg", name="Gabapentin")])
    assert result.total == Decimal("65")
    assert [item.mme for item in result.doses] == [Decimal("30"), Decimal("15"), Decimal("20"), None]


def test_a_patch_counts_on_every_day_it_is_worn():
    days = [day_mme([patch("12")]) for _ in range(3)]
    assert [day.total for day in days] == [Decimal("28.8")] * 3


def test_two_patches_worn_together_add_their_rates():
    # (25 + 12) mcg/hr x 2.4 = 88.8
    assert day_mme([patch("25"), patch("12")]).total == Decimal("88.8")


@pytest.mark.parametrize("drug", ["buprenorphine", "fentanyl_other", "other_opioid"])
def test_an_opioid_without_a_factor_leaves_the_day_without_a_total(drug):
    result = day_mme([mg("oxycodone", "10"), Dose(drug=drug, amount=Decimal("8"), unit="mg")])
    assert result.known is True
    assert result.total is None  # never the partial 15, never 0
    assert result.without_factor
    assert [item.without_factor for item in result.doses] == [False, True]


def test_a_patch_logged_in_mg_is_never_guessed():
    result = day_mme([Dose(drug="fentanyl_patch", amount=Decimal("25"), unit="mg")])
    assert result.total is None and result.without_factor


def test_no_record_is_unknown_and_no_medications_is_zero():
    unknown = day_mme(None)
    assert (unknown.known, unknown.total) == (False, None)
    nothing = day_mme([])
    assert (nothing.known, nothing.total) == (True, Decimal(0))
    only_non_opioids = day_mme([Dose(drug="non_opioid", amount=Decimal("600"), unit="mg")])
    assert (only_non_opioids.known, only_non_opioids.total) == (True, Decimal(0))


@pytest.mark.parametrize("value, text", [("28.80", "28.8"), ("15.0", "15"), ("100", "100"),
                                         ("0.00", "0"), ("1.125", "1.125")])
def test_mme_is_written_without_trailing_zeros(value, text):
    assert format_mme(Decimal(value)) == text


def test_the_mme_module_is_pure():
    """Loaded on its own (the diary package itself builds a Flask app), it pulls in neither
    Flask nor the database."""
    code = ("import importlib.util, sys; "
            "spec = importlib.util.spec_from_file_location('mme', 'diary/treatments/mme.py'); "
            "spec.loader.exec_module(importlib.util.module_from_spec(spec)); "
            "print(sorted(m for m in ('flask', 'sqlalchemy', 'sqlmodel', 'diary') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=ROOT)
    assert result.stdout.strip() == "[]"


def test_a_dose_of_0_is_taken_nothing_exactly():
    # 0 x 1.5 = 0 and 10 x 1 = 10; the 0 of buprenorphine (no factor) was not taken, so the day
    # keeps its total; a 0 patch in mg is no guess either, just nothing.
    day = day_mme([mg("oxycodone", "0"), mg("morphine", "10"), mg("buprenorphine", "0"),
                   mg("fentanyl_patch", "0")])
    assert day.total == Decimal("10") and not day.without_factor
    assert [dose.mme for dose in day.doses] == [Decimal(0), Decimal(10), Decimal(0), Decimal(0)]
    assert day_mme([mg("oxycodone", "0")]).total == Decimal(0)
    assert day_mme([mg("buprenorphine", "0"), mg("buprenorphine", "0.01")]).total is None
