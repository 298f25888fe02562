# Everything a user or CI needs, from a fresh clone: `make validate`, `make test`.
# The first target that needs it builds .venv from requirements.lock (exact versions).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PIP    := $(BIN)/pip --disable-pip-version-check --quiet

.PHONY: help setup browser r validate frictionless test bench export serve docs stats positions site site-shots site-png release release-public lock clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -r requirements.lock
	$(PIP) install --no-deps --no-build-isolation -e .
	touch $@

setup: $(STAMP)  ## create .venv with the pinned dependencies

validate: $(STAMP)  ## check the package: silent and exit 0 when valid, every problem otherwise
	@$(BIN)/peacetalks validate datapackage.json

frictionless: $(STAMP)  ## the reference validator on the same package
	$(BIN)/frictionless validate datapackage.json

# The site's browser tests drive Debian's chromium (never a downloaded one). `make test` never installs it
# (no system change unasked): without it those tests skip, saying so in one line. `make browser` installs it,
# as root with apt-get, and .ci/run calls it explicitly on a fresh machine.
CHROMIUM ?= /usr/bin/chromium
browser:  ## install Debian's chromium for the site's browser tests, if missing (as root, with apt-get)
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
	      || echo "warning: could not install chromium; the site's browser tests will be skipped"; \
	  else echo "note: no $(CHROMIUM) (and no apt-get as root): the site's browser tests will be skipped"; fi; \
	fi

# The R example (examples/read_release.R) and its test need Debian's R and four of its packages. Like
# `browser`, only on request (CI calls it): as root with apt-get, quietly; elsewhere it says so and the test skips.
R_PACKAGES := r-base-core r-cran-readr r-cran-dbi r-cran-rsqlite r-cran-jsonlite
r:  ## install Debian's R with readr, DBI, RSQLite and jsonlite for the R example's test, if missing (as root, with apt-get)
	@if ! command -v Rscript >/dev/null || ! Rscript -e 'for (p in c("readr","DBI","RSQLite","jsonlite")) library(p, character.only=TRUE)' >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(R_PACKAGES) >/dev/null) \
	      || echo "warning: could not install R; the R example's test will be skipped"; \
	  else echo "note: no Rscript with readr, DBI, RSQLite and jsonlite (and no apt-get as root): the R example's test will be skipped"; fi; \
	fi

test: $(STAMP)  ## the test suite (both validators on the real package; the site in a browser where chromium is installed: make browser)
	$(BIN)/python -m pytest -q -rs

bench: $(STAMP)  ## time peacetalks against frictionless on a 200,000-row copy and on the real package; time the site build
	$(BIN)/python -m peacetalks.bench $(BENCH_ARGS)

export: $(STAMP)  ## write SQLite, Parquet, XLSX, JSON and Stata copies of the tables to exports/ (validates first)
	$(BIN)/peacetalks export --format all --out exports datapackage.json

serve: $(STAMP)  ## build the SQLite export and browse it with Datasette on http://127.0.0.1:8001/ (Ctrl-C stops it)
	$(BIN)/peacetalks serve --out exports datapackage.json

docs: $(STAMP)  ## regenerate docs/codebook.md, the descriptor's sources and dates, CITATION.cff's date (commit the result)
	$(BIN)/peacetalks docs datapackage.json

stats: $(STAMP)  ## rows per table and source, figures per unit, demands per actor and issue
	$(BIN)/peacetalks stats datapackage.json

positions: $(STAMP)  ## each side's stance on each proposition, with row counts (peacetalks positions; validates first)
	$(BIN)/peacetalks positions datapackage.json

site: $(STAMP)  ## build the static website into site/ (open site/index.html; validates first)
	$(BIN)/peacetalks site --out site datapackage.json

site-shots: site browser  ## screenshots of home, timeline and positions at desktop and phone widths, in build/site-shots/
	$(BIN)/python -m peacetalks.site.shots site build/site-shots

site-png: site browser  ## regenerate docs/site.png, the README's picture of the site (commit the result)
	$(BIN)/python -m peacetalks.site.shots site --readme docs/site.png

# `peacetalks release` itself refuses unless validate passes, docs --check passes and CHANGELOG.md and
# CITATION.cff name the version, so the zip can never be built from an unchecked tree.
release: $(STAMP)  ## build dist/ukraine-peace-talks-<version>.zip: package, exports, toolkit, SHA256SUMS (after validate and docs --check)
	$(BIN)/peacetalks release --out dist datapackage.json

release-public: $(STAMP)  ## the same zip without the source texts, for re-hosting: each text replaced by its address, SHA-256 and quoted passages
	$(BIN)/peacetalks release --without-texts --out dist datapackage.json

lock:  ## re-resolve the newest allowed versions into requirements.lock
	rm -rf /tmp/peacetalks-lock && $(PYTHON) -m venv /tmp/peacetalks-lock
	/tmp/peacetalks-lock/bin/pip install --quiet -e '.[test,serve]' setuptools wheel
	{ echo "# Exact versions installed by 'make' (pip install -r requirements.lock). Regenerate with 'make lock'."; \
	  /tmp/peacetalks-lock/bin/pip freeze --all --exclude-editable | grep -v -E '^(peacetalks|pip)=='; } > requirements.lock

clean:  ## remove the virtualenv and build output
	rm -rf $(VENV) build dist exports bench/out site
