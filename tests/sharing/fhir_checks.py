"""Two independent FHIR validators for the export's tests: fhir.resources (R4B, Python) and
FHIR.js (npm `fhir`, R4 definitions, installed into tests/sharing/fhirjs by `make test`).

Either one failing fails the test. FHIR.js cannot expand LOINC, SNOMED CT, RxNorm, UCUM or the
diary's own code system offline; its warning that a code of one of those is "not found in value
set" is the one message let through. Every other error or warning is a failure.
"""

import json
import re
import subprocess
from pathlib import Path

from fhir.resources.R4B.bundle import Bundle

FHIRJS = Path(__file__).parent / "fhirjs"
OFFLINE_WARNING = re.compile(r'^Code "[^"]*" \((?P<system>[^)]*)\) not found in value set$')


def fhirjs_messages(resource: dict) -> list[dict]:
    if not (FHIRJS / "node_modules" / "fhir").is_dir():
        raise AssertionError(f"FHIR.js is not installed: run `make test`, or `npm ci --prefix {FHIRJS}`")
    done = subprocess.run(["node", str(FHIRJS / "validate.js")], input=json.dumps(resource),
                          capture_output=True, text=True, check=True, timeout=120)
    return json.loads(done.stdout)


def problems(resource: dict, own_code_system: str) -> list[dict]:
    """FHIR.js's errors and warnings, less "not available offline" for the systems that are."""
    offline = {"http://loinc.org", "http://snomed.info/sct", "http://unitsofmeasure.org",
               "http://www.nlm.nih.gov/research/umls/rxnorm", own_code_system}
    found = []
    for message in fhirjs_messages(resource):
        if message["severity"] == "info":
            continue
        match = OFFLINE_WARNING.match(message["message"])
        if message["severity"] == "warning" and match and match["system"] in offline:
            continue
        found.append(message)
    return found


def own_code_system(bundle: dict) -> str:
    systems = [entry["resource"]["url"] for entry in bundle.get("entry", [])
               if entry["resource"]["resourceType"] == "CodeSystem"]
    return systems[0] if systems else ""


def validate_twice(bundle: dict) -> None:
    Bundle.model_validate(bundle)  # raises on a missing, mistyped or unknown element
    assert problems(bundle, own_code_system(bundle)) == []
