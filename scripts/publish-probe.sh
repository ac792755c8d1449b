#!/usr/bin/env bash
# Publishes the probe for a Linux runtime: `scripts/publish-probe.sh RID DIR` (what `make publish` runs).
# Native AOT (one executable, no .NET runtime) when the C toolchain for that runtime is here: clang and lld, and for
# another machine's architecture the GNU cross toolchain (linker files and libc of the target, in /usr/<triple>).
# Without it, a self-contained build (the .NET runtime beside the probe), which needs nothing but the SDK; the last
# line of the output says which was made.
set -euo pipefail

rid=${1:?usage: publish-probe.sh RID DIR}
output=$(realpath -m "${2:?usage: publish-probe.sh RID DIR}")
dotnet=${DOTNET:-dotnet}
cd "$(dirname "$0")/.."

case "$rid" in
  linux-x64) triple=x86_64-linux-gnu ;;
  linux-arm64) triple=aarch64-linux-gnu ;;
  linux-arm) triple=arm-linux-gnueabihf ;;
  *) echo "publish-probe.sh: $rid is not a Linux runtime this project builds (linux-x64, linux-arm64, linux-arm)" >&2; exit 2 ;;
esac

case "$(uname -m)" in
  x86_64) host=linux-x64 ;;
  aarch64) host=linux-arm64 ;;
  armv7l | armv8l) host=linux-arm ;;
  *) host=unknown ;;
esac

# What native AOT needs that is missing, one name per item (empty: AOT can be built).
missing=()
command -v clang >/dev/null || missing+=(clang)
command -v ld.lld >/dev/null || missing+=(lld)
if [ "$rid" != "$host" ]; then
  # ILCompiler links with clang --target=<triple>: the target's crt files and libgcc come from its GCC cross
  # compiler, its libc from /usr/<triple>, and its objcopy strips the symbols into a .dbg file.
  command -v "$triple-gcc" >/dev/null || missing+=("$triple-gcc")
  command -v "$triple-objcopy" >/dev/null || missing+=("$triple-objcopy")
  [ -e "/usr/$triple/lib/libc.so.6" ] || missing+=("/usr/$triple/lib/libc.so.6")
fi

rm -rf "$output"
if [ ${#missing[@]} -eq 0 ]; then
  "$dotnet" publish InternetMonitor.Probe -c Release -r "$rid" -p:PublishAot=true -o "$output"
  echo "Published the probe for $rid: native AOT (one executable, no .NET runtime needed) in $output"
else
  echo "The native AOT build for $rid needs ${missing[*]} (scripts/install-test-deps.sh --publish $rid installs them as root): building self-contained instead"
  "$dotnet" publish InternetMonitor.Probe -c Release -r "$rid" --self-contained -o "$output"
  echo "Published the probe for $rid: self-contained (the .NET runtime beside it, no native AOT) in $output"
fi
