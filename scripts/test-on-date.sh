#!/usr/bin/env bash
# Runs the date-sensitive suites with the whole stack's clock moved to another day, so that
# "green on any day" is checked rather than hoped for: `scripts/test-on-date.sh 2027-06-15 [jest args]`.
# Everything moves by the same offset, so the API, the worker and the Temporal server agree on
# "now" as they do in production:
# - Node and the Java test server through Debian's libfaketime;
# - the Go servers (Temporal, the store), which read the clock without libc, through the
#   clock-shifted copies that scripts/provision-clock-shifted-servers.sh builds.
# Timers and timeouts keep real time (monotonic clocks are not moved).
set -euo pipefail
day=${1:?usage: scripts/test-on-date.sh YYYY-MM-DD [jest args]}
shift
cd "$(dirname "$0")/.."
scripts/provision-test-packages.sh
target=$(date -d "$day 10:00:00" +%s) || { echo "test-on-date: $day is not a date" >&2; exit 2; }
offset=$((target - $(date +%s)))
sign=+; [[ $offset -lt 0 ]] && sign=-
tools=$(scripts/provision-clock-shifted-servers.sh)
suites=(test/notifications test/workflows/activity-reminders.test.ts test/ui test/review test/api/hostile-input.test.ts test/api/authorisation-matrix.test.ts test/api/activities-api.test.ts test/workflows/activity.test.ts)
[[ $# -gt 0 ]] && suites=("$@")
echo "test-on-date: the stack's clock moved by ${sign}${offset#-} s to $day 10:00 ($(date -d "@$target" -u +%FT%TZ))" >&2
export LISPLAN_TOOLS_DIR=$tools LISPLAN_CLOCK_SHIFT_SECONDS=$offset FAKETIME_DONT_FAKE_MONOTONIC=1
exec faketime -f "${sign}${offset#-}" npx jest "${suites[@]}"
