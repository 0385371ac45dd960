# Custody: `make run` sets up what is missing, builds and runs the daemon under ./var;
# `make test` runs every test. See README.md.

SWIFT        ?= swift
SHELL        := /bin/bash
PREFIX       ?= /usr/local
VAR          := $(CURDIR)/var
DEBIAN_PKGS  := openssl libxxhash-dev rsync dpkg-dev systemd man-db fusefat mtools dosfstools exfatprogs exfat-fuse fuse3 xorriso ffmpeg libsqlite3-dev sqlite3 curl util-linux librsvg2-bin poppler-utils fonts-wqy-microhei qrencode zbar-tools libfuse3-dev pkg-config \
               cockpit-ws cockpit-bridge chromium chromium-driver
BIN          := .build/debug

.PHONY: all deps build run test console-test console-screenshots bench bench-catalog bench-console bench-soak bench-usb bench-slow clean install deb deb-test fuzz

all: build

# Installs the Debian packages the daemon and the tests use, only when one is missing.
deps:
	@missing=""; for p in $(DEBIAN_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
	@python3 -c 'import prometheus_client' 2>/dev/null || python3 -m pip install -q prometheus-client
	@command -v bagit.py >/dev/null || python3 -m pip install -q bagit
	@python3 -c 'import selenium' 2>/dev/null || python3 -m pip install -q selenium

build: deps
	$(SWIFT) build

# Runs custodyd in the foreground on var/custodyd.toml (made from the embedded default on first run).
run: build
	@mkdir -p $(VAR)/media $(VAR)/drop
	@test -f $(VAR)/custodyd.toml || sed \
	  -e 's|^store = .*|store = "store"|' -e 's|^catalog = .*|catalog = "catalog.sqlite"|' \
	  -e 's|^socket = .*|socket = "custodyd.sock"|' -e 's|^spool = .*|spool = "spool"|' \
	  -e 's|^mount_roots = .*|mount_roots = ["media"]|' -e 's|^drop_dirs = .*|drop_dirs = ["drop"]|' \
	  -e 's|^# reserve_mb = .*|reserve_mb = 256|' \
	  etc/custody/custodyd.toml > $(VAR)/custodyd.toml
	@test -f $(VAR)/calendar.txt || cp etc/custody/calendar.txt $(VAR)/calendar.txt
	@echo "custodyd: config $(VAR)/custodyd.toml"
	@echo "custodyd: socket $(VAR)/custodyd.sock  (try: $(BIN)/custodyctl --socket $(VAR)/custodyd.sock status)"
	@echo "custodyd: mount a camera under $(VAR)/media/<name>, or copy a camera folder into $(VAR)/drop/<name>"
	$(BIN)/custodyd --config $(VAR)/custodyd.toml

# Builds once (debug) and runs every test: unit tests and the end-to-end tests with real FAT32
# images, the real daemon and the real socket; the date-sensitive suites again with the wall clock
# moved to month ends and holiday eves (scripts/date-suites.sh); the web console in Chromium through a real
# cockpit-ws (Tests/Console, screenshots in .build/console-screenshots); then the Debian package built from the debug
# binaries, installed into a scratch root (outside `swift test`, which holds the build lock that
# the man-page plugin needs).
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-xctest --no-parallel
	python3 Tests/Console/console_test.py --bin $(BIN)
	BIN_DIR=$(BIN) scripts/date-suites.sh
	BIN_DIR=$(BIN) packaging/test-deb.sh

# The web console alone in a real browser (Tests/Console/console_test.py, under a minute, root).
console-test: build
	python3 Tests/Console/console_test.py --bin $(BIN)

# The same, writing the README's screenshots (Chinese UI) into docs/console.
console-screenshots: build
	python3 Tests/Console/console_test.py --bin $(BIN) --screenshots docs/console

# Seeking in a 500 MB clip through the console's player: seconds from the seek to the frame shown
# (Benchmarks/console-seek.py; about 5 minutes, root).
bench-console: build
	python3 Benchmarks/console-seek.py --bin $(BIN)

# Every measure of the performance issue side by side with cp, rsync, sha256sum and openssl in
# the same run, then a table against the targets (Benchmarks/run-all.sh; about 20 minutes, root).
bench: deps
	$(SWIFT) build -c release
	CUSTODY_BIN=.build/release Benchmarks/run-all.sh --runs 3

# The catalog at a million clips: a generated year of a ~200-officer station, then status, clip
# lists, a month's report and the deadline scan timed through a release custodyd (as root; about
# 10 minutes, 6 GB under /var/tmp while it runs). See Benchmarks/README.md.
bench-catalog: deps
	$(SWIFT) build -c release --scratch-path .build-bench
	CUSTODY_BIN=.build-bench/release Benchmarks/catalog-bench.sh $(BENCH_CATALOG_ARGS)

# A month without a restart: one release custodyd through 500 dumps (mounted, ingested, unmounted,
# queries and an event listener between them), RSS, fds, threads and catalog size per dump, the
# slope after warm-up; once with the fixity scrub idle, once with it running (as root; about 45
# minutes). See Benchmarks/README.md.
bench-soak: deps
	$(SWIFT) build -c release --scratch-path .build-bench
	CUSTODY_BIN=.build-bench/release Benchmarks/soak.sh --scrub off --csv soak-scrub-off.csv $(BENCH_SOAK_ARGS)
	CUSTODY_BIN=.build-bench/release Benchmarks/soak.sh --scrub on --csv soak-scrub-on.csv $(BENCH_SOAK_ARGS)

# Twelve cameras docked at once at USB 2.0 / 3.0 speed (a blkio read throttle per loop device),
# then the same twelve unthrottled against twelve `cp -a` in parallel (as root; about 5 minutes,
# 14 GB under /var/tmp while it runs). See Benchmarks/README.md.
bench-usb: deps
	$(SWIFT) build -c release --scratch-path .build-bench
	CUSTODY_BIN=.build-bench/release Benchmarks/usb-cameras.sh $(BENCH_USB_ARGS)

# Large files on slow media: a 4 GB clip at USB 2.0 speed (a blkio throttle on a loop device),
# progress once a second, a stalled medium, a yank at 90 % and what the re-dock reads again (as
# root; about 15 minutes, 11 GB of images under /var/tmp). See Benchmarks/README.md.
bench-slow: deps
	$(SWIFT) build -c release --scratch-path .build-bench
	CUSTODY_BIN=.build-bench/release Benchmarks/slow-medium.sh $(BENCH_SLOW_ARGS)

clean:
	rm -rf .build var

# Installs into $(DESTDIR)$(PREFIX) from a release build: binaries, units, sysusers/tmpfiles files,
# udev rule, man pages, completions; the config into $(DESTDIR)/etc/custody, kept if present
# (FORCE=1 replaces it). `make install PREFIX=/usr` uses the package's paths. See packaging/install.sh.
install: deps
	$(SWIFT) build -c release
	PREFIX='$(PREFIX)' DESTDIR='$(DESTDIR)' BIN_DIR=.build/release packaging/install.sh

# The Debian package dist/custody_<version>_<arch>.deb. Release build with the Swift runtime linked
# in (own scratch path), so that the package installs on a clean Debian 12 without /opt/swift.
deb: deps
	$(SWIFT) build -c release --static-swift-stdlib --scratch-path .build/static
	BIN_DIR=.build/static/release STRICT_LIBS=1 OUT=dist packaging/build-deb.sh

# Builds the package from the debug build and tests it: contents, control fields, conffiles, and
# dpkg -i / upgrade / purge in an empty scratch root (user, groups, folders, unit, exposure).
deb-test: build
	BIN_DIR=$(BIN) packaging/test-deb.sh

# libFuzzer targets (Fuzz/, its own package) for the file-name grammars, the media probes, the
# ledger CSV reader, the config file, the calendar file and the admin API's HTTP handling (FuzzHTTP:
# raw connection bytes to the daemon's own admin server, Hummingbird on a Unix socket, over a real
# catalog in a temp folder), each run for FUZZ_SECONDS on a copy of the committed corpus, with
# Fuzz/dict/<corpus>.dict when there is one. A crash leaves its input in Fuzz/crashes/ and fails
# the target: turn it into a regression test. Needs deps: FuzzHTTP's disc routes run xorriso and
# rsvg-convert, and a missing tool would answer 500, which FuzzHTTP counts as a failure.
FUZZ_SECONDS ?= 60
fuzz: deps
	$(SWIFT) build -c release --package-path Fuzz -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library
	@mkdir -p Fuzz/crashes
	@for t in Grammar:grammar Probe:probe LedgerCSV:csv Config:config Calendar:calendar HTTP:http; do \
	  name=$${t%%:*}; corpus=$${t##*:}; work=$$(mktemp -d); \
	  dict=; [ -f Fuzz/dict/$$corpus.dict ] && dict=-dict=Fuzz/dict/$$corpus.dict; \
	  echo "== Fuzz$$name ($(FUZZ_SECONDS) s)"; \
	  SWIFT_BACKTRACE=enable=no Fuzz/.build/release/Fuzz$$name -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=1024 $$dict \
	    -artifact_prefix=Fuzz/crashes/$$name- $$work Fuzz/corpus/$$corpus 2>&1 | grep -E '^Done|ERROR|SUMMARY' ; \
	  status=$${PIPESTATUS[0]}; rm -rf $$work; [ $$status -eq 0 ] || exit $$status; \
	done
