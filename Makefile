# kiik: `make run` installs and serves the registry with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= sqlite:///./kiik.db
HOST ?= 127.0.0.1
PORT ?= 8000

FONTS := src/kiik/permits/adapters/fonts

.PHONY: install run test lint bench clean lock messages

VENDOR := src/kiik/web/static/vendor

install: $(VENV)/.installed $(FONTS)/DejaVuSans.ttf $(VENDOR)/leaflet.js $(VENDOR)/images/layers.png

# Permit PDFs print Kazakh and Russian names in DejaVu Sans (the PDF core fonts have Latin-1 only):
# taken from the npm registry at install time (package.json, package-lock.json), never committed.
$(FONTS)/DejaVuSans.ttf: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	mkdir -p $(FONTS)
	cp node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf node_modules/dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf $(FONTS)/
	cp node_modules/dejavu-fonts-ttf/LICENSE $(FONTS)/LICENSE-DejaVu

# The pages' maps and charts: Leaflet, uPlot, topojson-client and world-atlas's Natural Earth country
# outlines (1:110m), from npm like the fonts, served from /static/vendor and never committed; and the
# scanning pages' camera reader, barcode-detector (ZXing as WebAssembly, loaded only when the camera
# button is pressed where the browser has no BarcodeDetector of its own).
$(VENDOR)/leaflet.js: package.json package-lock.json $(FONTS)/DejaVuSans.ttf
	mkdir -p $(VENDOR)
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css $(VENDOR)/
	cp node_modules/uplot/dist/uPlot.iife.min.js node_modules/uplot/dist/uPlot.min.css $(VENDOR)/
	cp node_modules/topojson-client/dist/topojson-client.min.js $(VENDOR)/
	cp node_modules/world-atlas/countries-110m.json $(VENDOR)/
	cp node_modules/barcode-detector/dist/iife/ponyfill.js $(VENDOR)/barcode-detector.js
	cp node_modules/zxing-wasm/dist/reader/zxing_reader.wasm $(VENDOR)/
	cp node_modules/barcode-detector/LICENSE $(VENDOR)/LICENSE-barcode-detector
	cp node_modules/zxing-wasm/LICENSE $(VENDOR)/LICENSE-zxing-wasm
	cp node_modules/leaflet/LICENSE $(VENDOR)/LICENSE-leaflet
	cp node_modules/uplot/LICENSE $(VENDOR)/LICENSE-uplot
	cp node_modules/world-atlas/LICENSE $(VENDOR)/LICENSE-world-atlas

# Leaflet's images: the dashboard map's layer control button (a phone shows it collapsed).
$(VENDOR)/images/layers.png: $(VENDOR)/leaflet.js
	cp -r node_modules/leaflet/dist/images $(VENDOR)/

# Every dependency from requirements.lock, each checked against its recorded hashes; then kiik itself
# (its own code, no dependency resolved again). `make lock` writes the lock from pyproject.toml.
$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# The pages' catalogs (src/kiik/web/locale): every string the templates and page modules mark is
# added to each language's .po file; translate the new ones there. Compiled in memory at start.
WEB := src/kiik/web
messages: install
	$(BIN)/pybabel -q extract -F $(WEB)/babel.cfg --no-location --sort-output --omit-header -o $(WEB)/locale/messages.pot .
	$(BIN)/pybabel -q update -i $(WEB)/locale/messages.pot -d $(WEB)/locale --no-fuzzy-matching --ignore-obsolete -w 100
	rm $(WEB)/locale/messages.pot

lock: install
	$(BIN)/pip-compile --quiet --generate-hashes --extra dev --strip-extras --allow-unsafe \
		--no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml

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
	rm -rf $(VENV) kiik.db kiik.db-wal kiik.db-shm .pytest_cache .mypy_cache .ruff_cache node_modules $(FONTS) $(VENDOR)
