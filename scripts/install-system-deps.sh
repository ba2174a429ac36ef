#!/usr/bin/env bash
# Installs the Debian packages the tests and the PDF converter need.
# As root: installs what is missing (apt-get). Not root: prints what is missing
# and exits 0, so the tests that need it skip with that reason.
# The Dockerfile installs the runtime subset of the same list.
set -euo pipefail

RUNTIME_PACKAGES=(libreoffice-writer-nogui python3-uno fonts-liberation2 fonts-dejavu-core)
TEST_PACKAGES=(poppler-utils redis-server postgresql chromium chromium-driver curl)
PACKAGES=("${RUNTIME_PACKAGES[@]}" "${TEST_PACKAGES[@]}")
if [ "${1:-}" = "--runtime" ]; then PACKAGES=("${RUNTIME_PACKAGES[@]}"); fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present (${PACKAGES[*]})"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "system packages missing (not root, not installing): ${missing[*]}" >&2
  echo "  install them with: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
  echo "  tests that need them will be skipped with this reason" >&2
  exit 0
fi
echo "installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "system packages installed"
