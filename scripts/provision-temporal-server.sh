#!/usr/bin/env bash
# Provisions the production Temporal server for `make test-cluster` into .tools/, keyed by
# version: the server (go.temporal.io/server/cmd/server) and its SQL schema tool
# (cmd/tools/sql) built from the Go module proxy at TEMPORAL_SERVER_VERSION, with the module's
# PostgreSQL schemas (schema/postgresql/v12) copied beside them, and Debian's PostgreSQL
# (initdb, pg_ctl, postgres) installed with apt-get when it is missing.
# Idempotent: when everything is there it returns at once.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=server-versions.env
source "$root/scripts/server-versions.env"
tools="${LISPLAN_TOOLS_DIR:-$root/.tools}"
dir="$tools/temporal-server-$TEMPORAL_SERVER_VERSION"
pg_bin="/usr/lib/postgresql/$POSTGRES_MAJOR_VERSION/bin"

# PostgreSQL: Debian's server package, as the Compose file's postgres image is the same major.
if [[ ! -x "$pg_bin/initdb" || ! -x "$pg_bin/pg_ctl" || ! -x "$pg_bin/postgres" ]]; then
  command -v apt-get >/dev/null || { echo "provision-temporal-server: PostgreSQL $POSTGRES_MAJOR_VERSION is missing ($pg_bin) and there is no apt-get; install Debian's postgresql-$POSTGRES_MAJOR_VERSION" >&2; exit 1; }
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo -n"
  echo "provision-temporal-server: installing Debian's postgresql-$POSTGRES_MAJOR_VERSION (once)…" >&2
  if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "postgresql-$POSTGRES_MAJOR_VERSION"; } >/tmp/provision-temporal-server.log 2>&1; then
    echo "provision-temporal-server: apt-get install failed (see /tmp/provision-temporal-server.log); install postgresql-$POSTGRES_MAJOR_VERSION as root" >&2
    exit 1
  fi
fi

[[ -x "$dir/temporal-server" && -x "$dir/temporal-sql-tool" && -d "$dir/schema/postgresql/v12" ]] && exit 0

command -v go >/dev/null 2>&1 || { echo "provision-temporal-server: Go 1.24 or newer is required to build the Temporal server; install it (Debian: apt-get install golang-go) and run again." >&2; exit 1; }
export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false
echo "provision-temporal-server: building Temporal server $TEMPORAL_SERVER_VERSION and its sql tool (a few minutes, once)…" >&2
mkdir -p "$tools"
staging=$(mktemp -d "$tools/.temporal-server.XXXXXX")
trap 'rm -rf "$staging"' EXIT
GOBIN="$staging" go install "go.temporal.io/server/cmd/server@$TEMPORAL_SERVER_VERSION" "go.temporal.io/server/cmd/tools/sql@$TEMPORAL_SERVER_VERSION"
mv "$staging/server" "$staging/temporal-server"
mv "$staging/sql" "$staging/temporal-sql-tool"
# The schemas that belong to exactly this server version, from the module just built.
module=$(go mod download -json "go.temporal.io/server@$TEMPORAL_SERVER_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[[ -d "$module/schema/postgresql/v12" ]] || { echo "provision-temporal-server: no schema/postgresql/v12 in $module" >&2; exit 1; }
mkdir -p "$staging/schema/postgresql/v12"
cp -R "$module/schema/postgresql/v12/temporal" "$module/schema/postgresql/v12/visibility" "$staging/schema/postgresql/v12/"
chmod -R u+w,a+rX "$staging"
rm -rf "$dir"
mv "$staging" "$dir"
trap - EXIT
echo "provision-temporal-server: Temporal server $TEMPORAL_SERVER_VERSION ready in $dir" >&2
