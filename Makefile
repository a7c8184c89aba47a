# gvia — two commands on a fresh machine with Python 3.11+:
#   make demo   sets up .venv, creates var/gvia.db with a demo business, serves http://127.0.0.1:8000
#   make test   installs what the tests need and runs the whole suite (SQLite, then PostgreSQL if reachable)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DB     ?= sqlite:///var/gvia.db
# the compiled catalogs: build output (git-ignored) of src/gvia/locale/<lang>/LC_MESSAGES/*.po
CATALOGS := $(patsubst %.po,%.mo,$(wildcard src/gvia/locale/*/LC_MESSAGES/*.po))

.PHONY: install catalogs demo serve test bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "gvia needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m gvia.locale
	@touch $(STAMP)

install: $(STAMP) catalogs

# a .po newer than its .mo is compiled again (Babel, pure Python: python -m gvia.locale)
catalogs: $(CATALOGS)

%.mo: %.po | $(STAMP)
	$(BIN)/python -m gvia.locale $<

demo: install
	$(BIN)/gvia --db $(DB) demo
	$(BIN)/gvia --db $(DB) serve --worker

serve: install
	$(BIN)/gvia --db $(DB) serve --worker

test: install
	bash tools/run-tests

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var build *.egg-info $(CATALOGS)
