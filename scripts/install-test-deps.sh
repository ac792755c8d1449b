#!/usr/bin/env bash
# Installs the Debian packages the tests and `make bench` use, only those missing. Needs root (or sudo) and apt.
# With --stack, only what `make run` (the AppHost in process mode) runs: Prometheus, Alertmanager, node-exporter.
# With --publish RID, only what `make publish` needs for a native AOT build for RID; without root or a sudo that asks
# no password it installs nothing and says so, and `make publish` builds self-contained instead.
set -euo pipefail

# The GNU cross toolchain for arm64 (its linker files, libgcc, libc and objcopy), on a machine of another
# architecture: the native AOT build of the probe for a Raspberry Pi links with it (scripts/publish-probe.sh).
cross_arm64=()
if [ "$(dpkg --print-architecture)" != "arm64" ]; then
  cross_arm64=(gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross)
fi

if [ "${1:-}" = "--stack" ]; then
  packages=(prometheus prometheus-alertmanager prometheus-node-exporter)
elif [ "${1:-}" = "--publish" ]; then
  packages=(clang lld zlib1g-dev)
  if [ "${2:-}" = "linux-arm64" ]; then
    packages+=("${cross_arm64[@]}")
  fi
else
packages=(
  prometheus                # prometheus + promtool: scrape tests
  prometheus-alertmanager   # alertmanager + amtool
  prometheus-node-exporter
  victoria-metrics          # the central store's other choice, with vmalert and vmauth (the gate)
  dnsmasq-base              # a real DNS server on loopback
  bind9-dnsutils            # dig: the peer of the DNS timing in `make bench`
  fping iperf3              # reference measurements
  prometheus-blackbox-exporter  # the peer in the benchmark's cost comparison
  iptables iproute2         # network namespaces, random loss
  curl procps
  php-cli nginx-light       # a LibreSpeed backend (php -S) and a plain file server with Range for the speed test
  clang lld zlib1g-dev      # `make publish`: the native build's linker
  util-linux                # nsenter and unshare: the tests' own Docker engine in a namespace
  chromium                  # the browser Playwright drives in the status page's and the Aspire dashboard's tests
  docker.io docker-compose  # container mode and the published compose project, on a Docker engine of the tests' own
  debootstrap               # the local base image (no registry is reachable): Debian with Prometheus, Alertmanager, node-exporter
  qemu-user-static          # the arm64 probe run under emulation (its build, its image): no binfmt registration needed
  "${cross_arm64[@]}"       # the arm64 probe's native AOT build, which the arm64 test runs
  faketime                  # libfaketime: the probe run with its wall clock stepped (the clock-jump test)
  poppler-utils             # pdftotext: the provider report printed to PDF, its text checked
)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
  if [ "${1:-}" = "--publish" ] && ! sudo -n true 2>/dev/null; then
    echo "Not installing ${missing[*]} (needs root): run 'sudo $0 $*' for the native AOT build"
    exit 0
  fi
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
# The packages ship services (nginx would listen on port 80, Prometheus on 9090); the tests start their own
# on loopback, so the install starts none: a policy-rc.d that denies every start, only while apt runs.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee "$policy" >/dev/null
  "${sudo_cmd[@]}" chmod 755 "$policy"
  trap '"${sudo_cmd[@]}" rm -f "$policy"' EXIT
fi
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
