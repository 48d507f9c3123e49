#!/usr/bin/env bash
# Runs the date-sensitive suites with the test process's clock moved to another day, so that
# "green on any day" is checked rather than hoped for: `scripts/test-on-date.sh 2027-06-15 [jest args]`.
# Debian's libfaketime moves Node's (and the Java test server's) wall clock; timers keep real
# time (FAKETIME_DONT_FAKE_MONOTONIC). The Go servers (Temporal, the store) read the clock
# without libc and keep today: every date a test checks is computed from the test process's
# "today", so the servers' own time is irrelevant to what the suites assert.
set -euo pipefail
day=${1:?usage: scripts/test-on-date.sh YYYY-MM-DD [jest args]}
shift
cd "$(dirname "$0")/.."
scripts/provision-test-packages.sh
suites=(test/notifications test/workflows/activity-reminders.test.ts test/ui test/review test/api/hostile-input.test.ts test/api/authorisation-matrix.test.ts test/api/activities-api.test.ts test/workflows/activity.test.ts)
[[ $# -gt 0 ]] && suites=("$@")
FAKETIME_DONT_FAKE_MONOTONIC=1 exec faketime "$day 10:00:00" npx jest "${suites[@]}"
