"""Opioid use as morphine milligram equivalents per day (MME/day). Pure: no Flask, no database.

The rules, shared with the before/after analysis:
1. A dose's MME is its amount in mg times the drug's factor; a fentanyl patch is logged by its rate
   in mcg/hr on every day it is worn and contributes rate x 2.4 that day (two patches add up).
2. A day's MME/day is the sum over all that day's opioid doses.
3. If any opioid taken that day has no CDC factor, the day has no total (never a partial sum or 0).
4. A day without a medication record is unknown; "No medications today" or only non-opioids is 0.
5. Arithmetic is exact (Decimal).
6. A dose of 0 is "not taken" (a tapering patient types 0): it adds exactly 0, and an opioid
   without a factor taken 0 of does not take the day's total away.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

# Source: CDC Clinical Practice Guideline for Prescribing Opioids for Pain, United States, 2022
# (MMWR Recomm Rep 2022;71(No. RR-3)), Table 1: MME conversion factors. Methadone is one flat
# factor whatever the dose; transdermal fentanyl is per mcg/hr of patch rate.
MME_FACTORS: dict[str, tuple[str, Decimal, str]] = {
    # drug key: (name for patients, factor, unit the amount is logged in)
    "morphine": ("Morphine", Decimal("1"), "mg"),
    "codeine": ("Codeine", Decimal("0.15"), "mg"),
    "hydrocodone": ("Hydrocodone", Decimal("1"), "mg"),
    "hydromorphone": ("Hydromorphone", Decimal("5"), "mg"),
    "oxycodone": ("Oxycodone", Decimal("1.5"), "mg"),
    "oxymorphone": ("Oxymorphone", Decimal("3"), "mg"),
    "tapentadol": ("Tapentadol", Decimal("0.4"), "mg"),
    "tramadol": ("Tramadol", Decimal("0.2"), "mg"),
    "methadone": ("Methadone", Decimal("4.7"), "mg"),
    "fentanyl_patch": ("Fentanyl patch (transdermal)", Decimal("2.4"), "mcg/hr"),
}

# Opioids the guideline gives no factor for: a day with any of them has no MME total.
OPIOIDS_WITHOUT_FACTOR: dict[str, str] = {
    "buprenorphine": "Buprenorphine",
    "fentanyl_other": "Fentanyl (buccal, sublingual or nasal)",
    "other_opioid": "Another opioid",
}

NON_OPIOID = "non_opioid"


def is_opioid(drug: str) -> bool:
    return drug != NON_OPIOID


def logged_unit(drug: str) -> str | None:
    """The one unit an opioid with a factor is logged in (None: the patient chooses)."""
    return MME_FACTORS[drug][2] if drug in MME_FACTORS else None


@dataclass(frozen=True)
class Dose:
    """What was taken of one medicine on a day: ``amount`` in ``unit``."""

    drug: str
    amount: Decimal
    unit: str
    name: str = ""
    medication_id: int | None = None  # the medicine on the patient's list, when stored


@dataclass(frozen=True)
class DoseMME:
    dose: Dose
    mme: Decimal | None  # None for a non-opioid, or an opioid without a CDC factor

    @property
    def opioid(self) -> bool:
        return is_opioid(self.dose.drug)

    @property
    def not_taken(self) -> bool:
        return self.dose.amount == 0

    @property
    def without_factor(self) -> bool:
        """An opioid the day's total cannot include (rule 3)."""
        return self.opioid and self.mme is None


@dataclass(frozen=True)
class DayMME:
    """A day's MME: ``known`` False for no record; ``total`` None also when a factor is missing."""

    known: bool
    total: Decimal | None
    doses: tuple[DoseMME, ...] = ()

    @property
    def without_factor(self) -> bool:
        return any(dose.without_factor for dose in self.doses)


def dose_mme(dose: Dose) -> Decimal | None:
    """Rules 1 and 6. A unit other than the drug's own (a patch in mg) counts as no factor, never a guess."""
    if dose.amount == 0 and is_opioid(dose.drug):
        return Decimal(0)
    if dose.drug not in MME_FACTORS:
        return None
    _, factor, unit = MME_FACTORS[dose.drug]
    if dose.unit != unit:
        return None
    return dose.amount * factor


def day_mme(doses: Iterable[Dose] | None) -> DayMME:
    """Rules 2-4 for one day; ``doses`` None means the day has no medication record."""
    if doses is None:
        return DayMME(known=False, total=None)
    results = tuple(DoseMME(dose, dose_mme(dose)) for dose in doses)
    if any(result.without_factor for result in results):
        return DayMME(known=True, total=None, doses=results)
    total = sum((result.mme for result in results if result.opioid), Decimal(0))
    return DayMME(known=True, total=total, doses=results)


def format_mme(value: Decimal) -> str:
    """28.80 -> "28.8", 15.0 -> "15": exact, without trailing zeros or exponents."""
    text = f"{value.normalize():f}"
    return text
