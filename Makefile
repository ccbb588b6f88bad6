# make run  - start the diary on http://127.0.0.1:5000 (SQLite in ./instance, no set-up needed),
#            with reminders sent every minute in the background
# make test - run the whole test suite
# make install - create .venv with the exact runtime versions (what a server needs)
# make serve - the production server (gunicorn) on http://127.0.0.1:8000, see README "Self-hosting"
# make bench - the benchmark (needs Debian's wrk); writes tests/benchmark/results/latest.md,
#              then the clinic's dashboard over 500 patients (results/dashboard.md)
# make lighthouse - Lighthouse (mobile) on the chart pages and share view, median of 3 runs each
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# FHIR.js, the second validator of the FHIR export (npm, pinned by its lock file)
FHIRJS := tests/sharing/fhirjs

.PHONY: run test install serve bench lighthouse

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	touch $@

$(VENV)/.bench: requirements-bench.lock $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements-bench.lock
	touch $@

$(VENV)/.test: requirements-test.lock $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements-test.lock
	touch $@

# Reminders go out from a loop in the background, as the systemd timer does on a server.
run: $(VENV)/.runtime
	$(BIN)/flask --app wsgi migrate
	while sleep 60; do $(BIN)/flask --app wsgi admin send-reminders; done & \
	trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask --app wsgi run --host 127.0.0.1 --port 5000

$(FHIRJS)/node_modules/.installed: $(FHIRJS)/package-lock.json
	npm ci --prefix $(FHIRJS) --no-audit --no-fund --silent
	touch $@

test: $(VENV)/.test $(FHIRJS)/node_modules/.installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

install: $(VENV)/.runtime

serve: $(VENV)/.runtime
	$(BIN)/gunicorn --config gunicorn.conf.py wsgi:app

bench: $(VENV)/.bench
	$(BIN)/python -m tests.benchmark.run
	$(BIN)/python -m tests.benchmark.dashboard_bench

lighthouse: $(VENV)/.bench
	$(BIN)/python -m tests.benchmark.lighthouse
