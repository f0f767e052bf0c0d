#!/usr/bin/env bash
# Build step (exec-maven-plugin, generate-resources): copies the unmodified socket.io-client 0.9.16 dist bundles and
# Reliable-Signaler's signaler.js into the jar, so that /socket.io/1/socket.io.js and /reliable-signaler/signaler.js
# can serve them (docs/socketio-09.md). The packages come from `npm ci --ignore-scripts` here, which checks them against
# the integrity hashes recorded in package-lock.json (a lock file that names no registry). Without npm or network the
# build still succeeds: the files are then missing, the start-up log says so and the paths answer 404.
#   usage: npm-v09/bundle-v09.sh <output classes directory>
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT="$1/META-INF/sigbridge/socket.io-0.9"
say() { printf 'web-socketio 0.9 bundles: %s\n' "$*" >&2; }

pinned() { sed -n "/\"node_modules\/$1\"/,/}/s/.*\"version\": \"\([^\"]*\)\".*/\1/p" "$HERE/package-lock.json" | head -1; }
installed() { grep -o '"version": *"[^"]*"' "$HERE/node_modules/$1/package.json" 2>/dev/null | head -1 | sed 's/.*"\([^"]*\)"$/\1/'; }

if [ ! -f "$HERE/node_modules/socket.io-client/package.json" ] || [ ! -f "$HERE/node_modules/reliable-signaler/package.json" ]; then
  if command -v npm >/dev/null 2>&1; then
    (cd "$HERE" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) || say "npm ci failed (offline?): the 0.9 bundles are left out"
  else
    say "npm not found: the 0.9 bundles are left out"
  fi
fi
for pkg in socket.io-client reliable-signaler; do
  have=$(installed "$pkg")
  [ -z "$have" ] && exit 0
  if [ "$have" != "$(pinned "$pkg")" ]; then
    say "node_modules holds $pkg $have, the lock file pins $(pinned "$pkg"): run 'npm ci --ignore-scripts' in $HERE"
    exit 1
  fi
done
client="$HERE/node_modules/socket.io-client/dist"
signaler="$HERE/node_modules/reliable-signaler/signaler.js"
if [ ! -f "$client/socket.io.js" ] || [ ! -f "$client/socket.io.min.js" ] || [ ! -f "$signaler" ]; then
  say "the installed packages lack the expected files: left out"
  exit 0
fi
mkdir -p "$OUT"
cp "$client/socket.io.js" "$client/socket.io.min.js" "$signaler" "$OUT/"
installed socket.io-client > "$OUT/VERSION"
installed reliable-signaler > "$OUT/SIGNALER_VERSION"
