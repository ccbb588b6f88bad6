""""Took my usual doses": one tap on "Log today" records each active medication's usual dose.

It fills in today's medication record (diary.treatments.queries.save_day) with the usual dose of
every active medication that has one, keeping any other amount already logged that day. Tapping
it again changes nothing, so it neither doubles a dose nor bumps the data version a second time.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from diary.models import Medication
from diary.treatments.queries import amounts_on, doses_by_day, medications, save_day


@dataclass(frozen=True)
class MedicationsToday:
    """What "Log today" shows about the day's medications."""

    recorded: list[tuple[str, Decimal, str]] | None  # (name, amount, unit); None: no record yet
    usual: list[Medication]  # active medications with a usual dose, by name
    without_usual: list[Medication]  # active medications without one
    all_usual_recorded: bool  # tapping "Took my usual doses" would change nothing

    @property
    def offered(self) -> bool:
        return bool(self.usual) and not self.all_usual_recorded


def usual_amounts(listed: list[Medication]) -> dict[int, Decimal]:
    return {medication.id: medication.usual_dose for medication in listed
            if medication.usual_dose is not None}


def medications_today(patient_id: int, day: date) -> MedicationsToday:
    listed = medications(patient_id)
    doses = doses_by_day(patient_id, [day]).get(day)
    logged = None if doses is None else {dose.medication_id: dose.amount for dose in doses}
    usual = usual_amounts(listed)
    return MedicationsToday(
        recorded=None if doses is None else [(dose.name, dose.amount, dose.unit) for dose in doses],
        usual=[medication for medication in listed if medication.id in usual],
        without_usual=[medication for medication in listed if medication.id not in usual],
        all_usual_recorded=logged is not None and all(logged.get(i) == a for i, a in usual.items()))


def record_usual_doses(patient_id: int, day: date) -> bool:
    """Record the usual doses on ``day``; False when there is none or they are all recorded
    already (then nothing is written)."""
    usual = usual_amounts(medications(patient_id))
    logged = amounts_on(patient_id, day)
    wanted = {**(logged or {}), **usual}
    if not usual or wanted == logged:
        return False
    save_day(patient_id, day, wanted)  # bumps the data version, in its transaction
    return True
