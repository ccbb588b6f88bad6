"""Rule 14: each infusion's acute change in pain."""

from diary.trends.analysis import analyse
from diary.trends.history import InfusionRecord, SeriesRecord

from tests.trends.builders import day, history


def test_acute_change_per_infusion_with_no_number_when_a_value_is_missing():
    infusions = (
        InfusionRecord(1, day(0), pain_before=7, pain_after=3, pain_2h=4, pain_24h=5),
        InfusionRecord(2, day(2), pain_before=6, pain_after=6),  # 2 h and 24 h not logged
        InfusionRecord(3, day(4), pain_after=2, pain_24h=3),  # no "before": no change at all
        InfusionRecord(4, day(6), pain_before=5, pain_24h=7),
    )
    result = analyse(history(all_series=[SeriesRecord(1, "Spring", infusions=infusions)])).series[0]
    assert [(c.number, c.right_after, c.at_2h, c.at_24h) for c in result.infusions] == [
        (1, -4, -3, -2), (2, 0, None, None), (3, None, None, None), (4, None, None, 2)]
