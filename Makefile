# SC-1 Commerce Suite. The two commands: `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := run

.PHONY: run dev test stop build tools lint sqlx-prepare bench-build bench-first-run bench-access bench-inventory bench-downloads bench-orders bench-pos bench-dashboard bench-marketplace clean-data

## Install what is missing, start the private database, migrate, load demo data once, serve :3000,
## with the browser's files optimised as shoppers get them.
run:
	@scripts/run.sh

## The same, with every file built for development: slower pages, quicker rebuilds.
dev:
	@scripts/run.sh --dev

## Every test: unit, database, HTTP, browser and an API fuzz run, against a throwaway database.
test:
	@scripts/test.sh

## Stop the private database under .data/.
stop:
	@scripts/pg.sh stop .data/pg

## Build the site (debug) without serving it.
build: tools
	@scripts/build-site.sh

tools:
	@scripts/tools.sh

## Formatting, lints and the query data in .sqlx/, as CI judges them.
lint:
	@scripts/lint.sh

## Regenerate .sqlx/ (the checked query data that lets builds run without a database).
sqlx-prepare:
	@scripts/sqlx-prepare.sh

## Build timings and download sizes, recorded in docs/BENCHMARKS.md.
bench-build:
	@bench/build.sh

## The first `make run` from a clean clone with none of the tools installed, timed.
bench-first-run:
	@bench/first-run.sh

## Stop the private database and delete its data (the demo data loads again on the next run).
clean-data: stop
	rm -rf .data

## Sign-in cost, the tenant setting's cost, authenticated API throughput (docs/BENCHMARKS.md).
bench-access:
	@bench/access.sh

## Hot SKU over two instances, a 10,000-row import, and the product list over 10,000 products.
bench-inventory:
	@bench/inventory.sh

## The storefront's shelf against a plain page, a phone's downloads and wait on 3G, the last
## units race and orders per second (docs/BENCHMARKS.md).
bench-orders:
	@bench/orders.sh

## The till: 10,000 queued sales synced and replayed, its first load, a sale rung offline.
bench-pos:
	@bench/pos.sh

## The dashboard on a million orders: figures from rollups against a straight count, the page,
## and what keeping the rollups costs checkouts.
bench-dashboard:
	@bench/dashboard.sh

## What a phone downloads and waits for on 3G, and the server's CPU per wasm download.
bench-downloads:
	@bench/downloads.sh

## The marketplace at scale: search over 100,000 vendors' products, a vendor's orders among
## 100,000, and checkouts across five vendors against one (docs/BENCHMARKS.md).
bench-marketplace:
	@bench/marketplace.sh
