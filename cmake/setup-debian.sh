#!/usr/bin/env bash
# Installs everything cocoon-sdk needs on Debian 12, idempotently: apt packages that are missing,
# and the pinned npm packages of the interop tests. Prints what it does; does nothing when all is there.
# Run as root (or with sudo available).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libboost1.81-dev libsodium-dev nlohmann-json3-dev libssl-dev catch2
  clang clang-format libclang-rt-14-dev lld ca-certificates time
)

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
# Node.js may come from another source (NodeSource bundles npm); only install Debian's when absent.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

interop_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/interop"
if [ -f "$interop_dir/package-lock.json" ]; then
  if ! (cd "$interop_dir" && npm ls --silent >/dev/null 2>&1); then
    echo "setup: installing pinned npm packages for tests/interop"
    (cd "$interop_dir" && npm ci --no-audit --no-fund --loglevel=error) \
      || echo "setup: npm registry unreachable; interop tests will be reported as skipped"
  fi
fi
echo "setup: all dependencies present"
