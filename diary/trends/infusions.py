"""Each infusion's acute change (rule 14), the one place it is computed.

14. Acute change = pain right after - pain before (and at 2 h and 24 h when logged); no number
    when either value is missing. Negative is relief.
"""

from dataclasses import dataclass

from diary.trends.history import InfusionRecord


@dataclass(frozen=True)
class AcuteChange:
    """An infusion's pain change from right before: None where either value is missing."""

    right_after: int | None
    at_2h: int | None
    at_24h: int | None


@dataclass(frozen=True)
class InfusionChange(AcuteChange):
    """An infusion of an analysed series with its acute change."""

    infusion: InfusionRecord
    number: int  # 1 for the series' first infusion


def _change(later: int | None, before: int | None) -> int | None:
    return None if later is None or before is None else later - before


def acute_change(infusion) -> AcuteChange:
    """``infusion``: anything with pain_before, pain_after, pain_2h and pain_24h (an
    InfusionRecord, or the stored row the series page shows)."""
    before = infusion.pain_before
    return AcuteChange(_change(infusion.pain_after, before), _change(infusion.pain_2h, before),
                       _change(infusion.pain_24h, before))


def infusion_changes(infusions: tuple[InfusionRecord, ...]) -> tuple[InfusionChange, ...]:
    return tuple(InfusionChange(**vars(acute_change(infusion)), infusion=infusion, number=number)
                 for number, infusion in enumerate(infusions, start=1))
