#!/usr/bin/env bash
# Build step (exec-maven-plugin, generate-resources): copies the unmodified dist bundles of the socket.io-client
# versions pinned in package-lock.json into the jar, one directory per major version (4, 2, 1, 0.9), so that
# /socket.io/socket.io.js and /socket.io/<version>/socket.io.js can serve them (docs/socketio.md); the 0.9 directory
# also holds Reliable-Signaler's signaler.js, and /socket.io/1/socket.io.js and /reliable-signaler/signaler.js serve
# from it for Socket.IO 0.9 pages (docs/socketio-09.md), so each file has one source. The packages come
# from `npm ci` here, which checks each against the integrity hash recorded in package-lock.json (a lock file that names
# no registry). Without npm or network the build still succeeds: the bundles are then missing, the start-up log says
# so and the paths answer 404.
#   usage: npm/bundle.sh <output classes directory>
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT="$1/META-INF/sigbridge/socket.io"
say() { printf 'web-socketio bundle: %s\n' "$*" >&2; }

# major directory, npm alias, the dist file served as socket.io.js, the one served as socket.io.min.js
# (2.x ships socket.io.js minified and has no .min.js; its unminified build is socket.io.dev.js)
BUNDLES="4:socket.io-client:socket.io.js:socket.io.min.js
2:socket.io-client-2:socket.io.dev.js:socket.io.js
1:socket.io-client-1:socket.io.js:socket.io.min.js
0.9:socket.io-client-0.9:socket.io.js:socket.io.min.js"

# the integrity hash a lock file records for node_modules/<name> (package-lock.json, or npm's own record of what it
# installed, node_modules/.package-lock.json)
integrity() { sed -n "/\"node_modules\/$2\"/,/}/s/.*\"integrity\": \"\([^\"]*\)\".*/\1/p" "$1" 2>/dev/null | head -1; }

# Install when a served package is missing or was installed from another lock than this one. File times are not
# compared: a fresh clone makes package-lock.json newer than any node_modules it is given, and an npm ci with no
# network to reach waits out its retries.
stale=no
for name in $(cut -d: -f2 <<< "$BUNDLES") reliable-signaler; do
  want=$(integrity "$HERE/package-lock.json" "$name")
  [ -f "$HERE/node_modules/$name/package.json" ] \
    && [ -n "$want" ] && [ "$want" = "$(integrity "$HERE/node_modules/.package-lock.json" "$name")" ] || stale=yes
done
if [ "$stale" = yes ]; then
  if command -v npm >/dev/null 2>&1; then
    # --prefer-offline: packages already in npm's cache (checked against the same hashes) need no network
    (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error --prefer-offline) \
      || say "npm ci failed (offline?): the client bundles are left out"
  else
    say "npm not found: the client bundles are left out"
  fi
fi

status=0
while IFS=: read -r major alias full min; do
  pkg="$HERE/node_modules/$alias"
  pinned=$(sed -n "/\"node_modules\/$alias\"/,/}/s/.*\"version\": \"\([^\"]*\)\".*/\1/p" "$HERE/package-lock.json" | head -1)
  # the pinned version names the versioned path, which answers 404 with the reason when the bundle is missing
  mkdir -p "$OUT/$major"
  printf '%s\n' "$pinned" > "$OUT/$major/PINNED"
  if [ ! -f "$pkg/dist/$full" ] || [ ! -f "$pkg/dist/$min" ]; then
    say "socket.io-client $pinned ($alias) is not installed: its bundle is left out"
    continue
  fi
  installed=$(sed -n 's/^[ ,]*"version": *"\([^"]*\)".*/\1/p' "$pkg/package.json" | head -1)
  if [ "$installed" != "$pinned" ]; then
    say "node_modules holds $alias $installed, the lock file pins $pinned: run 'npm ci' in $HERE"
    status=1
    continue
  fi
  cp "$pkg/dist/$full" "$OUT/$major/socket.io.js"
  cp "$pkg/dist/$min" "$OUT/$major/socket.io.min.js"
  printf '%s\n' "$pinned" > "$OUT/$major/VERSION"
done <<< "$BUNDLES"

# Reliable-Signaler's signaler.js beside the 0.9 client it goes with
sig="$HERE/node_modules/reliable-signaler"
sig_pinned=$(sed -n '/"node_modules\/reliable-signaler"/,/}/s/.*"version": "\([^"]*\)".*/\1/p' "$HERE/package-lock.json" | head -1)
sig_installed=$(sed -n 's/^[ ,]*"version": *"\([^"]*\)".*/\1/p' "$sig/package.json" 2>/dev/null | head -1)
if [ ! -f "$sig/signaler.js" ]; then
  say "reliable-signaler $sig_pinned is not installed: signaler.js is left out"
elif [ "$sig_installed" != "$sig_pinned" ]; then
  say "node_modules holds reliable-signaler $sig_installed, the lock file pins $sig_pinned: run 'npm ci' in $HERE"
  status=1
else
  mkdir -p "$OUT/0.9"
  cp "$sig/signaler.js" "$OUT/0.9/signaler.js"
  printf '%s\n' "$sig_installed" > "$OUT/0.9/SIGNALER_VERSION"
fi
exit $status
