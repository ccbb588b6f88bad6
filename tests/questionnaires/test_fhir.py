"""PHQ-9 and GAD-7 as FHIR R4 Observation panels: LOINC panel, item, answer and total codes."""

from datetime import date

from fhir.resources.R4B.bundle import Bundle

from diary.questionnaires.fhir import questionnaire_resources
from diary.questionnaires.scoring import Answered

SUBJECT = {"reference": "urn:uuid:patient"}
PHQ9_ITEM_CODES = ["44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5",
                   "44253-3", "44260-8"]
GAD7_ITEM_CODES = ["69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"]


def make_id(*parts) -> str:
    return "-".join(str(part) for part in parts)


def bundle(resources: list[dict]) -> dict:
    data = {"resourceType": "Bundle", "type": "collection",
            "entry": [{"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource} for resource in resources]}
    Bundle.model_validate(data)  # a valid R4 Bundle: required elements, types, no unknown element
    return data


def code_of(resource: dict) -> str:
    return resource["code"]["coding"][0]["code"]


def test_a_phq9_is_a_panel_with_its_nine_items_the_difficulty_and_the_total():
    answered = Answered(7, "phq9", date(2026, 3, 1), (0, 1, 2, 3, 0, 1, 2, 3, 1), difficulty=2)
    panel, *members = questionnaire_resources(answered, SUBJECT, make_id)
    bundle([panel, *members])
    assert code_of(panel) == "44249-1" and panel["code"]["coding"][0]["system"] == "http://loinc.org"
    assert [member["reference"] for member in panel["hasMember"]] == [f"urn:uuid:{m['id']}" for m in members]
    assert [code_of(member) for member in members] == [*PHQ9_ITEM_CODES, "69722-7", "44261-6"]
    answer_codes = [member["valueCodeableConcept"]["coding"][0]["code"] for member in members[:9]]
    assert answer_codes == ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9", "LA6568-5", "LA6569-3",
                            "LA6570-1", "LA6571-9", "LA6569-3"]
    assert members[9]["valueCodeableConcept"]["coding"][0] == {
        "system": "http://loinc.org", "code": "LA6575-0", "display": "Very difficult"}
    total = members[-1]
    assert total["valueInteger"] == 13 and total["interpretation"][0]["text"] == "moderate (PHQ-9 band)"
    assert all(resource["effectiveDateTime"] == "2026-03-01" for resource in (panel, *members))
    assert "thoughts that they would be better off dead" in panel["note"][0]["text"]


def test_a_gad7_is_a_panel_with_its_seven_items_and_the_total():
    answered = Answered(8, "gad7", date(2026, 3, 2), (3, 3, 3, 3, 3, 3, 3))
    panel, *members = questionnaire_resources(answered, SUBJECT, make_id)
    bundle([panel, *members])
    assert code_of(panel) == "69737-5"
    assert [code_of(member) for member in members] == [*GAD7_ITEM_CODES, "70274-6"]
    assert members[-1]["valueInteger"] == 21 and "note" not in panel


def test_an_incomplete_questionnaire_has_no_total_value_and_no_observation_for_the_missing_item():
    answered = Answered(9, "gad7", date(2026, 3, 3), (1, None, 1, 1, 1, 1, 1))
    panel, *members = questionnaire_resources(answered, SUBJECT, make_id)
    bundle([panel, *members])
    assert [code_of(member) for member in members] == [c for c in GAD7_ITEM_CODES if c != "68509-9"] + ["70274-6"]
    total = members[-1]
    assert "valueInteger" not in total and total["dataAbsentReason"]["coding"][0]["code"] == "not-performed"
