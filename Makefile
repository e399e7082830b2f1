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

test: lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q --durations=25

clean:
	rm -rf $(VENV)
