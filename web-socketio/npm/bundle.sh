#!/usr/bin/env bash
# Build step (exec-maven-plugin, generate-resources): copies the unmodified socket.io-client dist bundles into the
# jar so that /socket.io/socket.io.js can serve them. The package comes from `npm ci` here, which checks it against
# the integrity hash recorded in package-lock.json (a lock file that names no registry). Without npm or network the
# build still succeeds: the bundles are then missing, the start-up log says so and the path answers 404.
#   usage: npm/bundle.sh <output classes directory>
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT="$1/META-INF/sigbridge/socket.io"
say() { printf 'web-socketio bundle: %s\n' "$*" >&2; }

pinned=$(sed -n '/"node_modules\/socket.io-client"/,/}/s/.*"version": "\([^"]*\)".*/\1/p' "$HERE/package-lock.json" | head -1)
if [ ! -f "$HERE/node_modules/socket.io-client/package.json" ]; then
  if command -v npm >/dev/null 2>&1; then
    (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error) || say "npm ci failed (offline?): the client bundle is left out"
  else
    say "npm not found: the client bundle is left out"
  fi
fi
pkg="$HERE/node_modules/socket.io-client"
if [ ! -f "$pkg/dist/socket.io.min.js" ]; then
  exit 0
fi
installed=$(sed -n 's/^  "version": "\([^"]*\)".*/\1/p' "$pkg/package.json" | head -1)
if [ "$installed" != "$pinned" ]; then
  say "node_modules holds socket.io-client $installed, the lock file pins $pinned: run 'npm ci' in $HERE"
  exit 1
fi
mkdir -p "$OUT"
cp "$pkg/dist/socket.io.js" "$pkg/dist/socket.io.min.js" "$OUT/"
printf '%s\n' "$pinned" > "$OUT/VERSION"
