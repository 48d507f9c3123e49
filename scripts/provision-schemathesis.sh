#!/usr/bin/env bash
# Installs schemathesis (the OpenAPI fuzzer of test/api/schemathesis.test.ts) from PyPI into a
# Python venv in .tools/, keyed by version. Idempotent: when the venv has it, returns at once.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=server-versions.env
source "$root/scripts/server-versions.env"
tools="${LISPLAN_TOOLS_DIR:-$root/.tools}"
venv="$tools/schemathesis-$SCHEMATHESIS_VERSION"

# The stamp is written last, so an interrupted install is redone rather than trusted; a venv
# whose interpreter has gone (python3 upgraded or removed) is rebuilt.
if [[ -f "$venv/.installed" && -x "$venv/bin/schemathesis" ]] && "$venv/bin/python" -c '' 2>/dev/null; then
  exit 0
fi

if ! command -v python3 >/dev/null 2>&1; then
  echo "provision: Python 3.10 or newer is required for schemathesis; install it (Debian: apt-get install python3 python3-venv) and run again." >&2
  exit 1
fi
if ! python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)'; then
  echo "provision: schemathesis $SCHEMATHESIS_VERSION needs Python 3.10 or newer, but python3 is $(python3 -c 'import platform; print(platform.python_version())'); install a newer one and run again." >&2
  exit 1
fi
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  echo "provision: Python's venv module (with ensurepip) is required for schemathesis; install it (Debian: apt-get install python3-venv) and run again." >&2
  exit 1
fi

echo "provision: installing schemathesis $SCHEMATHESIS_VERSION from PyPI (once)…" >&2
mkdir -p "$tools"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# A venv records its own absolute path in its scripts, so it is built where it will live.
rm -rf "$venv"
python3 -m venv "$venv"
# pip's output is shown only if it fails.
if ! "$venv/bin/python" -m pip install --disable-pip-version-check --no-input --quiet "schemathesis==$SCHEMATHESIS_VERSION" >"$log" 2>&1; then
  cat "$log" >&2
  rm -rf "$venv"
  echo "provision: pip could not install schemathesis==$SCHEMATHESIS_VERSION (output above)." >&2
  exit 1
fi
touch "$venv/.installed"
echo "provision: schemathesis ready in $venv" >&2
