"""The FHIR R4 export as a clinic's record system receives it: every medicine, every infusion and
its outcomes, codes a receiver can look up, validated by two independent validators.

Kim lives in Berlin and has logged two ketamine series (IV and intranasal), an oxycodone tablet, a
fentanyl patch, a buprenorphine patch, gabapentin, diary days, therapies, a PHQ-9 and a GAD-7 with
an item left out, all through the app.
"""

import copy
import json
import re
from datetime import date
from decimal import Decimal

import pytest
from fhir.resources.R4B.codesystem import CodeSystem
from sqlmodel import select

from diary.db import get_session
from diary.models import Medication, Patient
from diary.questionnaires.queries import add_answer
from tests.conftest import PASSWORD, make_patient
from tests.sharing.fhir_checks import problems, validate_twice
from tests.treatments.conftest import add_infusion, add_medication, add_series

DIARY = "https://diary.example.org"
CODES = f"{DIARY}/fhir/CodeSystem/pain-diary"
LOINC, SNOMED = "http://loinc.org", "http://snomed.info/sct"
RXNORM, UCUM = "http://www.nlm.nih.gov/research/umls/rxnorm", "http://unitsofmeasure.org"
PAIN = {"system": LOINC, "code": "72514-3",
        "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported"}


@pytest.fixture
def kim(make_app, clock):
    clock.set("2026-04-20T10:00", "Europe/Berlin")
    app = make_app(PUBLIC_URL=DIARY)
    patient = make_patient(app, "kim@example.com", "Kim", time_zone="Europe/Berlin")
    client = app.test_client()
    client.post("/login", data={"email": "kim@example.com", "password": PASSWORD})
    iv = add_series(client, name="Spring IV", route="iv")
    add_infusion(client, iv, "2026-01-10", "09:30", duration_min="45", dose_mg="52.5",
                 weight_kg="70", pain_before="7", pain_after="3", pain_2h="4", pain_24h="5",
                 se_during_dissociation="moderate", se_during_other="mild",
                 se_during_other_text="metallic taste", se_after_nausea="mild")
    assert client.post(f"/treatments/series/{iv}/pgic", data={"pgic": "much_improved"}).status_code == 302
    # The night after this dose the clocks go forward: 24 hours later is 11:00 local time.
    nasal = add_series(client, name="Spray", route="intranasal")
    add_infusion(client, nasal, "2026-03-28", "10:00", dose_mg="50", pain_before="6", pain_24h="4")

    add_medication(client, "OxyContin", "oxycodone", usual_dose="10")
    add_medication(client, "Durogesic", "fentanyl_patch", unit="mcg/hr", form="patch", usual_dose="25")
    add_medication(client, "Butrans", "buprenorphine", unit="mcg/hr", form="patch", usual_dose="5")
    add_medication(client, "Gabapentin", "non_opioid", usual_dose="300")
    with app.app_context():
        ids = {m.name: m.id for m in get_session().exec(select(Medication))}
        add_answer(patient.id, "phq9", date(2026, 3, 3), (1, 1, 2, 0, 1, 0, 1, 0, 0), difficulty=1)
        add_answer(patient.id, "gad7", date(2026, 3, 3), (1, None, 1, 1, 1, 1, 1), difficulty=None)
    for day, amounts in (("2026-03-01", {"OxyContin": "20", "Durogesic": "25", "Gabapentin": "900"}),
                         ("2026-03-02", {"OxyContin": "10", "Durogesic": "25", "Butrans": "5"})):
        response = client.post("/treatments/medications/day", data={
            "day": day, **{f"amount_{ids[name]}": amount for name, amount in amounts.items()}})
        assert response.status_code == 302

    client.post("/entries", data={"day": "2026-03-01", "pain_avg": "6", "interference_enjoyment": "5",
                                  "interference_activity": "6", "pain_worst": "8",
                                  "se_headache": "moderate"})
    client.post("/entries", data={"day": "2026-03-02", "pain_avg": "4"})
    client.post("/treatments/therapies/", data={"day": "2026-03-05", "kind": "physical_therapy",
                                               "note": "back exercises"})
    client.post("/treatments/therapies/", data={"day": "2026-03-06", "kind": "acupuncture"})
    return client, patient


def export(client) -> dict:
    response = client.get("/export/fhir.json")
    assert response.status_code == 200
    return json.loads(response.data)


def of_type(bundle: dict, resource_type: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == resource_type]


def by_reference(bundle: dict) -> dict[str, dict]:
    return {entry["fullUrl"]: entry["resource"] for entry in bundle["entry"]}


def codes(concept: dict) -> set[tuple[str, str]]:
    return {(c["system"], c["code"]) for c in concept.get("coding", [])}


@pytest.fixture
def bundle(kim):
    return export(kim[0])


def test_the_whole_export_passes_both_validators(bundle):
    validate_twice(bundle)
    assert {e["resource"]["resourceType"] for e in bundle["entry"]} == {
        "Patient", "CodeSystem", "Observation", "MedicationStatement", "MedicationAdministration",
        "Medication", "Procedure"}


@pytest.mark.parametrize("break_it", [
    lambda bundle: of_type(bundle, "Observation")[0].update(status="bogus"),
    lambda bundle: of_type(bundle, "Patient")[0].update(nickname="Kimmy"),
    lambda bundle: of_type(bundle, "Observation")[0]["category"][0]["coding"][0].update(code="surveys"),
    lambda bundle: of_type(bundle, "MedicationAdministration")[0].update(effectivePeriod={"start": "10 Jan"}),
])
def test_the_validators_refuse_a_broken_export(bundle, break_it):
    broken = copy.deepcopy(bundle)
    break_it(broken)
    with pytest.raises(Exception):
        validate_twice(broken)


def test_fhirjs_alone_reports_a_code_outside_a_required_value_set(bundle):
    broken = copy.deepcopy(bundle)
    of_type(broken, "MedicationStatement")[0]["status"] = "taking"
    assert [p["message"] for p in problems(broken, CODES)] == ['Code "taking" not found in value set']


def test_the_patient_carries_the_diary_address_and_a_never_reused_account_id(kim, db):
    client, patient = kim
    bundle = export(client)
    first = of_type(bundle, "Patient")
    assert [(p["identifier"], p["name"]) for p in first] == [
        ([{"system": DIARY, "value": str(patient.id)}], [{"text": "Kim"}])]
    assert db.get(Patient, patient.id).display_name == "Kim"
    assert bundle["timestamp"] == "2026-04-20T08:00:00Z"
    assert bundle["identifier"]["system"] == f"{DIARY}/fhir/exports"
    again = export(client)
    assert again["identifier"]["value"] != bundle["identifier"]["value"]  # each export is its own
    assert [e["fullUrl"] for e in again["entry"]] == [e["fullUrl"] for e in bundle["entry"]]


def test_without_a_public_address_the_request_names_the_diary(as_alice):
    bundle = export(as_alice)
    assert of_type(bundle, "Patient")[0]["identifier"][0]["system"] == "http://localhost"
    assert of_type(bundle, "CodeSystem")[0]["url"] == "http://localhost/fhir/CodeSystem/pain-diary"


def test_every_medicine_is_a_statement_with_its_rxnorm_code_form_route_and_usual_dose(bundle):
    resources = by_reference(bundle)
    found = {}
    for statement in of_type(bundle, "MedicationStatement"):
        if "medicationReference" not in statement:
            continue
        medication = resources[statement["medicationReference"]["reference"]]
        dosage = statement["dosage"][0]
        found[medication["code"]["text"]] = (
            codes(medication["code"]), medication["form"]["text"], codes(dosage.get("route", {})),
            dosage.get("doseAndRate"), statement.get("effectivePeriod"), statement["status"])
    oral, transdermal = {(SNOMED, "26643006")}, {(SNOMED, "45890007")}
    assert found == {
        "OxyContin": ({(RXNORM, "7804")}, "Tablet or capsule", oral,
                      [{"doseQuantity": {"value": 10, "unit": "mg", "system": UCUM, "code": "mg"}}],
                      {"start": "2026-03-01", "end": "2026-03-02"}, "active"),
        "Durogesic": ({(RXNORM, "4337")}, "Patch", transdermal,
                      [{"rateQuantity": {"value": 25, "unit": "mcg/h", "system": UCUM, "code": "ug/h"}}],
                      {"start": "2026-03-01", "end": "2026-03-02"}, "active"),
        "Butrans": ({(RXNORM, "1819")}, "Patch", transdermal,
                    [{"rateQuantity": {"value": 5, "unit": "mcg/h", "system": UCUM, "code": "ug/h"}}],
                    {"start": "2026-03-02", "end": "2026-03-02"}, "active"),
        "Gabapentin": (set(), "Tablet or capsule", oral,  # the diary does not know the drug: text
                       [{"doseQuantity": {"value": 300, "unit": "mg", "system": UCUM, "code": "mg"}}],
                       {"start": "2026-03-01", "end": "2026-03-01"}, "active"),
    }


def test_each_days_amount_is_an_administration_in_ucum_units_a_patch_by_its_rate(bundle):
    resources = by_reference(bundle)
    taken = set()
    for given in of_type(bundle, "MedicationAdministration"):
        if "medicationReference" in given:
            name = resources[given["medicationReference"]["reference"]]["code"]["text"]
            amount = given["dosage"].get("dose") or given["dosage"]["rateQuantity"]
            assert given["effectivePeriod"]["start"] == given["effectivePeriod"]["end"]
            taken.add((name, given["effectivePeriod"]["start"], amount["value"], amount["code"]))
    assert taken == {
        ("OxyContin", "2026-03-01", 20, "mg"), ("OxyContin", "2026-03-02", 10, "mg"),
        ("Durogesic", "2026-03-01", 25, "ug/h"), ("Durogesic", "2026-03-02", 25, "ug/h"),
        ("Butrans", "2026-03-02", 5, "ug/h"), ("Gabapentin", "2026-03-01", 900, "mg")}
    for statement in of_type(bundle, "MedicationStatement"):  # derived from its days
        for day in statement["derivedFrom"]:
            assert resources[day["reference"]]["resourceType"] == "MedicationAdministration"


def ketamine_given(bundle: dict) -> list[dict]:
    return [r for r in of_type(bundle, "MedicationAdministration")
            if codes(r.get("medicationCodeableConcept", {})) == {(RXNORM, "6130")}]


def test_each_infusion_has_its_local_start_and_end_dose_route_and_the_weight_it_was_given_at(bundle):
    resources = by_reference(bundle)
    iv, nasal = ketamine_given(bundle)
    assert iv["effectivePeriod"] == {"start": "2026-01-10T09:30:00+01:00", "end": "2026-01-10T10:15:00+01:00"}
    assert iv["dosage"]["dose"] == {"value": 52.5, "unit": "mg", "system": UCUM, "code": "mg"}
    assert codes(iv["dosage"]["route"]) == {(SNOMED, "47625008")}
    assert "0.75 mg/kg at 70 kg" in iv["dosage"]["text"]
    weight = resources[iv["supportingInformation"][0]["reference"]]
    assert (codes(weight["code"]), weight["valueQuantity"], weight["effectiveDateTime"]) == (
        {(LOINC, "29463-7")}, {"value": 70, "unit": "kg", "system": UCUM, "code": "kg"},
        "2026-01-10T09:30:00+01:00")
    assert weight["category"][0]["coding"][0]["code"] == "vital-signs"
    assert nasal["effectivePeriod"] == {"start": "2026-03-28T10:00:00+01:00"}  # no duration logged
    assert codes(nasal["dosage"]["route"]) == {(SNOMED, "46713006")}
    assert "supportingInformation" not in nasal
    series = {s["dosage"][0]["text"]: (s["status"], s["effectivePeriod"], len(s["derivedFrom"]))
              for s in of_type(bundle, "MedicationStatement") if "medicationCodeableConcept" in s}
    assert series == {"Spring IV: IV infusion": ("completed", {"start": "2026-01-10", "end": "2026-01-10"}, 1),
                      "Spray: Intranasal spray": ("active", {"start": "2026-03-28", "end": "2026-03-28"}, 1)}


def test_infusion_pains_are_loinc_pain_scores_at_their_own_times_that_point_to_the_infusion(bundle):
    given = {f"urn:uuid:{r['id']}": r["effectivePeriod"]["start"] for r in ketamine_given(bundle)}
    pains = sorted((given[o["partOf"][0]["reference"]], o["effectiveDateTime"], o["valueInteger"],
                    [c["code"] for c in o["code"]["coding"]])
                   for o in of_type(bundle, "Observation")
                   if o["code"]["coding"][0] == PAIN and "partOf" in o)
    iv, nasal = "2026-01-10T09:30:00+01:00", "2026-03-28T10:00:00+01:00"
    assert pains == [
        (iv, "2026-01-10T09:30:00+01:00", 7, ["72514-3", "infusion-pain-before"]),
        (iv, "2026-01-10T10:15:00+01:00", 3, ["72514-3", "infusion-pain-after"]),
        (iv, "2026-01-10T11:30:00+01:00", 4, ["72514-3", "infusion-pain-2h"]),
        (iv, "2026-01-11T09:30:00+01:00", 5, ["72514-3", "infusion-pain-24h"]),
        (nasal, "2026-03-28T10:00:00+01:00", 6, ["72514-3", "infusion-pain-before"]),
        (nasal, "2026-03-29T11:00:00+02:00", 4, ["72514-3", "infusion-pain-24h"]),  # summer time
    ]


def side_effects(bundle: dict) -> list[tuple]:
    return sorted((o["code"]["text"], o["valueCodeableConcept"]["coding"][0]["code"],
                   tuple(sorted(codes(o["code"]))), o.get("effectiveDateTime") or o["effectivePeriod"]["start"],
                   "partOf" in o)
                  for o in of_type(bundle, "Observation") if "valueCodeableConcept" in o
                  and o["code"]["coding"][0]["code"].startswith("side-effect-"))


def test_side_effects_during_an_infusion_and_on_a_diary_day_are_observations_with_their_severity(bundle):
    mild, moderate = "255604002", "6736007"
    assert side_effects(bundle) == [
        ("Dissociation", moderate, ((CODES, "side-effect-dissociation"),), "2026-01-10T09:30:00+01:00", True),
        ("Headache", moderate, ((SNOMED, "25064002"), (CODES, "side-effect-headache")), "2026-03-01", False),
        ("Nausea or vomiting", mild, ((CODES, "side-effect-nausea"),), "2026-01-10T10:15:00+01:00", True),
        ("Other: metallic taste", mild, ((CODES, "side-effect-other"),), "2026-01-10T09:30:00+01:00", True),
    ]


def test_the_impression_of_change_and_other_therapies_are_exported(bundle):
    resources = by_reference(bundle)
    [pgic] = [o for o in of_type(bundle, "Observation") if o["code"]["coding"][0]["code"] == "pgic"]
    assert pgic["valueCodeableConcept"]["coding"] == [
        {"system": CODES, "code": "pgic-much-improved", "display": "Much improved"}]
    assert resources[pgic["partOf"][0]["reference"]]["dosage"][0]["text"] == "Spring IV: IV infusion"
    therapies = [(p["code"].get("coding"), p["code"]["text"], p["performedDateTime"], p.get("note"), p["status"])
                 for p in of_type(bundle, "Procedure")]
    assert therapies == [
        ([{"system": SNOMED, "code": "91251008", "display": "Physical therapy procedure"}], "Physical therapy",
         "2026-03-05", [{"text": "back exercises"}], "completed"),
        (None, "Acupuncture", "2026-03-06", None, "completed")]


def test_the_daily_scores_and_the_peg_score(bundle):
    day = [(o["code"]["coding"][-1]["code"], o.get("valueInteger", o.get("valueQuantity")))
           for o in of_type(bundle, "Observation")
           if o.get("effectiveDateTime") == "2026-03-01" and "valueCodeableConcept" not in o]
    assert day == [("pain-average", 6), ("pain-worst", 8), ("peg-enjoyment", 5), ("peg-activity", 6),
                   ("peg-score", {"value": 5.7, "unit": "score", "system": UCUM, "code": "{score}"})]
    [peg] = [o for o in of_type(bundle, "Observation") if o["code"]["coding"][0]["code"] == "peg-score"]
    resources = by_reference(bundle)
    assert [resources[item["reference"]]["valueInteger"] for item in peg["derivedFrom"]] == [6, 5, 6]
    average = [o for o in of_type(bundle, "Observation") if o.get("effectiveDateTime") == "2026-03-01"][0]
    assert average["code"]["coding"][0] == PAIN


def test_every_own_code_is_defined_with_its_meaning_and_recall_in_the_bundle(bundle):
    [code_system] = of_type(bundle, "CodeSystem")
    assert (code_system["url"], code_system["status"], code_system["content"]) == (CODES, "active", "complete")
    defined = {c["code"]: c for c in code_system["concept"]}
    used = re.findall(r'"system": "([^"]+)", "code": "([^"]+)"', json.dumps(bundle))
    own = {code for system, code in used if system == CODES}
    assert own and own <= set(defined)
    assert {system for system, _ in used} == {
        CODES, LOINC, SNOMED, RXNORM, UCUM, "http://terminology.hl7.org/CodeSystem/observation-category",
        "http://terminology.hl7.org/CodeSystem/data-absent-reason"}
    enjoyment = defined["peg-enjoyment"]
    assert enjoyment["definition"].startswith("How much pain got in the way of enjoying life")
    assert enjoyment["property"] == [{"code": "recall", "valueString": enjoyment["property"][0]["valueString"]}]
    assert "the last 24 hours" in enjoyment["property"][0]["valueString"]
    assert ".invalid" not in json.dumps(bundle)


def test_the_diary_serves_its_code_system_at_the_url_every_export_names(kim):
    client, _ = kim
    [in_bundle] = of_type(export(client), "CodeSystem")
    response = client.application.test_client().get("/fhir/CodeSystem/pain-diary")  # no login
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/fhir+json"
    served = json.loads(response.data)
    CodeSystem.model_validate(served)
    assert problems(served, CODES) == []
    assert served["url"] == in_bundle["url"] == CODES and served["concept"] == in_bundle["concept"]
    assert "Kim" not in response.get_data(as_text=True)


def test_every_resource_has_a_short_narrative(bundle):
    for entry in bundle["entry"]:
        div = entry["resource"]["text"]["div"]
        assert div.startswith('<div xmlns="http://www.w3.org/1999/xhtml"><p>') and 10 < len(div) < 400
    [oxycontin] = [r for r in of_type(bundle, "MedicationStatement") if "OxyContin" in r["text"]["div"]]
    assert "taken on 2 days from 2026-03-01 to 2026-03-02; usual dose 10 mg" in oxycontin["text"]["div"]


def test_a_stopped_medicine_is_still_exported_with_its_days(kim, db):
    client, _ = kim
    butrans = db.exec(select(Medication).where(Medication.name == "Butrans")).one()
    assert client.post(f"/treatments/medications/{butrans.id}/stop").status_code == 302
    db.expire_all()
    assert db.get(Medication, butrans.id).active is False
    [statement] = [r for r in of_type(export(client), "MedicationStatement") if "Butrans" in r["text"]["div"]]
    assert (statement["status"], statement["effectivePeriod"]["start"]) == ("stopped", "2026-03-02")


def test_amounts_keep_their_decimals(bundle):
    weights = [o["valueQuantity"]["value"] for o in of_type(bundle, "Observation")
               if codes(o["code"]) == {(LOINC, "29463-7")}]
    assert weights == [70] and Decimal("52.5") == Decimal(str(ketamine_given(bundle)[0]["dosage"]["dose"]["value"]))


def test_the_phq9_and_gad7_panels_come_with_their_members_and_a_narrative(bundle):
    resources = by_reference(bundle)
    panels = {o["code"]["coding"][0]["code"]: o for o in of_type(bundle, "Observation") if "hasMember" in o}
    assert set(panels) == {"44249-1", "69737-5"}
    phq9 = [resources[member["reference"]] for member in panels["44249-1"]["hasMember"]]
    assert phq9[-1]["code"]["coding"][0]["code"] == "44261-6" and phq9[-1]["valueInteger"] == 6
    assert phq9[-1]["text"]["div"].endswith("PHQ-9 total score on 2026-03-03: 6.</p></div>")
    gad7_total = resources[panels["69737-5"]["hasMember"][-1]["reference"]]
    assert "valueInteger" not in gad7_total and gad7_total["dataAbsentReason"]["coding"][0]["code"] == "not-performed"
    assert all(member["subject"] == of_type(bundle, "Observation")[0]["subject"] for member in phq9)


def test_own_words_that_read_like_a_choice_are_exported_as_words_without_a_standard_code(make_app, clock):
    """The history carries each choice's key: "Other" with the words "IV infusion" or "Physical
    therapy" is not the IV route or physical therapy, however it reads."""
    clock.set("2026-04-20T10:00", "Europe/Berlin")
    app = make_app(PUBLIC_URL=DIARY)
    make_patient(app, "lee@example.com", "Lee", time_zone="Europe/Berlin")
    client = app.test_client()
    client.post("/login", data={"email": "lee@example.com", "password": PASSWORD})
    series = add_series(client, name="Own words", route="other", route_other="IV infusion",
                        condition="other", condition_other="CRPS (complex regional pain syndrome)")
    add_infusion(client, series, "2026-03-10", "09:30", dose_mg="20")
    client.post("/treatments/therapies/", data={"day": "2026-03-11", "kind": "other",
                                               "kind_other": "Physical therapy"})
    bundle = export(client)
    [given] = ketamine_given(bundle)
    assert given["dosage"]["route"] == {"text": "IV infusion"}
    [statement] = [s for s in of_type(bundle, "MedicationStatement") if "medicationCodeableConcept" in s]
    assert statement["reasonCode"] == [{"text": "CRPS (complex regional pain syndrome)"}]
    assert "1 dose," in statement["text"]["div"]
    [therapy] = of_type(bundle, "Procedure")
    assert therapy["code"] == {"text": "Physical therapy"}
