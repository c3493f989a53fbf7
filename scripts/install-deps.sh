#!/usr/bin/env bash
# Installs the Debian packages that building, running, testing and benchmarking halo need.
# Idempotent: packages already present are skipped; works as root and through sudo.
set -euo pipefail

build_pkgs=(
  g++ cmake ninja-build ccache make pkg-config git ca-certificates
  libboost-dev libboost-system-dev libssl-dev libsqlite3-dev libyaml-cpp-dev nlohmann-json3-dev
  libpugixml-dev
  libspdlog-dev libfmt-dev libcli11-dev libgit2-dev libcurl4-openssl-dev
  libarchive-dev libzstd-dev libpugixml-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  sqlite3  # e2e tests and the bench read and seed the webhook outbox with the CLI
)
run_pkgs=(git bubblewrap openssh-client)
bench_pkgs=(wrk nginx-light jq curl zstd)  # zstd: the CLI the job-files bench compares with

want=("${build_pkgs[@]}" "${run_pkgs[@]}")
if [[ "${1:-}" == "--bench" ]]; then want+=("${bench_pkgs[@]}"); fi

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
SUDO=()
if [[ $(id -u) -ne 0 ]]; then SUDO=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
