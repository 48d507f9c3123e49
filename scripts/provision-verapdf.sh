#!/usr/bin/env bash
# Fetches veraPDF's command-line validator (one jar from Maven Central, checked against its pinned
# sha256) into .tools/verapdf-<version>/, for the tests that validate the review PDF as PDF/UA-1.
# Idempotent: when the jar is there it returns at once. Needs Java 17 (the test server needs it too).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=server-versions.env
source "$root/scripts/server-versions.env"
tools="${LISPLAN_TOOLS_DIR:-$root/.tools}"
dir="$tools/verapdf-$VERAPDF_VERSION"
jar="$dir/greenfield-apps.jar"
[[ -f "$jar" ]] && exit 0
command -v java >/dev/null 2>&1 || { echo "provision-verapdf: Java 17 is required to run veraPDF; install it (Debian: apt-get install openjdk-17-jre-headless) and run again." >&2; exit 1; }
url="https://repo1.maven.org/maven2/org/verapdf/apps/greenfield-apps/$VERAPDF_VERSION/greenfield-apps-$VERAPDF_VERSION.jar"
echo "provision: fetching veraPDF $VERAPDF_VERSION from Maven Central (once)…" >&2
mkdir -p "$tools"
staging=$(mktemp -d "$tools/.verapdf.XXXXXX")
trap 'rm -rf "$staging"' EXIT
curl -fsSL --retry 3 -o "$staging/greenfield-apps.jar" "$url"
echo "$VERAPDF_JAR_SHA256  $staging/greenfield-apps.jar" | sha256sum -c --quiet - || { echo "provision-verapdf: the jar from $url does not have the pinned sha256" >&2; exit 1; }
chmod 755 "$staging"
rm -rf "$dir"
mv "$staging" "$dir"
trap - EXIT
