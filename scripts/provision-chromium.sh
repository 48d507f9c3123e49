#!/usr/bin/env bash
# Debian's Chromium for the browser tests (playwright-core drives it; it never downloads a browser).
# Idempotent: a present /usr/bin/chromium with its Swedish language pack is enough (chromium-l10n:
# date inputs follow the browser's language, and the tests look at them as a Swedish reader).
set -euo pipefail
CHROMIUM=/usr/bin/chromium
SWEDISH=/usr/lib/chromium/locales/sv.pak
[[ -x $CHROMIUM && -f $SWEDISH ]] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "provision-chromium: $CHROMIUM is missing and there is no apt-get; install Debian's chromium package" >&2
  exit 1
fi
SUDO=""
[[ $(id -u) -ne 0 ]] && SUDO="sudo -n"
if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium chromium-l10n fonts-dejavu-core; } >/tmp/provision-chromium.log 2>&1; then
  echo "provision-chromium: apt-get install chromium chromium-l10n failed (see /tmp/provision-chromium.log); install Debian's chromium package as root" >&2
  exit 1
fi
[[ -x $CHROMIUM && -f $SWEDISH ]] || { echo "provision-chromium: apt-get ran but $CHROMIUM or $SWEDISH is still missing" >&2; exit 1; }
