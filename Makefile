# kiik: `make run` installs and serves the registry with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= sqlite:///./kiik.db
HOST ?= 127.0.0.1
PORT ?= 8000

FONTS := src/kiik/permits/adapters/fonts

.PHONY: install run test lint bench clean

install: $(VENV)/.installed $(FONTS)/DejaVuSans.ttf

# Permit PDFs print Kazakh and Russian names in DejaVu Sans (the PDF core fonts have Latin-1 only):
# taken from the npm registry at install time (package.json, package-lock.json), never committed.
$(FONTS)/DejaVuSans.ttf: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	mkdir -p $(FONTS)
	cp node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf node_modules/dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf $(FONTS)/
	cp node_modules/dejavu-fonts-ttf/LICENSE $(FONTS)/LICENSE-DejaVu

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

run: install
	$(BIN)/kiik init --db $(DB)
	$(BIN)/kiik demo --db $(DB)
	$(BIN)/kiik serve --db $(DB) --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

test: install lint
	$(BIN)/pytest -n auto -p no:cacheprovider

bench: install
	$(BIN)/python benchmarks/bench_capture.py

clean:
	rm -rf $(VENV) kiik.db kiik.db-wal kiik.db-shm .pytest_cache .mypy_cache .ruff_cache node_modules $(FONTS)
