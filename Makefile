# Musrenbang. The two commands of the quick start are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# WeasyPrint's libraries, fonts for the PDFs, gettext for the translations.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext
# Debian's Chromium for the browser tests (Playwright's driver needs libatomic1), poppler for PDFs.
TEST_PACKAGES := chromium libatomic1 poppler-utils
# OpenStack Swift with its S3 API, the real object store the storage tests start
# (tests/test_storage.py, scripts/swift_store.py): installed when run as root, as CI is; for
# another user those tests are skipped, and say which apt-get line brings it.
STORE_PACKAGES := swift swift-proxy swift-account swift-container swift-object memcached
# A Debian python3 without venv support needs python3-venv.
VENV_PACKAGE := $(shell $(PYTHON) -c 'import ensurepip' 2>/dev/null || echo python3-venv)
# The demo signs its berita acara with a certificate of its own, marked "DEMO — TIDAK SAH" and
# created once (git-ignored); a deployment sets its office's certificate instead (README).
DEMO_CERTIFICATE := build/demo-certificate/demo.p12
SIGNING_PKCS12 ?= $(DEMO_CERTIFICATE)
SIGNING_PASSPHRASE ?= demo-tidak-sah
SIGNING := SIGNING_PKCS12='$(SIGNING_PKCS12)' SIGNING_PASSPHRASE='$(SIGNING_PASSPHRASE)'

.PHONY: setup run test test-slow lint format system-packages test-packages messages migrate demo
.PHONY: backup restore screenshots

setup: system-packages $(VENV)/.installed messages migrate demo

# The worker that sends the notices' e-mail runs beside the server and stops with it; in the
# demo (DEBUG) the e-mail is written to this console (README, "Notifikasi").
run: setup
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py db_worker --queue-name '*' --no-reload & \
	worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	DEBUG=$${DEBUG:-1} $(SIGNING) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The suite on every core (pytest-xdist), each test file whole on one worker, so that a file's
# shared fixtures are made once; TEST_WORKERS=0 runs it in this one process.
TEST_WORKERS ?= auto
test: system-packages test-packages $(VENV)/.installed messages
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# The hostile-input properties at 2,000 examples each (make test runs them at 200).
test-slow: system-packages $(VENV)/.installed messages
	$(BIN)/pytest -m slow tests/hostile $(PYTEST_ARGS)

# The browser tests, then the README's pictures from their screenshots (docs/screenshots/).
screenshots: system-packages test-packages $(VENV)/.installed messages
	$(BIN)/pytest -m e2e $(PYTEST_ARGS)
	$(BIN)/python scripts/readme-screenshots

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

system-packages:
	@scripts/system-packages $(SYSTEM_PACKAGES) $(VENV_PACKAGE)

test-packages:
	@scripts/system-packages $(TEST_PACKAGES)
	@if [ "$$(id -u)" -eq 0 ]; then scripts/system-packages $(STORE_PACKAGES); fi

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed ($(PYTHON) is older)." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --editable ".[dev]"
	@touch $@

messages: $(VENV)/.installed
	$(BIN)/python manage.py compilemessages --ignore=$(VENV) --verbosity 0

migrate: $(VENV)/.installed
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput --verbosity 0

demo: $(VENV)/.installed
ifeq ($(SIGNING_PKCS12),$(DEMO_CERTIFICATE))
	$(SIGNING) $(BIN)/python manage.py demo_certificate $(DEMO_CERTIFICATE)
endif
	DEBUG=$${DEBUG:-1} $(SIGNING) $(BIN)/python manage.py demo

# PostgreSQL only (README "Backup and restore"): the database and MEDIA_ROOT into backups/, and
# back with `make restore FILE=backups/musrenbang-<time>.dump`.
backup:
	@scripts/backup

restore:
	@scripts/restore $(FILE)

# The one-box rehearsal of a deployment on several machines (docs/scaling.md), as root: HAProxy,
# two app servers, PostgreSQL primary and streaming replica, Swift's S3 API and the notice
# worker, in a temporary folder on loopback, under the bench's mixed load while one app server is
# stopped and started again. `make cluster CLUSTER_ARGS="--seconds 30"` passes options on.
CLUSTER_PACKAGES := postgresql haproxy swift swift-proxy swift-account swift-container \
	swift-object memcached
.PHONY: cluster
cluster: system-packages $(VENV)/.installed messages
	@scripts/system-packages $(CLUSTER_PACKAGES)
	$(BIN)/python -m bench.cluster $(CLUSTER_ARGS)

# The benchmark on PostgreSQL (bench/README.md): `make bench SIZES=100000` measures one size and
# merges its figures into docs/benchmarks.json and docs/benchmarks.md.
SIZES ?= 1451 100000 1000000
.PHONY: bench
bench: system-packages $(VENV)/.installed messages
	$(BIN)/python -m bench.run $(SIZES)
