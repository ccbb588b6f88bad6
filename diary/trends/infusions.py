"""Each infusion's acute change (rule 14).

14. Acute change = pain right after - pain before (and at 2 h and 24 h when logged); no number
    when either value is missing. Negative is relief.
"""

from dataclasses import dataclass

from diary.trends.history import InfusionRecord


@dataclass(frozen=True)
class InfusionChange:
    infusion: InfusionRecord
    number: int  # 1 for the series' first infusion
    right_after: int | None
    at_2h: int | None
    at_24h: int | None


def _change(later: int | None, before: int | None) -> int | None:
    return None if later is None or before is None else later - before


def infusion_changes(infusions: tuple[InfusionRecord, ...]) -> tuple[InfusionChange, ...]:
    return tuple(
        InfusionChange(infusion, number,
                       _change(infusion.pain_after, infusion.pain_before),
                       _change(infusion.pain_2h, infusion.pain_before),
                       _change(infusion.pain_24h, infusion.pain_before))
        for number, infusion in enumerate(infusions, start=1)
    )
