#!/usr/bin/env bash
# Builds a second copy of the Temporal dev server whose wall clock LISPLAN_CLOCK_SHIFT_SECONDS can
# move, for scripts/test-on-date.sh. libfaketime moves the clock of Node, Java and mongod (they
# read it through libc) but not Go's (Go reads the vDSO directly), so the Temporal server would
# otherwise keep today while the API and the tests live on another day. The standard library's time.Now gets the shift through a build
# overlay; nothing else in the toolchain or the servers' source changes. Prints the tools folder
# to give as LISPLAN_TOOLS_DIR. Keyed by the server versions and the Go version; idempotent.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=server-versions.env
source "$root/scripts/server-versions.env"
tools="$root/.tools"
go_version=$(go env GOVERSION)
shifted="$tools/clock-shifted-$go_version"
temporal_bin="$shifted/temporal-$TEMPORAL_CLI_VERSION/temporal"

"$root/scripts/provision-servers.sh" --with-test-server
mkdir -p "$shifted"
# The store, the Java test server and the fuzzer are moved by libfaketime; they are shared, not rebuilt.
for dir in "mongod-$MONGOD_VERSION" "temporal-test-server-$TEMPORAL_TEST_SERVER_VERSION" "schemathesis-$SCHEMATHESIS_VERSION"; do
  [[ -e "$tools/$dir" && ! -e "$shifted/$dir" ]] && ln -s "../$dir" "$shifted/$dir"
done

if [[ ! -x "$temporal_bin" ]]; then
  overlay=$(mktemp -d)
  trap 'rm -rf "$overlay"' EXIT
  goroot=$(go env GOROOT)
  anchor='	sec, nsec, mono := runtimeNow()'
  if [[ $(grep -c -x -F "$anchor" "$goroot/src/time/time.go") != 1 ]]; then
    echo "provision: $go_version's time.Now does not read the clock the way scripts/clock-shift expects; update the anchor." >&2
    exit 1
  fi
  awk -v anchor="$anchor" '{ print } $0 == anchor { print "\tsec += clockShift" }' \
    "$goroot/src/time/time.go" >"$overlay/time.go"
  cat >"$overlay/overlay.json" <<JSON
{"Replace": {"$goroot/src/time/time.go": "$overlay/time.go", "$goroot/src/time/clock_shift.go": "$root/scripts/clock-shift/shift.go"}}
JSON
  export GOTOOLCHAIN=local GOFLAGS="-buildvcs=false -overlay=$overlay/overlay.json"
  echo "provision: building a clock-shifted Temporal CLI $TEMPORAL_CLI_VERSION (a few minutes, once)…" >&2
  GOBIN="$(dirname "$temporal_bin")" go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION"
fi
echo "$shifted"
