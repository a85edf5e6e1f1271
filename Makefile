# KIM assistant: developer verbs. `make run` and `make test` work on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Python 3.10 for Rasa 3.6: the real pyenv binary first (the pyenv shim refuses unless 3.10 is selected).
PYTHON310 ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.10*/bin/python3.10 /root/.pyenv/versions/3.10*/bin/python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10) python3.10)
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
MODEL := models/kim.tar.gz
export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2

TRAINING_INPUTS := $(shell find nlu stories -name "*.yml") domain.yml config.yml bot/input_guard.py bot/rasa_components.py bot/emergency.py bot/emergency_words.yml

.PHONY: help install run train validate lint test test-unit test-stories test-conversations bench clean

help: ## list the verbs
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-20s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip==24.0
	# One pip command for everything: installing an extra on its own breaks Rasa's pins (shared/stack.md).
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed ## create .venv (Python 3.10) and install everything

$(MODEL): $(VENV)/.installed $(TRAINING_INPUTS)
	$(RASA) train --data nlu stories --domain domain.yml --config config.yml --out models --fixed-model-name kim
	touch $@  # rasa keeps the old file when only component code changed

train: $(MODEL) ## train the model into models/ (only when its data changed)

run: $(MODEL) ## start the assistant with the local web chat (one URL; Ctrl-C stops everything)
	$(PY) -m bot run

validate: $(VENV)/.installed ## rasa data validate, failing on warnings
	$(RASA) data validate --data nlu stories --domain domain.yml --fail-on-warnings

lint: $(VENV)/.installed ## ruff check and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test-unit: $(VENV)/.installed ## fast tests: no trained model needed
	$(VENV)/bin/pytest -m "not conversation"

test-stories: $(MODEL) ## rasa test core on the test stories
	$(RASA) test core --model $(MODEL) --stories tests/stories --fail-on-prediction-errors --out var/results

test-conversations: $(MODEL) ## conversations against a real Rasa server and action server on localhost
	$(VENV)/bin/pytest -m conversation

test: lint validate $(MODEL) ## everything CI runs: lint, validate, content check, unit tests, stories, conversations
	$(VENV)/bin/pytest
	$(RASA) test core --model $(MODEL) --stories tests/stories --fail-on-prediction-errors --out var/results

bench: $(MODEL) ## benchmarks (minutes): NLU cross-validation, latency, municipality, handoff
	$(PY) benchmarks/nlu_eval.py
	$(PY) benchmarks/latency.py
	$(PY) benchmarks/municipality.py
	$(PY) benchmarks/handoff.py

clean: ## remove the trained model, results and local data
	rm -rf models var results .pytest_cache
