"""Medications: the list, each day's use in one tap, and MME/day on the page by the rules."""

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from diary.loaded_history import load_history
from diary.models import Medication, MedicationDay, MedicationDose
from tests.html import field_error, parse
from tests.treatments.conftest import add_medication


@pytest.fixture(autouse=True)
def fixed_now(clock):
    clock.set("2026-03-10T12:00", "Europe/London")


def med_id(db, name: str) -> int:
    return db.exec(select(Medication).where(Medication.name == name)).one().id


def log_day(client, day: str, **amounts) -> None:
    response = client.post("/treatments/medications/day", data={"day": day, **amounts})
    assert response.status_code == 302, response.get_data(as_text=True)


def day_row(client, day: str):
    return parse(client.get("/treatments/medications/")).find(id=f"day-{day}")


def day_total(client, day: str) -> str:
    return " ".join(day_row(client, day).select_one(".mme-total strong").get_text(" ", strip=True).split())


def doses_shown(client, day: str) -> list[str]:
    return [" ".join(li.get_text(" ", strip=True).split()) for li in day_row(client, day).select(".dose-list li")]


def history_mme(app, alice):
    with app.test_request_context():
        return load_history(alice).mme


def test_a_medicine_goes_on_the_list(as_alice, db, alice):
    add_medication(as_alice, "OxyContin", "oxycodone", usual_dose="10")
    medication = db.exec(select(Medication)).one()
    assert (medication.patient_id, medication.name, medication.drug, medication.unit,
            medication.usual_dose, medication.active) == (alice.id, "OxyContin", "oxycodone", "mg",
                                                          Decimal("10"), True)
    row = parse(as_alice.get("/treatments/medications/")).select_one(".entry-row .row-meta")
    assert row.get_text(strip=True) == "Oxycodone · usually 10 mg"


def test_several_opioids_on_one_day_show_each_dose_and_the_exact_total(as_alice, db):
    add_medication(as_alice, "OxyContin", "oxycodone")
    add_medication(as_alice, "Durogesic", "fentanyl_patch", unit="mcg/hr", form="patch")
    add_medication(as_alice, "Gabapentin", "non_opioid")
    log_day(as_alice, "2026-03-10", **{f"amount_{med_id(db, 'OxyContin')}": "20",
                                        f"amount_{med_id(db, 'Durogesic')}": "12",
                                        f"amount_{med_id(db, 'Gabapentin')}": "900"})
    # 20 mg x 1.5 = 30; 12 mcg/hr x 2.4 = 28.8; total 58.8
    assert day_total(as_alice, "2026-03-10") == "58.8"
    assert doses_shown(as_alice, "2026-03-10") == [
        "Durogesic 12 mcg/hr: 28.8 MME", "Gabapentin 900 mg: not an opioid", "OxyContin 20 mg: 30 MME"]
    doses = {dose.medication_id: dose.amount for dose in db.exec(select(MedicationDose))}
    assert doses == {med_id(db, "OxyContin"): Decimal("20"), med_id(db, "Durogesic"): Decimal("12"),
                     med_id(db, "Gabapentin"): Decimal("900")}


def test_a_patch_over_several_days_and_two_patches_at_once(as_alice, db, app, alice):
    add_medication(as_alice, "Patch 25", "fentanyl_patch", unit="mcg/hr", form="patch")
    add_medication(as_alice, "Patch 12", "fentanyl_patch", unit="mcg/hr", form="patch")
    big, small = f"amount_{med_id(db, 'Patch 25')}", f"amount_{med_id(db, 'Patch 12')}"
    for day in ("2026-03-07", "2026-03-08", "2026-03-09"):
        log_day(as_alice, day, **{small: "12"})
    log_day(as_alice, "2026-03-10", **{big: "25", small: "12"})
    assert [day_total(as_alice, day) for day in ("2026-03-07", "2026-03-08", "2026-03-09")] == ["28.8"] * 3
    assert day_total(as_alice, "2026-03-10") == "88.8"  # (25 + 12) x 2.4
    assert history_mme(app, alice) == {date(2026, 3, 7): Decimal("28.8"), date(2026, 3, 8): Decimal("28.8"),
                                       date(2026, 3, 9): Decimal("28.8"), date(2026, 3, 10): Decimal("88.8")}


def test_a_buprenorphine_day_has_no_total_and_no_zero(as_alice, db, app, alice):
    add_medication(as_alice, "OxyContin", "oxycodone")
    add_medication(as_alice, "Butrans", "buprenorphine")
    log_day(as_alice, "2026-03-10", **{f"amount_{med_id(db, 'OxyContin')}": "10",
                                        f"amount_{med_id(db, 'Butrans')}": "5"})
    assert day_total(as_alice, "2026-03-10") == "no total (an opioid without a CDC conversion factor was taken)"
    assert doses_shown(as_alice, "2026-03-10") == ["Butrans 5 mg: no CDC conversion factor",
                                                   "OxyContin 10 mg: 15 MME"]
    assert history_mme(app, alice) == {date(2026, 3, 10): None}


def test_a_day_without_a_record_is_unknown_but_no_medications_today_is_zero(as_alice, db, app, alice):
    add_medication(as_alice, "Gabapentin", "non_opioid")
    page = parse(as_alice.get("/treatments/medications/"))
    button = page.find("button", string="No medications today")
    assert button.find_parent("form")["action"] == "/treatments/medications/none-today"
    assert as_alice.post("/treatments/medications/none-today").status_code == 302
    record = db.exec(select(MedicationDay)).one()
    assert record.day == date(2026, 3, 10) and db.exec(select(MedicationDose)).all() == []
    log_day(as_alice, "2026-03-08", **{f"amount_{med_id(db, 'Gabapentin')}": "600"})
    assert day_total(as_alice, "2026-03-10") == "0 (no medications)"
    assert day_total(as_alice, "2026-03-08") == "0 (no opioids)"
    assert day_row(as_alice, "2026-03-09") is None  # nothing logged: no value at all
    assert history_mme(app, alice) == {date(2026, 3, 8): Decimal(0), date(2026, 3, 10): Decimal(0)}


def test_same_as_yesterday_copies_yesterdays_doses_in_one_tap(as_alice, db, app, alice):
    add_medication(as_alice, "OxyContin", "oxycodone")
    add_medication(as_alice, "Tramadol", "tramadol")
    add_medication(as_alice, "Old pills", "morphine")
    oxy, tram, old = (f"amount_{med_id(db, name)}" for name in ("OxyContin", "Tramadol", "Old pills"))
    log_day(as_alice, "2026-03-09", **{oxy: "10", tram: "50", old: "5"})
    as_alice.post(f"/treatments/medications/{med_id(db, 'Old pills')}/stop")  # stopped since
    page = parse(as_alice.get("/treatments/medications/"))
    button = page.find("button", string="Same as yesterday")
    assert "button-primary" in button["class"]
    response = as_alice.post(button.find_parent("form")["action"])
    assert response.status_code == 302
    today = db.exec(select(MedicationDay).where(MedicationDay.day == date(2026, 3, 10))).one()
    copied = {dose.medication_id: dose.amount for dose in
              db.exec(select(MedicationDose).where(MedicationDose.medication_day_id == today.id))}
    assert copied == {med_id(db, "OxyContin"): Decimal("10"), med_id(db, "Tramadol"): Decimal("50")}
    assert day_total(as_alice, "2026-03-10") == "25"  # 10 x 1.5 + 50 x 0.2
    assert day_total(as_alice, "2026-03-09") == "30"  # yesterday keeps the stopped medicine


def test_same_as_yesterday_with_nothing_logged_yesterday_stores_nothing(as_alice, db):
    add_medication(as_alice, "OxyContin", "oxycodone")
    assert parse(as_alice.get("/treatments/medications/")).find("button", string="Same as yesterday") is None
    response = as_alice.post("/treatments/medications/same-as-yesterday")
    assert response.status_code == 302 and response.location == "/treatments/medications/day"
    assert db.exec(select(MedicationDay)).all() == []
    page = parse(as_alice.get(response.location))
    assert "Nothing is logged for yesterday" in page.select_one(".flash-error").get_text()


def test_a_logged_day_can_be_changed(as_alice, db):
    add_medication(as_alice, "OxyContin", "oxycodone")
    oxy = f"amount_{med_id(db, 'OxyContin')}"
    log_day(as_alice, "2026-03-10", **{oxy: "10"})
    page = parse(as_alice.get("/treatments/medications/day?day=2026-03-10"))
    assert page.find("input", {"name": oxy})["value"] == "10"
    log_day(as_alice, "2026-03-10", **{oxy: "5"})
    assert [dose.amount for dose in db.exec(select(MedicationDose))] == [Decimal("5")]
    assert len(db.exec(select(MedicationDay)).all()) == 1


def test_the_page_states_the_rule_in_a_sentence(as_alice):
    hint = parse(as_alice.get("/treatments/medications/")).find(id="mme").find_next("p").get_text()
    assert "CDC 2022 conversion factor" in hint and "no total" in hint and "2.4" in hint


@pytest.mark.parametrize("form, field, message", [
    ({"drug": "fentanyl_patch", "unit": "mg"}, "unit",
     "A fentanyl patch is logged by its rate in mcg/hr, not in mg: choose mcg/hr"),
    ({"drug": "oxycodone", "unit": "mcg/hr"}, "unit", "Oxycodone is logged in mg: choose mg"),
    ({"usual_dose": "-10"}, "usual_dose", "Usual dose must be between 0.01 and 5000 mg"),
    ({"usual_dose": "100000"}, "usual_dose", "Usual dose must be between 0.01 and 5000 mg"),
    ({"name": ""}, "name", "Enter name of the medicine"),
    ({"drug": "heroin"}, "drug", "Choose what kind of medicine it is from the list"),
])
def test_a_bad_medicine_is_refused_and_nothing_is_stored(as_alice, db, form, field, message):
    data = {"name": "Pain pills", "drug": "oxycodone", "form": "tablet", "unit": "mg", **form}
    response = as_alice.post("/treatments/medications/", data=data)
    assert response.status_code == 422
    assert field_error(response, field) == message
    assert db.exec(select(Medication)).all() == []


@pytest.mark.parametrize("amount, message", [
    ("-5", "Amount of Durogesic must be between 0 and 500 mcg/hr"),
    ("5000", "Amount of Durogesic must be between 0 and 500 mcg/hr"),
    ("a lot", "Amount of Durogesic must be a number"),
])
def test_a_bad_amount_is_refused_and_the_day_is_not_stored(as_alice, db, amount, message):
    add_medication(as_alice, "Durogesic", "fentanyl_patch", unit="mcg/hr", form="patch")
    add_medication(as_alice, "OxyContin", "oxycodone")
    patch, oxy = f"amount_{med_id(db, 'Durogesic')}", f"amount_{med_id(db, 'OxyContin')}"
    response = as_alice.post("/treatments/medications/day",
                             data={"day": "2026-03-10", patch: amount, oxy: "10"})
    assert response.status_code == 422
    assert field_error(response, patch) == message
    assert parse(response).find("input", {"name": oxy})["value"] == "10"
    assert db.exec(select(MedicationDay)).all() == [] and db.exec(select(MedicationDose)).all() == []


def test_a_future_day_is_refused(as_alice, db):
    response = as_alice.post("/treatments/medications/day", data={"day": "2026-03-11"})
    assert response.status_code == 422
    assert field_error(response, "day") == "Date cannot be in the future (today is 2026-03-10)"
    assert db.exec(select(MedicationDay)).all() == []


def test_stopping_a_medicine_asks_first_and_keeps_its_days(as_alice, db):
    add_medication(as_alice, "OxyContin", "oxycodone")
    medication_id = med_id(db, "OxyContin")
    log_day(as_alice, "2026-03-09", **{f"amount_{medication_id}": "10"})
    assert as_alice.get(f"/treatments/medications/{medication_id}/stop").status_code == 200
    assert db.get(Medication, medication_id).active is True
    as_alice.post(f"/treatments/medications/{medication_id}/stop")
    db.expire_all()
    assert db.get(Medication, medication_id).active is False
    page = parse(as_alice.get("/treatments/medications/"))
    assert page.select(".entry-row .row-meta") == []  # off the list
    assert day_total(as_alice, "2026-03-09") == "15"


def test_a_dose_of_0_is_stored_as_not_taken_and_adds_nothing(as_alice, db, app, alice):
    """Found in issue 20: a tapering patient's 0 was refused ("between 0.01 and 5000 mg")."""
    add_medication(as_alice, "OxyContin", "oxycodone")
    add_medication(as_alice, "Butrans", "buprenorphine")
    add_medication(as_alice, "Oramorph", "morphine")
    oxy, butrans, morphine = (f"amount_{med_id(db, name)}" for name in ("OxyContin", "Butrans", "Oramorph"))
    log_day(as_alice, "2026-03-10", **{oxy: "0", butrans: "0", morphine: "7.5"})
    # 0 x 1.5 + nothing for the buprenorphine not taken + 7.5 x 1 = 7.5: a total, since no
    # opioid without a factor was actually taken.
    assert day_total(as_alice, "2026-03-10") == "7.5"
    assert doses_shown(as_alice, "2026-03-10") == [
        "Butrans 0 mg: not taken", "Oramorph 7.5 mg: 7.5 MME", "OxyContin 0 mg: not taken"]
    assert history_mme(app, alice) == {date(2026, 3, 10): Decimal("7.5")}
    doses = {dose.medication_id: dose.amount for dose in db.exec(select(MedicationDose))}
    assert doses == {med_id(db, "OxyContin"): Decimal("0"), med_id(db, "Butrans"): Decimal("0"),
                     med_id(db, "Oramorph"): Decimal("7.5")}


def test_only_zero_doses_make_a_day_of_0_mme(as_alice, db, app, alice):
    add_medication(as_alice, "OxyContin", "oxycodone")
    log_day(as_alice, "2026-03-10", **{f"amount_{med_id(db, 'OxyContin')}": "0"})
    assert day_total(as_alice, "2026-03-10") == "0"
    assert history_mme(app, alice) == {date(2026, 3, 10): Decimal(0)}


def test_the_database_accepts_0_but_never_a_negative_dose(as_alice, db):
    from sqlalchemy.exc import IntegrityError

    add_medication(as_alice, "OxyContin", "oxycodone")
    log_day(as_alice, "2026-03-10", **{f"amount_{med_id(db, 'OxyContin')}": "0"})
    dose = db.exec(select(MedicationDose)).one()
    dose.amount = Decimal("-1")
    db.add(dose)
    with pytest.raises(IntegrityError):
        db.commit()
    db.rollback()


def test_the_page_goes_back_month_by_month_showing_every_days_mme_and_each_medicines_part(as_alice, db):
    """Found in issue 20: only the latest 30 days were listed; older days' MME could not be seen."""
    add_medication(as_alice, "OxyContin", "oxycodone")
    add_medication(as_alice, "Oramorph", "morphine")
    oxy, morphine = f"amount_{med_id(db, 'OxyContin')}", f"amount_{med_id(db, 'Oramorph')}"
    for day in range(1, 32):  # every day of December 2025, three months before today
        log_day(as_alice, f"2025-12-{day:02d}", **{oxy: "10", morphine: str(day)})
    log_day(as_alice, "2026-03-09", **{oxy: "20"})
    this_month = parse(as_alice.get("/treatments/medications/"))
    assert [li["id"] for li in this_month.select("li[id^=day-]")] == ["day-2026-03-09"]
    assert "March 2026" in this_month.find(id="mme").get_text()
    earlier = this_month.find("a", string=lambda text: text and "Earlier month" in text)
    assert earlier["href"] == "/treatments/medications/?month=2026-02#mme"
    assert parse(as_alice.get(earlier["href"])).select("li[id^=day-]") == []  # nothing logged in February
    december = as_alice.get("/treatments/medications/?month=2025-12")
    page = parse(december)
    assert len(page.select("li[id^=day-]")) == 31
    # 31 December: 10 mg oxycodone x 1.5 = 15, 31 mg morphine x 1 = 31, total 46
    row = page.find(id="day-2025-12-31")
    assert " ".join(row.select_one(".mme-total strong").get_text(" ", strip=True).split()) == "46"
    assert [" ".join(li.get_text(" ", strip=True).split()) for li in row.select(".dose-list li")] == [
        "Oramorph 31 mg: 31 MME", "OxyContin 10 mg: 15 MME"]
    later = page.find("a", string=lambda text: text and "Later month" in text)
    assert later["href"] == "/treatments/medications/?month=2026-01#mme"
    assert page.find("a", string=lambda text: text and "Earlier month" in text) is None  # nothing before


@pytest.mark.parametrize("month", ["2026-13", "march", "2026-04", "0000-01"])
def test_a_month_that_cannot_be_shown_is_refused(as_alice, month):
    response = as_alice.get(f"/treatments/medications/?month={month}")
    assert response.status_code == 422
    assert field_error(response, "month") is not None


def test_one_days_doses_read_alone_are_that_day_of_all_days(as_alice, db, app, alice):
    """doses_by_day for one day ("Log today" asks on every visit) answers as it does for every
    day: no record, [] for "No medications today", else the doses by medicine name; days in order."""
    from diary.treatments.queries import doses_by_day

    add_medication(as_alice, "Tramadol", "tramadol")
    add_medication(as_alice, "Gabapentin", "non_opioid")
    assert as_alice.post("/treatments/medications/none-today").status_code == 302  # 10 March
    log_day(as_alice, "2026-03-08", **{f"amount_{med_id(db, 'Tramadol')}": "50",
                                       f"amount_{med_id(db, 'Gabapentin')}": "0"})
    with app.test_request_context():
        everything = doses_by_day(alice.id)
        for day in (date(2026, 3, 8), date(2026, 3, 9), date(2026, 3, 10)):
            assert doses_by_day(alice.id, [day]).get(day) == everything.get(day)
        assert list(everything) == [date(2026, 3, 8), date(2026, 3, 10)]
    assert [dose.name for dose in everything[date(2026, 3, 8)]] == ["Gabapentin", "Tramadol"]
    assert everything[date(2026, 3, 10)] == [] and date(2026, 3, 9) not in everything
