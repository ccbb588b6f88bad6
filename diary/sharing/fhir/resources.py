"""What every resource of one FHIR export shares: stable ids, references, local times with their
UTC offset, the narrative, and Observations the daily diary and the infusions both make."""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import cached_property
from html import escape
from zoneinfo import ZoneInfo

from diary.side_effects import SIDE_EFFECT_NAMES
from diary.sharing.fhir.terminology import (
    CODE_SYSTEM_PATH, MEASURES, OBSERVATION_CATEGORY, SNOMED, SNOMED_SEVERITIES, SNOMED_SYMPTOMS,
    coding, side_effect_code,
)

SURVEY = {"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}
VITAL_SIGNS = {"system": OBSERVATION_CATEGORY, "code": "vital-signs", "display": "Vital Signs"}


@dataclass
class Export:
    """One patient's export in the making: the resources so far, and how each is named."""

    patient_key: int
    base_url: str  # the diary's public address, without a trailing slash
    time_zone: str
    resources: list[dict] = field(default_factory=list)

    @property
    def code_system_url(self) -> str:
        return self.base_url + CODE_SYSTEM_PATH

    def id(self, *parts) -> str:
        """The same resource gets the same id in every export of this diary; another diary's
        patient 1 gets others, so a receiver never merges two patients."""
        name = ":".join(str(part) for part in (self.base_url, "patient", self.patient_key, *parts))
        return str(uuid.uuid5(uuid.NAMESPACE_URL, name))

    @staticmethod
    def reference(resource_id: str) -> dict:
        return {"reference": f"urn:uuid:{resource_id}"}

    @cached_property
    def subject(self) -> dict:
        """The patient, as every resource refers to them (named once: thousands refer)."""
        return self.reference(self.id())

    def add(self, resource_type: str, resource_id: str, summary: str, **elements) -> str:
        """Add a resource with a one-line narrative (what a person reads); returns its id.
        Elements left empty are left out: FHIR allows no empty lists or objects."""
        elements = {name: value for name, value in elements.items() if value not in (None, [], {})}
        self.resources.append({"resourceType": resource_type, "id": resource_id,
                               "text": narrative(summary), **elements})
        return resource_id

    def diary_coding(self, code: str) -> dict:
        return {"system": self.code_system_url, "code": code, "display": MEASURES[code].display}

    def local(self, day: date, start: time | None, after: timedelta = timedelta(0)) -> str:
        """The patient's wall-clock time with its UTC offset ``after`` the start (elapsed time, so
        right across a daylight-saving change); only the date when no time was recorded."""
        if start is None:
            return day.isoformat()
        zone = ZoneInfo(self.time_zone)
        instant = datetime.combine(day, start, tzinfo=zone).astimezone(timezone.utc) + after
        return instant.astimezone(zone).isoformat(timespec="seconds")


def narrative(summary: str) -> dict:
    return {"status": "generated",
            "div": f'<div xmlns="http://www.w3.org/1999/xhtml"><p>{escape(summary, quote=False)}</p></div>'}


def side_effect_observation(export: Export, resource_id: str, symptom: str, severity: int,
                            detail: str, when: str, **elements) -> str:
    """A side effect as an Observation: what it was (SNOMED CT where exact), how bad (SNOMED CT)."""
    name = SIDE_EFFECT_NAMES.get(symptom, symptom)
    text = f"{name}: {detail}" if detail else name
    codings = [export.diary_coding(side_effect_code(symptom))]
    if symptom in SNOMED_SYMPTOMS:
        codings.append(coding(SNOMED, SNOMED_SYMPTOMS[symptom]))
    level = SNOMED_SEVERITIES[severity]
    return export.add(
        "Observation", resource_id, f"Side effect {when}: {text}, {level[1].lower()}.",
        status="final", category=[{"coding": [SURVEY]}], code={"coding": codings, "text": text},
        subject=export.subject,
        valueCodeableConcept={"coding": [coding(SNOMED, level)], "text": level[1]},
        **elements)
