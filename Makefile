VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run doctor test lint clean

$(STAMP): pyproject.toml
	python3.11 -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: doctor
	$(PY) main.py

doctor: $(STAMP)
	$(PY) -m ui.platform_check

lint: $(STAMP)
	$(VENV)/bin/ruff check app db ui tests main.py
	$(VENV)/bin/mypy app db ui main.py

# Two workers (this is a 2-core machine); the one test that restarts the shared
# PostgreSQL server runs alone afterwards, so it cannot cut the other worker's connections.
test: lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -n 2 --dist worksteal -m "not serial" --durations=25
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -m serial

clean:
	rm -rf $(VENV)
