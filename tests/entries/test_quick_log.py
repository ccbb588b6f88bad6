"""The quick log: one tap on the pain scale, then Save."""

from datetime import date

from sqlmodel import select

from diary.models import Entry, EntrySideEffect
from tests.html import parse


def test_the_today_page_offers_eleven_pain_buttons_with_worded_ends(as_alice, clock):
    clock.set("2026-03-10T09:00", "Europe/London")
    page = parse(as_alice.get("/today"))
    scale = page.find("fieldset", id="pain_avg")
    buttons = scale.find_all("input", {"type": "radio", "name": "pain_avg"})
    assert [button["value"] for button in buttons] == [str(n) for n in range(11)]
    ends = scale.select_one(".scale-ends").get_text(" ", strip=True)
    assert ends == "0 no pain 10 worst pain imaginable"
    assert page.find("input", {"name": "day"})["value"] == "2026-03-10"


def test_one_tap_and_save_stores_today(as_alice, db, alice, clock):
    clock.set("2026-03-10T09:00", "Europe/London")
    response = as_alice.post("/entries", data={"day": "2026-03-10", "pain_avg": "6"})
    assert response.status_code == 302 and response.location == "/today"
    entry = db.exec(select(Entry)).one()
    assert (entry.patient_id, entry.day, entry.pain_avg) == (alice.id, date(2026, 3, 10), 6)
    assert entry.pain_worst is None and entry.mood is None
    assert db.exec(select(EntrySideEffect)).all() == []
    page = parse(as_alice.get("/today"))
    assert "Saved: pain 6" in page.select_one(".flash-success").get_text()
    assert "already logged" in page.select_one(".lead").get_text()


def test_the_today_page_edits_todays_entry_once_it_exists(as_alice, db, clock):
    clock.set("2026-03-10T09:00", "Europe/London")
    as_alice.post("/entries", data={"day": "2026-03-10", "pain_avg": "6"})
    form = parse(as_alice.get("/today")).select_one("form.entry-form")
    entry = db.exec(select(Entry)).one()
    assert form["action"] == f"/entries/{entry.id}"
    assert form.find("input", {"name": "pain_avg", "checked": True})["value"] == "6"
    as_alice.post(form["action"], data={"day": "2026-03-10", "pain_avg": "3"})
    db.expire_all()
    assert [e.pain_avg for e in db.exec(select(Entry))] == [3]


def test_a_full_entry_stores_every_field(as_alice, db, clock):
    clock.set("2026-03-10T09:00", "Europe/London")
    form = {"day": "2026-03-10", "pain_avg": "5", "pain_worst": "8", "interference_enjoyment": "6",
            "interference_activity": "7", "mood": "4", "sleep_quality": "3",
            "se_dissociation": "moderate", "se_nausea": "mild", "se_bladder": "severe",
            "se_dizziness": "none", "se_other": "mild", "se_other_text": "metallic taste",
            "notes": "Infusion day. Slept badly."}
    assert as_alice.post("/entries", data=form).status_code == 302
    entry = db.exec(select(Entry)).one()
    assert (entry.pain_worst, entry.interference_enjoyment, entry.interference_activity,
            entry.mood, entry.sleep_quality) == (8, 6, 7, 4, 3)
    assert entry.notes == "Infusion day. Slept badly."
    effects = {e.symptom: (e.severity, e.detail) for e in db.exec(select(EntrySideEffect))}
    assert effects == {"dissociation": (2, None), "nausea": (1, None), "bladder": (3, None),
                       "other": (1, "metallic taste")}
