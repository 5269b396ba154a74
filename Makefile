# `make run` serves the line on SQLite; `make test` runs the whole suite. Both set up .venv first.
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PRACTICES := data/gp-practices-derby-derbyshire.csv

.PHONY: run test lint browser graphviz clean

$(BIN)/activate: requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(BIN)/activate
	$(FLASK) db upgrade
	$(FLASK) practices import $(PRACTICES) --if-empty
	@echo
	@echo "The line is at http://127.0.0.1:5000/voice/incoming"
	@echo "To ring it from a phone: expose this port over HTTPS (e.g. a tunnel), then in the Twilio"
	@echo "console set the number's Voice URL to POST https://<public-host>/voice/incoming and its"
	@echo "status callback to POST https://<public-host>/voice/status; start with"
	@echo "TWILIO_AUTH_TOKEN=<your token> PUBLIC_BASE_URL=https://<public-host> make run"
	@echo "To try it without a phone: $(FLASK) call"
	@echo "Staff dashboard: http://127.0.0.1:5000/staff/ (first make an account: $(FLASK) staff create EMAIL --admin)"
	@command -v dot >/dev/null || echo "(The overview's flow map needs Graphviz: sudo make graphviz)"
	@echo
	$(FLASK) run --host 127.0.0.1 --port 5000

# The whole suite on SQLite (or on TEST_DATABASE_URL when set); then, when a PostgreSQL answers at PG_TEST_URL,
# the voice tests again on it, since a turn's writes take another path there. .ci/run also runs everything on it.
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/test

test: $(BIN)/activate browser graphviz
	$(BIN)/python -m pytest
ifndef TEST_DATABASE_URL
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_TEST_URL)', connect_timeout=2).close()" 2>/dev/null; \
	then echo "PostgreSQL answers at $(PG_TEST_URL): the voice tests again on it"; \
		TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest tests/voice; \
	else echo "No PostgreSQL at $(PG_TEST_URL): the voice tests ran on SQLite only" \
		"(set PG_TEST_URL, or TEST_DATABASE_URL to run the whole suite on one)."; fi
endif

lint: $(BIN)/activate
	$(BIN)/python -m ruff check .

# Real headless Chromium for the dashboard's browser tests, from Debian's packages.
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; }

# Graphviz's dot draws the flow map (`flask flows map`, the staff overview), from Debian's packages.
graphviz:
	@command -v dot >/dev/null || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; }

clean:
	rm -rf $(VENV) instance .pytest_cache
