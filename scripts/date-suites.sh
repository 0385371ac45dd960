#!/usr/bin/env bash
# Runs the date-sensitive suites (deadlines, reports, retention, access expiry, the calendar and
# station times) again with the whole process tree's clock moved to awkward instants, so that no
# test depends on the day it runs (attribution issue: `make test` went red on 2026-12-01).
#
# The clock is moved by tools/clockshift (an LD_PRELOAD that shifts CLOCK_REALTIME, gettimeofday
# and time by a number of seconds and nothing else), built here with gcc. Every process of the run
# (test runner, custodyd, custodyctl, fusefat, sqlite3) inherits it and sees the same moved wall
# clock; monotonic clocks, timers and sleeps stay real. Debian's libfaketime cannot be used: it
# rewrites timerfd deadlines on the monotonic clock, and every Task.sleep and Process wait of a
# Swift program under it hangs (tools/clockshift/clockshift.c says how).
set -euo pipefail
cd "$(dirname "$0")/.."

FILTER=${DATE_SUITES_FILTER:-'DeadlineEndToEndTests|RetentionEndToEndTests|AccessEndToEndTests|AccessRegisterEndToEndTests|AccessUseRuleTests|DeadlinePolicyTests|DeadlinePolicyBoundTests|WorkingCalendarTests|StationTimeTests|ComplianceReportTests|ApprovalRuleTests|ProtectionEndToEndTests|ComplianceDueTests|ComplianceRateTests|ChinesePaperEndToEndTests'}
# Station time (Asia/Shanghai), with why each instant is awkward.
INSTANTS=(
  "2026-12-31 23:59:30|New Year's Eve, the last minute of a month and of a year"
  "2027-02-28 23:59:30|the last minute of February"
  "2026-02-14 23:59:30|the eve of the Spring Festival holiday, itself a make-up working Saturday"
  "2026-09-20 10:00:00|a make-up working Sunday"
)

# The test binary itself, not `swift test`: SwiftPM re-checks manifests and clang's module cache
# against the clock, and a moved clock makes it rebuild them (and fail).
BIN_DIR=${BIN_DIR:-.build/debug}
shim_dir=$(mktemp -d)
trap 'rm -rf "$shim_dir"' EXIT
gcc -O2 -shared -fPIC -o "$shim_dir/clockshift.so" tools/clockshift/clockshift.c -ldl
for entry in "${INSTANTS[@]}"; do
  instant=${entry%%|*}; why=${entry#*|}
  offset=$(( $(date -d "$instant +0800" +%s) - $(date +%s) ))
  echo "== suites at $instant +08:00 ($why)"
  log=$(mktemp)
  status=0
  CLOCKSHIFT_SECONDS=$offset LD_PRELOAD="$shim_dir/clockshift.so" \
    "$BIN_DIR/CustodyPackageTests.xctest" --testing-library swift-testing --no-parallel --filter "$FILTER" >"$log" 2>&1 || status=$?
  sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^(✘|✔ Test run)|recorded an issue' || true
  if [ "$status" -ne 0 ]; then
    tail -n 60 "$log" >&2; rm -f "$log"
    echo "date-suites: failed at $instant +08:00 (exit $status)" >&2; exit "$status"
  fi
  rm -f "$log"
done
