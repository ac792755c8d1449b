#!/usr/bin/env bash
# Refreshes the status page's charting library, vendored in InternetMonitor.Probe/StatusPage/uplot/, from npm: the
# version StatusPage/package.json pins and its lock file locks. Needs Node.js and npm; the build itself needs neither.
set -euo pipefail
page="$(cd "$(dirname "$0")/../InternetMonitor.Probe/StatusPage" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$page/package.json" "$page/package-lock.json" "$work/"
(cd "$work" && npm ci --no-audit --no-fund --loglevel=error)
for file in dist/uPlot.iife.min.js dist/uPlot.min.css LICENSE; do
  cp "$work/node_modules/uplot/$file" "$page/uplot/"
done
echo "uPlot $(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$work/node_modules/uplot/package.json") copied into $page/uplot/"
