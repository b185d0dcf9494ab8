# newsdedup: the two commands a fresh machine needs are `make run` and `make test`.
GO       ?= go
BIN      := bin/newsdedup
DATA     ?= ./data
HTTP     ?= 127.0.0.1:8080
PKGS     := ./...

.PHONY: all build run test vet fmt bench clean nats-server deps

all: build

build:
	$(GO) build -o $(BIN) ./services/newsdedup

# The whole pipeline in one process: embedded NATS, every worker, the API and
# search UI, and the built-in sample site whose feed is fetched over HTTP.
run: build
	./$(BIN) run --data $(DATA) --http $(HTTP) --sample

# A real nats-server binary, for the distributed mode and its tests.
nats-server:
	$(GO) build -o bin/nats-server github.com/nats-io/nats-server/v2

# System packages the tests use: Debian's Chromium for the browser test of the
# search UI. Without root or apt the browser test skips and says why.
deps:
	@if command -v chromium >/dev/null 2>&1; then echo "chromium: $$(command -v chromium)"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "chromium missing: run 'sudo apt-get install chromium' for the browser test"; fi

vet:
	$(GO) vet $(PKGS)

fmt:
	gofmt -l -w .

test: build nats-server
	@test -z "$$(gofmt -l .)" || { echo "gofmt would change:"; gofmt -l .; exit 1; }
	$(GO) vet $(PKGS)
	NEWSDEDUP_BIN=$(CURDIR)/$(BIN) NATS_SERVER_BIN=$(CURDIR)/bin/nats-server $(GO) test -count=1 -timeout 30m $(PKGS)

# Go benchmarks of every stage core, then whole-pipeline runs through the
# embedded NATS (texts from ../shared/eval, reused to reach the size asked).
EVAL     ?= ../shared/eval
BENCH_N  ?= 5000
bench: build
	$(GO) test -run '^$$' -bench . -benchmem -count=1 $(PKGS)
	./$(BIN) bench --eval $(EVAL) --articles $(BENCH_N)
	./$(BIN) bench --eval $(EVAL) --articles 2000 --html --page-kb 50
	./$(BIN) bench --eval $(EVAL) --articles 3000 --rate 100

clean:
	rm -rf bin
