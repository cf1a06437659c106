# stepline's developer commands. `make help` lists them.

SHELL     := /bin/bash
GO        ?= go
FUZZ_TIME ?= 10s
BIN       ?= bin/stepline

.PHONY: help build test conformance test/postgres test/race fuzz bench load lint clean

help: ## List the targets.
	@grep -E '^[a-zA-Z/_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-15s %s\n", $$1, $$2}'

build: ## Build the stepline binary into bin/.
	$(GO) build -o $(BIN) ./cmd/stepline

test: ## Unit, API and SQLite tests; PostgreSQL ones too when STEPLINE_TEST_POSTGRES is set.
	$(GO) test ./...

conformance: ## The AWS-recorded Step Functions cases against a real server, printing "N passed, M failed".
	set -o pipefail; $(GO) test -count=1 -run '^TestConformance$$' -v ./cmd/stepline | grep -E '^(---|ok|FAIL|PASS)|conformance '

test/postgres: ## The PostgreSQL tests only (needs STEPLINE_TEST_POSTGRES=postgres://...).
	@test -n "$$STEPLINE_TEST_POSTGRES" || { echo "set STEPLINE_TEST_POSTGRES (scripts/postgres-start prints one)"; exit 2; }
	$(GO) test ./store/...
	$(GO) test -run 'TestMain_Postgres' ./cmd/stepline

test/race: ## The tests under the race detector (slow).
	$(GO) test -race ./...

fuzz: ## Run every fuzz target for FUZZ_TIME each (default 10s).
	@set -e; for dir in $$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u); do \
		for f in $$(grep -h '^func Fuzz' $$dir/*_test.go | sed 's/func \(Fuzz[A-Za-z0-9_]*\).*/\1/'); do \
			echo "fuzz $$dir $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZ_TIME) $$dir; \
		done; \
	done

bench: ## Run the benchmarks once each.
	$(GO) test -run '^$$' -bench . -benchmem ./...

load: build ## StartExecution load against a fresh server on SQLite (LOAD_FLAGS="--concurrency 16 --duration 10s").
	@set -e; dir=$$(mktemp -d); $(BIN) serve --listen 127.0.0.1:45999 --data-dir $$dir/data >$$dir/serve.log 2>&1 & pid=$$!; \
	trap 'kill $$pid; rm -rf $$dir' EXIT; \
	for i in $$(seq 50); do curl -sf http://127.0.0.1:45999/healthz >/dev/null && break; sleep 0.1; done; \
	$(GO) run ./tools/load --endpoint http://127.0.0.1:45999 $(LOAD_FLAGS)

lint: ## go vet.
	$(GO) vet ./...

clean: ## Remove built binaries.
	rm -rf bin
