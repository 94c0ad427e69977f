# Yizhan: `make run` serves the app with demo data; `make test` runs every check and test.
# Both install what they need from the registries and skip what is already installed.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
# A CI run builds once from a fresh clone: incremental state would only cost time and about
# 14 GB of disk (a full disk once failed CI's PostgreSQL run).
ifdef CI
export CARGO_INCREMENTAL := 0
endif
TRUNK_VERSION := 0.21
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/ {getline; gsub(/"/, "", $$3); print $$3}' Cargo.lock)
APT := $(shell command -v sudo >/dev/null 2>&1 && [ "$$(id -u)" != 0 ] && echo sudo) apt-get

.PHONY: help run test build tools test-tools size check lint unit e2e api-schema api-postgres soak clean bench http-bench

help:
	@echo "make run    build the app and serve it with demo stations on http://127.0.0.1:8080"
	@echo "make test   fmt, clippy (host + wasm), unit, API, API description and browser tests"
	@echo "make size   release sizes of the app (raw and brotli)"
	@echo "make soak   crash soak: 1,200 writes from 64 clients while the server is SIGKILLed (about a minute)"

## ---- tools -------------------------------------------------------------------------------
tools: node_modules/.installed
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@trunk --version 2>/dev/null | grep -q "^trunk $(TRUNK_VERSION)\." || \
	  { echo "installing trunk $(TRUNK_VERSION) (about 10 minutes, once)"; cargo install trunk --version "~$(TRUNK_VERSION)" --locked; }
	@wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $(WASM_BINDGEN_VERSION)" || \
	  { echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (about 5 minutes, once)"; \
	    cargo install wasm-bindgen-cli --version "$(WASM_BINDGEN_VERSION)" --force; }
	@command -v brotli >/dev/null || { $(APT) update -qq && $(APT) install -y -qq brotli; }

# Leaflet, esbuild and wasm-opt (binaryen) come from npm, pinned by package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# Leaflet as the map uses it (web/leaflet.js lists the parts; esbuild bundles them and the
# script trims leaflet.css): about 11 KB brotli less than Leaflet's full dist files.
LEAFLET_BUILD := web/build/leaflet.js web/build/leaflet.css
$(LEAFLET_BUILD) &: web/leaflet.js web/amenity-icons.js web/count-labels.js web/leaflet-build.mjs node_modules/.installed
	node web/leaflet-build.mjs
build: $(LEAFLET_BUILD)

# Chromium, its driver, and a CJK font so screenshots show Chinese text rather than boxes;
# PostgreSQL (server binaries and psql), which the API suite runs on as well as SQLite.
test-tools:
	@{ command -v chromium && command -v chromedriver && fc-list :lang=zh | grep -q .; } >/dev/null 2>&1 || \
	  { $(APT) update -qq && $(APT) install -y -qq chromium chromium-driver fonts-wqy-microhei fontconfig; }
	@{ ls /usr/lib/postgresql/*/bin/initdb && command -v psql; } >/dev/null 2>&1 || \
	  { $(APT) update -qq && $(APT) install -y -qq postgresql postgresql-client; }

## ---- build -------------------------------------------------------------------------------
# Five bundles: the map (index.html: /, /embed), a station's page (/stations/{id} and
# /embed?station= from dist/station-app), staff pages (/manage, /admin from dist/staff), the
# union sign-up a scanned poster opens (/join, /join/status from dist/join-app, served under
# /join-app/) and the in-app scanner with its QR decoder (/scan from dist/scan-app); none weighs
# on another's first view.
build: tools
	trunk build --release
	trunk build station.html --release --dist dist/station-app --public-url /station-app/
	trunk build staff.html --release --dist dist/staff --public-url /staff/
	trunk build join.html --release --dist dist/join-app --public-url /join-app/
	trunk build scan.html --release --dist dist/scan-app --public-url /scan-app/
	@# Trunk's minifier gives up on wasm-bindgen's glue; esbuild minifies it (and fixes its SRI).
	node web/minify-glue.mjs dist dist/station-app dist/staff dist/join-app dist/scan-app
	@# Precompressed twins, served as-is by the server (Content-Encoding br / gzip).
	@find dist -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.html' -o -name '*.svg' \) \
	  -exec brotli -f -q 11 {} \; -exec gzip -f -k -9 {} \;

size: build
	@printf "%-40s %10s %10s\n" file raw brotli
	@for f in dist/*.wasm dist/*.js dist/*.css; do \
	  printf "%-40s %10d %10d\n" "$$(basename $$f)" "$$(stat -c %s $$f)" "$$(stat -c %s $$f.br)"; done
	@# The map's first view: the page and what it loads before any data (not sw.js or embed.js,
	@# which come later or only on union sites). Budget: 200 KB brotli.
	@first="dist/index.html $$(ls dist/*.wasm dist/*.css dist/*.js | grep -v -e /sw.js -e /embed.js)"; \
	  cat $$first | wc -c | xargs printf "%-40s %10d" "map first view (html+wasm+js+css)"; \
	  for f in $$first; do cat $$f.br; done | wc -c | xargs printf " %10d\n"
	@for b in station-app staff join-app scan-app; do \
	  for f in dist/$$b/*.wasm dist/$$b/*.js dist/$$b/*.css; do \
	    printf "%-40s %10d %10d\n" "$$b/$$(basename $$f)" "$$(stat -c %s $$f)" "$$(stat -c %s $$f.br)"; done; \
	  for ext in wasm js css; do cat dist/$$b/*.$$ext; done | wc -c | xargs printf "%-40s %10d" "$$b total"; \
	  for ext in wasm js css; do cat dist/$$b/*.$$ext.br; done | wc -c | xargs printf " %10d\n"; done

run: build
	YIZHAN_DEMO=1 cargo run --release -p yizhan-server

## ---- checks ------------------------------------------------------------------------------
lint: tools
	cargo fmt --all -- --check
	@# Layers: no import cycles in core, the server or the app (src/).
	python3 tests/layers/check.py crates/core/src crates/server/src src
	cargo clippy --workspace --exclude yizhan-app --all-targets -- -D warnings
	cargo clippy -p yizhan-app -p yizhan-core --target wasm32-unknown-unknown -- -D warnings

# Unit and API tests (the browser suite needs the built app: see `e2e`).
# The app crate's pure functions (escaping, query building) are tested on the host too.
unit:
	cargo test --workspace --exclude yizhan-app --exclude yizhan-e2e
	cargo test -p yizhan-app --lib

e2e: build test-tools
	cargo test -p yizhan-e2e

test: tools test-tools lint build
	cargo test -p yizhan-app --lib
	cargo test --workspace --exclude yizhan-app --no-fail-fast
	@$(MAKE) --no-print-directory api-postgres
	@$(MAKE) --no-print-directory api-schema

# The whole API suite again on PostgreSQL: a throwaway cluster on a free port, started and
# always stopped by tests/postgres/with-postgres.sh.
api-postgres: test-tools
	tests/postgres/with-postgres.sh cargo test -p yizhan-server --test api

## ---- API description ---------------------------------------------------------------------
# Schemathesis (pinned, in its own virtual environment) against /api/v1/openapi.json and the
# debug server it describes: every answer documented with its body, a request the description
# allows never refused as malformed, one it does not allow never accepted. Fixed seed, about two
# minutes; tests/schemathesis/run.sh says how to run it with another seed or on a few operations.
SCHEMATHESIS_VERSION := 4.32.5
SCHEMATHESIS_VENV := .venv-schemathesis

$(SCHEMATHESIS_VENV)/.installed-$(SCHEMATHESIS_VERSION):
	@python3 -c 'import ensurepip, venv' 2>/dev/null || { $(APT) update -qq && $(APT) install -y -qq python3-venv; }
	rm -rf $(SCHEMATHESIS_VENV)
	python3 -m venv $(SCHEMATHESIS_VENV)
	$(SCHEMATHESIS_VENV)/bin/pip install --quiet --disable-pip-version-check "schemathesis==$(SCHEMATHESIS_VERSION)"
	@touch $@

api-schema: $(SCHEMATHESIS_VENV)/.installed-$(SCHEMATHESIS_VERSION)
	SCHEMATHESIS_VENV=$(SCHEMATHESIS_VENV) tests/schemathesis/run.sh --no-color

clean:
	rm -rf dist target node_modules $(SCHEMATHESIS_VENV)

## ---- crash soak (not part of `make test`; figures in docs/reliability.md)
# The real server binary on loopback and a throwaway database, killed with SIGKILL at random
# moments (every 0.15–0.85 s, at most 12 times or 4 minutes) while 64 clients send 1,200 writes and retry them as
# the app's outboxes do; then every write must exist exactly once. Prints the counts.
soak:
	cargo test -p yizhan-server --test api soak -- --ignored --nocapture

## ---- benchmarks (not part of `make test`; results and how to read them: docs/performance.md)
# Server index timings (criterion), then the map in headless Chromium against supercluster and
# Leaflet.markercluster on the same points, then Lighthouse 13, against a release server seeded
# with BENCH_STATIONS demo stations in a throwaway database on a free port.
BENCH_STATIONS ?= 100000
BENCH_RUNS ?= 3
.PHONY: bench
# wrk against the release server on both demo seeds (bench/http-bench.sh; BENCH_DATABASE_URL
# names another database, BENCH_AREAS / BENCH_STATIONS / BENCH_DURATION change the runs).
http-bench:
	@command -v wrk >/dev/null || { $(APT) update -qq && $(APT) install -y -qq wrk; }
	cargo build --release -p yizhan-server
	@mkdir -p bench/out
	bench/http-bench.sh | tee bench/out/http-bench.txt

bench: build test-tools
	cargo build --release -p yizhan-server
	@mkdir -p bench/out
	cargo bench -p yizhan-server --bench stations | tee bench/out/server-bench.txt
	@$(MAKE) --no-print-directory http-bench
	npm ci --prefix bench --no-audit --no-fund
	@tmp=$$(mktemp -d); \
	port=$$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'); \
	base=http://127.0.0.1:$$port; \
	echo "seeding $(BENCH_STATIONS) demo stations and serving on $$base"; \
	YIZHAN_ADDR=127.0.0.1:$$port YIZHAN_DATABASE_URL=sqlite://$$tmp/bench.db YIZHAN_DEMO=1 YIZHAN_DEMO_STATIONS=$(BENCH_STATIONS) \
	  RUST_LOG=warn,sqlx=error target/release/yizhan-server >$$tmp/server.log 2>&1 & pid=$$!; \
	trap 'kill $$pid 2>/dev/null; wait $$pid 2>/dev/null || true; rm -rf $$tmp' EXIT; \
	until curl -sf -o /dev/null $$base/healthz; do \
	  kill -0 $$pid 2>/dev/null || { cat $$tmp/server.log; exit 1; }; sleep 1; done; \
	node bench/map-bench.mjs --base $$base --runs $(BENCH_RUNS) | tee bench/out/map-bench.txt; \
	node bench/lighthouse.mjs --base $$base --runs $(BENCH_RUNS) | tee bench/out/lighthouse.txt
	@echo; echo "==== summary (details: bench/out/) ===="
	@sed -n '/^station index/,/^$$/p' bench/out/server-bench.txt
	@cat bench/out/map-bench.txt bench/out/lighthouse.txt
