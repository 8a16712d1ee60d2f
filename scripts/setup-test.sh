#!/usr/bin/env bash
# Sets up everything the test suite needs on a fresh machine: npm packages (from package-lock.json),
# the embedded database launcher (built once into a cache), and Debian's Chromium and LibreOffice
# for the browser and spreadsheet tests when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund --loglevel=warn
node scripts/build-embedded-db.js >/dev/null
node scripts/build-assets.js >/dev/null
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${need[*]} from Debian's packages…"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" fonts-noto-cjk >/dev/null
  else
    echo "warning: ${need[*]} missing and cannot be installed here (needs root and apt-get); browser/LibreOffice tests will fail" >&2
  fi
fi
