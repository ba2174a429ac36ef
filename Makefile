# The README's two commands: `make run` and `make test`. `make bench` prints the benchmark figures.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.PHONY: run test bench bench-peers install system-deps schemas templates clean

run: install
	$(VENV)/bin/docgen serve

# Then docgen's bytecode, as `pip install` writes it for a non-editable install: with
# PYTHONDONTWRITEBYTECODE set, an editable install would compile ~40 modules from source
# at every `docgen` command (~30 ms of start-up). Stale files are simply recompiled.
install: $(STAMP)
	@$(PY) -m compileall -q docgen >/dev/null

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

# Debian packages (LibreOffice, fonts, chromium, redis, postgresql): installed when root,
# listed as missing otherwise (those tests then skip, naming the package).
system-deps:
	bash scripts/install-system-deps.sh

test: install system-deps
	$(PY) -m pytest $(PYTEST_ARGS)

# Each benchmark prints its figures and, as its last line, a JSON object; run.py
# comes last, so the last line of `make bench` carries the headline figures.
# `make bench BENCH=run` runs one of them. The JS peers (docxtemplater, Carbone)
# are installed from benchmarks/js/package-lock.json where node exists.
BENCH ?= pdf_pool pdf_vs_carbone api_latency batch register_numbers check rounds_report startup run
bench: install system-deps bench-peers
	@for b in $(BENCH); do echo "== benchmarks/$$b.py"; $(PY) benchmarks/$$b.py || exit 1; done

bench-peers:
	@if command -v npm >/dev/null 2>&1; then cd benchmarks/js && npm ci --no-audit --no-fund --silent; \
	else echo "node/npm not found: the JS peers (docxtemplater, Carbone) are skipped"; fi

# Regenerate the committed artefacts (tests fail when these drift).
schemas: install
	$(VENV)/bin/docgen schemas --write

# The committed templates/<id>/template.docx are the source (edit them in Word); this
# lists the scaffolds that write a *new* pack's first template (never an existing one).
templates: install
	$(PY) scripts/scaffold_pack.py --list

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
