# The two commands of the README: `make start` and `make test`. Everything else is a step of theirs.
SHELL := /bin/bash
NPM_STAMP := node_modules/.package-lock.json
JEST_ARGS ?=

.PHONY: start test fault test-cluster bench servers cluster-servers test-tools build check clean-data

## Install, build, and run lisplan on its embedded Temporal and mongod (Ctrl-C stops it).
start: $(NPM_STAMP) servers build
	node dist/src/stack/main.js

## Install, build, and run the whole test suite against real servers.
test: $(NPM_STAMP) servers test-tools build check
	npx jest $(JEST_ARGS)

## The fault-injection suite: kills and starts its own servers, so it runs after `make test`.
fault: $(NPM_STAMP) servers build
	npx jest --config jest.fault.config.js $(JEST_ARGS)

## The production topology: the Temporal server (not the dev server) on PostgreSQL, two workers and two APIs per suite.
test-cluster: $(NPM_STAMP) servers cluster-servers test-tools build
	npx jest --config jest.cluster.config.js $(JEST_ARGS)

## Benchmarks against the embedded servers: prints a table, writes JSON under bench/results/.
bench: $(NPM_STAMP) servers build
	node dist/bench/main.js

# Not `npm ci`: the registry mirror here serves only this platform's optional binaries, so the
# lock cannot list the others and `npm ci` refuses it. `--no-save` keeps the lock's versions.
$(NPM_STAMP): package.json package-lock.json
	npm install --no-save --no-audit --no-fund --loglevel=error
	@touch $@

servers:
	@scripts/provision-servers.sh

## The Temporal server and its sql tool (Go module proxy) and Debian's PostgreSQL, for `make test-cluster`.
cluster-servers:
	@scripts/provision-temporal-server.sh

## What only the tests need: Temporal's time-skipping test server and veraPDF (Java), schemathesis (Python) and Debian's packages (Chromium for the browser tests, pdftotext, faketime, LibreOffice).
test-tools:
	@scripts/provision-servers.sh --with-test-server
	@scripts/provision-schemathesis.sh
	@scripts/provision-verapdf.sh
	@scripts/provision-test-packages.sh

build: $(NPM_STAMP)
	npm run --silent build

check: $(NPM_STAMP)
	npm run --silent typecheck
	npm run --silent lint

## Removes the local data of `make start` (Temporal history and the store).
clean-data:
	rm -rf data
