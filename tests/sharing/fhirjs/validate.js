// Validates the FHIR R4 resource on standard input with FHIR.js (npm `fhir`, R4 definitions) and
// prints its messages as JSON: [{severity, location, message}]. Run by tests/sharing/fhir_checks.py.
const { Fhir } = require("fhir");

let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  // errorOnUnexpected: an element R4 does not define is an error, not a warning.
  const result = new Fhir().validate(JSON.parse(input), { errorOnUnexpected: true });
  process.stdout.write(JSON.stringify(result.messages));
});
