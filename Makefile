# Herald — see README.md. `make help` lists the targets.

GO          ?= go
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
BIN         ?= bin

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets.
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk -F':.*?## ' '{printf "  %-10s %s\n", $$1, $$2}'

# run builds, then runs the binary as a job of its own, so that Ctrl-C
# reaches Herald alone and make exits with Herald's status (0 on a clean
# shutdown) rather than dying of the signal: see scripts/run.sh.
.PHONY: run
run: ## Run Herald in local mode: all five functions, one process, admin API on 127.0.0.1:8080.
	@GO="$(GO)" ./scripts/run.sh $(BIN)

.PHONY: test
test: ## Run every test with the race detector (the moto suite on its own, after the rest: both load the machine).
	$(GO) test -race -count=1 $$($(GO) list ./... | grep -v /pkg/emulator$$)
	$(GO) test -race -count=1 -timeout 25m ./pkg/emulator

.PHONY: bench
bench: ## Measure local mode (throughput, latency, retry timing, memory, micro-benchmarks) into bench/; BENCHFLAGS=-quick for a short run.
	$(GO) run ./scripts/bench -go $(GO) $(BENCHFLAGS)

# Lambda builds: linux/arm64 (Graviton), static, no RPC mode, small. grpcnotrace
# keeps gRPC (linked through gocloud's error codes) from importing
# golang.org/x/net/trace, whose html/template turns off the linker's removal
# of unused methods (3.4 MiB on a bare gocloud binary).
LAMBDA_ENV   := GOOS=linux GOARCH=arm64 CGO_ENABLED=0
LAMBDA_FLAGS := -tags lambda.norpc,grpcnotrace -trimpath -ldflags='-s -w'
LAMBDAS      := admin ingest deliver retry-scheduler expiry-notifier

.PHONY: emulator
emulator: ## Run the five functions as separate processes against moto_server (SQS, SNS, DynamoDB) on 127.0.0.1.
	$(GO) run ./scripts/emulator

.PHONY: test-emulator
test-emulator: ## The AWS tests alone: the contract suite on SQS/SNS/DynamoDB (moto_server), SQS round trip and delay, the five bootstraps under their IAM roles (steps, and the whole contract suite).
	$(GO) test -race -count=1 -timeout 25m -run 'TestContractEmulator|TestDecodeRecordRoundTripThroughSQS|TestEnqueueUsesSQSDelay|TestLongStepGoesThroughTableThenSQSDelay|TestKillDeliverLosesNothing|TestFunctionsUnderTheirRoles|TestContractUnderTheirRoles' ./pkg/...

.PHONY: build
build: ## Build the Lambda bootstrap of each function into bin/<function>/bootstrap and list their sizes.
	@for f in $(LAMBDAS); do \
	  mkdir -p $(BIN)/$$f && $(LAMBDA_ENV) $(GO) build $(LAMBDA_FLAGS) -o $(BIN)/$$f/bootstrap ./functions/$$f || exit 1; \
	done
	@for f in $(LAMBDAS); do printf '  %-16s %6d KiB\n' $$f $$(( $$(stat -c %s $(BIN)/$$f/bootstrap) / 1024 )); done

.PHONY: invoke
invoke: ## Run a function's bootstrap once through a local Lambda Runtime API and print its answer: make invoke FUNCTION=ingest EVENT=events/sqs-ingest-batch.json (with the HERALD_* and AWS_* set).
	@test -n "$(FUNCTION)" -a -n "$(EVENT)" || { echo "usage: make invoke FUNCTION=<admin|ingest|deliver|retry-scheduler|expiry-notifier> EVENT=events/<file>.json"; exit 2; }
	$(GO) run ./scripts/invoke -function $(FUNCTION) -event $(EVENT)

# `sam build` (BuildMethod: makefile) calls build-<LogicalId> with ARTIFACTS_DIR set.
build-AdminFunction:          ; $(LAMBDA_ENV) $(GO) build $(LAMBDA_FLAGS) -o $(ARTIFACTS_DIR)/bootstrap ./functions/admin
build-IngestFunction:         ; $(LAMBDA_ENV) $(GO) build $(LAMBDA_FLAGS) -o $(ARTIFACTS_DIR)/bootstrap ./functions/ingest
build-DeliverFunction:        ; $(LAMBDA_ENV) $(GO) build $(LAMBDA_FLAGS) -o $(ARTIFACTS_DIR)/bootstrap ./functions/deliver
build-RetrySchedulerFunction: ; $(LAMBDA_ENV) $(GO) build $(LAMBDA_FLAGS) -o $(ARTIFACTS_DIR)/bootstrap ./functions/retry-scheduler
build-ExpiryNotifierFunction: ; $(LAMBDA_ENV) $(GO) build $(LAMBDA_FLAGS) -o $(ARTIFACTS_DIR)/bootstrap ./functions/expiry-notifier

.PHONY: lint
lint: ## go vet, gofmt and staticcheck; fails on any finding.
	$(GO) vet ./...
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) run $(STATICCHECK) ./...

.PHONY: screenshots
screenshots: ## Regenerate the README's console screenshots (pkg/console/screenshots/) with the console's browser test; needs chromium.
	$(GO) run ./scripts/screenshots -go $(GO)

FUZZTIME ?= 60s

.PHONY: fuzz
fuzz: ## Run every fuzz target for FUZZTIME (default 60s) each, one worker each; fails on a crash or under 10,000 execs a minute. FUZZFLAGS=-run=FuzzParse for one.
	$(GO) run ./scripts/fuzz -go $(GO) -fuzztime $(FUZZTIME) $(FUZZFLAGS)

.PHONY: validate
validate: ## Lint template.yaml (SAM transform included) with cfn-lint.
	cfn-lint template.yaml

.PHONY: clean
clean: ## Remove build output.
	rm -rf $(BIN)
