# Fresh machine: `make demo` or `make test`.  Both create .venv and install the project.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint install bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	# Byte-compile the project as a regular install would (this machine sets
	# PYTHONDONTWRITEBYTECODE, so an editable install would recompile it on every start).
	$(PY) -m compileall -q checker models web
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/followup check --fail-on never data/examples/*.txt

test: $(STAMP)
	$(PY) -m pytest -q -n 2 -p no:cacheprovider

# Lint: ruff (lint rules and the format check) over the project, mypy over the core contracts.
TYPED := checker/report.py checker/api.py checker/config.py checker/kinds.py checker/errors.py \
	checker/rules/__init__.py checker/rules/engine.py checker/rules/signals.py \
	checker/learned.py checker/contacts/service.py

lint: $(STAMP)
	$(PY) -m pip install --quiet 'ruff==0.17.6' 'mypy==2.4.1'
	$(VENV)/bin/ruff check checker models web bench tests tools
	$(VENV)/bin/ruff format --check checker models web bench tests tools
	$(VENV)/bin/mypy $(TYPED)

bench: $(STAMP)
	for f in bench/bench_*.py; do $(PY) $$f || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info test-artifacts
