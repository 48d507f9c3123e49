#!/usr/bin/env bash
# Builds the embedded servers from the Go module proxy into .tools/, keyed by version.
# Idempotent: when both binaries exist it returns at once.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=server-versions.env
source "$root/scripts/server-versions.env"
tools="${LISPLAN_TOOLS_DIR:-$root/.tools}"
temporal_bin="$tools/temporal-$TEMPORAL_CLI_VERSION/temporal"
ferretdb_bin="$tools/ferretdb-$FERRETDB_VERSION/ferretdb"

if [[ -x "$temporal_bin" && -x "$ferretdb_bin" ]]; then
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "provision: Go 1.24 or newer is required to build the embedded servers; install it (Debian: apt-get install golang-go) and run again." >&2
  exit 1
fi

export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false

if [[ ! -x "$temporal_bin" ]]; then
  echo "provision: building Temporal CLI $TEMPORAL_CLI_VERSION (a few minutes, once)…" >&2
  GOBIN="$(dirname "$temporal_bin")" go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION"
fi

if [[ ! -x "$ferretdb_bin" ]]; then
  echo "provision: building FerretDB $FERRETDB_VERSION (a few minutes, once)…" >&2
  if ! grep -q "github.com/FerretDB/FerretDB $FERRETDB_VERSION\$" "$root/scripts/ferretdb/go.mod"; then
    echo "provision: scripts/ferretdb/go.mod does not pin FerretDB $FERRETDB_VERSION; keep it in step with server-versions.env." >&2
    exit 1
  fi
  (cd "$root/scripts/ferretdb" && go build -o "$ferretdb_bin" .)
fi
echo "provision: servers ready in $tools" >&2
