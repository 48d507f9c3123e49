#!/usr/bin/env bash
# The Debian packages only the tests need, installed with apt-get when any is missing:
# - chromium and its Swedish language pack chromium-l10n (playwright-core drives Debian's
#   Chromium and never downloads a browser; date inputs follow the browser's language, and the
#   tests look at them as a Swedish reader), with fonts-dejavu-core;
# - poppler-utils, whose pdftotext reads the review PDFs the tests export;
# - faketime, for scripts/test-on-date.sh;
# - libreoffice-writer-nogui, whose headless soffice converts the review's DOCX to PDF as a
#   reader's word processor would lay it out (test/review/docx-libreoffice.test.ts).
# Idempotent: when every command and file is present it returns at once.
set -euo pipefail
CHROMIUM=/usr/bin/chromium
SWEDISH=/usr/lib/chromium/locales/sv.pak
present() { [[ -x $CHROMIUM && -f $SWEDISH ]] && command -v pdftotext >/dev/null && command -v faketime >/dev/null && command -v soffice >/dev/null; }
present && exit 0
if ! command -v apt-get >/dev/null; then
  echo "provision-test-packages: chromium, pdftotext, faketime or soffice is missing and there is no apt-get; install Debian's chromium, chromium-l10n, poppler-utils, faketime and libreoffice-writer-nogui" >&2
  exit 1
fi
SUDO=""
[[ $(id -u) -ne 0 ]] && SUDO="sudo -n"
if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium chromium-l10n fonts-dejavu-core poppler-utils faketime libreoffice-writer-nogui; } >/tmp/provision-test-packages.log 2>&1; then
  echo "provision-test-packages: apt-get install failed (see /tmp/provision-test-packages.log); install chromium, chromium-l10n, poppler-utils, faketime and libreoffice-writer-nogui as root" >&2
  exit 1
fi
present || { echo "provision-test-packages: apt-get ran but chromium ($CHROMIUM, $SWEDISH), pdftotext, faketime or soffice is still missing" >&2; exit 1; }
