# innograph — two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help
GO ?= go
BIN := bin/innograph
# The test run uses its own local Neo4j instance and port, so it never touches
# the data of `make run`.
TEST_BOLT_PORT ?= 7688
# TEST_INSTANCE names the test instance's folder (.neo4j/NAME); with
# TEST_BOLT_PORT and FAULTS_BOLT_PORT it lets two checkouts test side by side.
TEST_INSTANCE ?= test

.PHONY: help
help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN): $(shell find . -name '*.go' -not -path './.neo4j/*') go.mod go.sum $(shell find seed/data web/dist -type f)
	@mkdir -p bin
	$(GO) build -o $(BIN) ./cmd/innograph

.PHONY: build
build: $(BIN) ## build the binary into bin/

.PHONY: run
run: $(BIN) ## start Neo4j (unless NEO4J_URI is set), apply the schema, load the seed, serve on :8080
	$(BIN) run

.PHONY: neo4j-start neo4j-stop neo4j-status
neo4j-start: $(BIN) ## start the local Neo4j (idempotent)
	$(BIN) neo4j start
neo4j-stop: $(BIN) ## stop the local Neo4j (idempotent)
	$(BIN) neo4j stop
neo4j-status: $(BIN) ## is the local Neo4j running and answering?
	$(BIN) neo4j status

.PHONY: load
load: $(BIN) ## validate and merge seed files into the running graph: make load FILES="new.yaml"
	$(BIN) load $(FILES)

.PHONY: validate
validate: $(BIN) ## validate the seed files (quotes checked against ../shared/seeds)
	$(BIN) validate $(FILES)

.PHONY: web
web: ## rebuild the web pages into web/dist (commit the result)
	cd web/ui && npm ci --no-audit --no-fund && npm run build

.PHONY: generate
generate: ## regenerate gqlgen code from schema.graphqls
	$(GO) run github.com/99designs/gqlgen@v0.17.81 generate

# make test: unit and integration tests against a real Neo4j. Unless NEO4J_URI
# is given, a local Neo4j instance ("test", port $(TEST_BOLT_PORT)) is started
# first and stopped afterwards; if it cannot start, the run fails.
.PHONY: test
test: $(BIN) ## run every test, integration tests included, against a real Neo4j
	@set -euo pipefail; \
	if [ -z "$${NEO4J_URI:-}" ]; then \
	  export NEO4J_INSTANCE=$(TEST_INSTANCE) NEO4J_BOLT_PORT=$(TEST_BOLT_PORT); \
	  $(BIN) neo4j start >/dev/null || { echo "FATAL: could not start Neo4j for the tests (see .neo4j/test/logs)"; exit 1; }; \
	  trap '$(BIN) neo4j stop >/dev/null 2>&1 || true' EXIT; \
	  export NEO4J_URI=bolt://127.0.0.1:$(TEST_BOLT_PORT) NEO4J_USER= NEO4J_PASSWORD=; \
	fi; \
	test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.neo4j/*'))" || { echo "gofmt needed:"; gofmt -l .; exit 1; }; \
	$(GO) vet ./...; \
	bash web/check-dist.sh; \
	$(GO) test -p 1 -count=1 -timeout 20m ./...

# make soak: the faults and load suite of cmd/innograph (which make test runs
# with a 20s load) with a long sustained load. It starts and stops its own
# local Neo4j instance ("faults", Bolt port 7690), which it kills on purpose.
SOAK_DURATION ?= 3m
.PHONY: soak
soak: ## faults and load suite with a sustained load of SOAK_DURATION (3m)
	FAULTS_LOAD_DURATION=$(SOAK_DURATION) $(GO) test -p 1 -count=1 -timeout 60m -v \
	  -run '^(TestNeo4jOutage|TestCrashMidMutation|TestMixedLoad|TestGracefulShutdownUnderLoad)$$' ./cmd/innograph

.PHONY: clean
clean: ## remove build output (keeps Neo4j data; rm -rf .neo4j to reset it)
	rm -rf bin

# Benchmarks: innograph vs @neo4j/graphql vs raw Cypher over one Neo4j (its own
# local instance "bench" on Bolt 7689; servers on 18080/18081). Results in
# bench/results/latest.{json,md}. See bench/README.md.
BENCH_SIZES ?= 10000 100000
.PHONY: bench bench-quick
bench-quick: ## benchmark at 10k entities with short runs
	BENCH_MODE=quick BENCH_SIZES=10000 bench/run.sh
bench: ## full benchmark at $(BENCH_SIZES) entities (add 1000000 for 1M)
	BENCH_MODE=full BENCH_SIZES="$(BENCH_SIZES)" bench/run.sh

.PHONY: eval
eval: $(BIN) ## measure the ingestion analyser against the seed articles (SEED_DOCS, default ../shared/seeds)
	$(BIN) eval
