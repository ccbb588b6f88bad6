"""When a reminder is due: pure rules, no database (diary.reminders.due)."""

from datetime import date, datetime, time

from diary.reminders.due import InfusionStart, PatientReminders, due_reminders, is_quiet


def patient(now: str, **values) -> PatientReminders:
    return PatientReminders(patient_id=1, local_now=datetime.fromisoformat(now),
                            times=values.pop("times", (time(8), time(20))),
                            logged_today=values.pop("logged_today", False), **values)


def kinds(reminders) -> list[tuple[str, str]]:
    return [(reminder.kind, reminder.reference) for reminder in reminders]


def test_only_the_latest_time_passed_today_is_due():
    assert kinds(due_reminders(patient("2026-03-02T07:59"))) == []
    assert kinds(due_reminders(patient("2026-03-02T08:00"))) == [("daily", "2026-03-02 08:00")]
    assert kinds(due_reminders(patient("2026-03-02T21:00"))) == [("daily", "2026-03-02 20:00")]


def test_a_logged_day_or_not_today_means_no_daily_reminder():
    assert due_reminders(patient("2026-03-02T09:00", logged_today=True)) == []
    assert due_reminders(patient("2026-03-02T09:00", snoozed_day=date(2026, 3, 2))) == []
    assert kinds(due_reminders(patient("2026-03-03T09:00", snoozed_day=date(2026, 3, 2)))) == [
        ("daily", "2026-03-03 08:00")]


def test_quiet_hours_may_cross_midnight():
    assert is_quiet(time(23), time(22), time(7)) and is_quiet(time(6, 59), time(22), time(7))
    assert not is_quiet(time(7), time(22), time(7)) and not is_quiet(time(12), time(22), time(7))
    assert is_quiet(time(13), time(12), time(14)) and not is_quiet(time(14), time(12), time(14))
    assert not is_quiet(time(3), None, None)


def test_follow_ups_come_2_and_24_hours_after_the_start_while_the_pain_is_missing():
    infusion = InfusionStart(7, 3, datetime(2026, 3, 2, 9, 0), True, True)
    at = lambda now, **values: kinds(due_reminders(patient(now, times=(), infusions=(infusion,), **values)))
    assert at("2026-03-02T10:59") == []
    assert at("2026-03-02T11:00") == [("2h", "7")]
    assert at("2026-03-03T09:00") == [("24h", "7")]
    assert at("2026-03-03T09:00", after_infusion=False) == []
    answered = InfusionStart(7, 3, datetime(2026, 3, 2, 9, 0), False, False)
    assert kinds(due_reminders(patient("2026-03-02T11:00", times=(), infusions=(answered,)))) == []
