# newsdedup: the two commands a fresh machine needs are `make run` and `make test`.
GO       ?= go
BIN      := bin/newsdedup
DATA     ?= ./data
HTTP     ?= 127.0.0.1:8080
PKGS     := ./...

.PHONY: all build run test vet fmt bench clean nats-server

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

vet:
	$(GO) vet $(PKGS)

fmt:
	gofmt -l -w .

test: build nats-server
	@test -z "$$(gofmt -l .)" || { echo "gofmt would change:"; gofmt -l .; exit 1; }
	$(GO) vet $(PKGS)
	NEWSDEDUP_BIN=$(CURDIR)/$(BIN) NATS_SERVER_BIN=$(CURDIR)/bin/nats-server $(GO) test -count=1 -timeout 30m $(PKGS)

bench: build
	$(GO) test -run '^$$' -bench . -benchmem -count=1 $(PKGS)

clean:
	rm -rf bin
