# Herald — see README.md. `make help` lists the targets.

GO          ?= go
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
BIN         ?= bin
FUNCTIONS   := admin ingest deliver retry-scheduler expiry-notifier local

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets.
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk -F':.*?## ' '{printf "  %-10s %s\n", $$1, $$2}'

.PHONY: run
run: ## Run Herald in local mode: all five functions, one process, admin API on 127.0.0.1:8080.
	$(GO) run ./functions/local

.PHONY: test
test: ## Run every test with the race detector.
	$(GO) test -race -count=1 ./...

.PHONY: build
build: ## Build the function binaries for this machine into bin/.
	@mkdir -p $(BIN)
	@for f in $(FUNCTIONS); do $(GO) build -trimpath -o $(BIN)/$$f ./functions/$$f || exit 1; done
	@ls -l $(BIN)

.PHONY: lint
lint: ## go vet, gofmt and staticcheck; fails on any finding.
	$(GO) vet ./...
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) run $(STATICCHECK) ./...

.PHONY: fuzz
fuzz: ## Run every fuzz target for FUZZTIME (default 60s) each.
	@for pkg in $$($(GO) list ./pkg/...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "$$pkg $$f"; $(GO) test $$pkg -run '^$$' -fuzz "^$$f$$" -fuzztime $${FUZZTIME:-60s} || exit 1; \
	  done; \
	done

.PHONY: clean
clean: ## Remove build output.
	rm -rf $(BIN)
