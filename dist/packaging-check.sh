#!/usr/bin/env bash
# Runs the packaging as an operator would, on Debian, with no image registry (docs/operations.md, "Packaging: what
# was run"): a Debian bookworm root filesystem made by mmdebstrap from the Debian mirror (systemd, Java 17), then
#   systemd: dist/systemd/sigbridge.service installed as its comment says, booted under systemd-nspawn; checks
#            /readyz, `systemctl reload` (SIGHUP: routes reloaded) and `systemctl stop` (SIGTERM: exit 0);
#   docker:  dist/docker/Dockerfile built by podman on that filesystem as base image (BASE build argument), run;
#            checks /readyz, `podman kill --signal=HUP` and `podman stop` (exit 0).
# Needs root and the Debian packages mmdebstrap, systemd-container, podman, runc, curl. Slow (the first
# mmdebstrap downloads ~150 MB): not part of scripts/test. Run from the repository root after
#   mvn -B -pl dist -am -DskipTests package
# Usage: dist/packaging-check.sh [systemd|docker|all]   (WORK=/var/tmp/sigbridge-packaging keeps the root fs)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${WORK:-/var/tmp/sigbridge-packaging}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
PORT=${PORT:-18888}
JAR="$ROOT/dist/target/sigbridge.jar"
what=${1:-all}

say() { echo "packaging-check: $*" >&2; }
fail() { say "FAILED: $*"; exit 1; }
[ -f "$JAR" ] || fail "$JAR missing: mvn -B -pl dist -am -DskipTests package"
mkdir -p "$WORK"

rootfs_tar() {
  if [ ! -f "$WORK/rootfs.tar" ]; then
    say "mmdebstrap bookworm (systemd, openjdk-17-jre-headless) from $MIRROR"
    mmdebstrap --variant=apt --include=systemd,systemd-sysv,dbus,openjdk-17-jre-headless,procps \
      bookworm "$WORK/rootfs.tar.part" "$MIRROR"
    mv "$WORK/rootfs.tar.part" "$WORK/rootfs.tar"
  fi
}

await_ready() { # url, seconds
  for _ in $(seq 1 "$2"); do
    if curl -fs -m 2 "$1" | grep -q '"ready":true'; then return 0; fi
    sleep 1
  done
  return 1
}

check_systemd() {
  rootfs_tar
  local fs="$WORK/systemd-root"
  rm -rf "$fs" && mkdir -p "$fs" && tar -C "$fs" -xf "$WORK/rootfs.tar"
  # The unit's install comment, with the host's files copied in first.
  install -D -m 0644 "$JAR" "$fs/opt/sigbridge/sigbridge.jar"
  cp -r "$ROOT/docs" "$fs/opt/sigbridge/"
  mkdir -p "$fs/etc/sigbridge" && cp -r "$ROOT"/conf/* "$fs/etc/sigbridge/"
  cp "$ROOT/dist/systemd/sigbridge.service" "$fs/etc/systemd/system/"
  printf 'SIGBRIDGE_WEB_PORT=%s\n' "$PORT" > "$fs/etc/sigbridge/sigbridge.env"
  # --register=no: no systemd-machined on the host; --keep-unit: no new scope from the host's systemd.
  local nspawn=(systemd-nspawn -q --register=no --keep-unit -D "$fs")
  "${nspawn[@]}" --pipe /bin/sh -c 'useradd --system --home /opt/sigbridge --shell /usr/sbin/nologin sigbridge &&
      chgrp -R sigbridge /etc/sigbridge && chmod 0750 /etc/sigbridge && chmod 0640 /etc/sigbridge/sigbridge.env &&
      systemctl enable sigbridge'
  say "booting the container (host network: the bridge listens on 127.0.0.1:$PORT)"
  "${nspawn[@]}" -b --console=pipe > "$WORK/boot.log" 2>&1 &
  local nspawn_pid=$!
  trap 'kill $nspawn_pid 2>/dev/null || true' RETURN
  await_ready "http://127.0.0.1:$PORT/readyz" 120 || fail "no ready /readyz from the unit; $WORK/boot.log"
  local init
  init=$(pgrep -P "$nspawn_pid" -x systemd | head -1)
  inside() { nsenter -t "$init" -a "$@"; }
  inside systemctl status sigbridge --no-pager | head -5 >&2
  inside systemctl reload sigbridge
  for _ in $(seq 1 20); do inside journalctl -u sigbridge --no-pager | grep -q 'routes reloaded' && break; sleep 1; done
  inside journalctl -u sigbridge --no-pager | grep -q 'routes reloaded' || fail "systemctl reload did not reload the routes"
  inside systemctl stop sigbridge
  [ "$(inside systemctl show -p Result --value sigbridge)" = success ] || fail "systemctl stop: not a clean exit"
  [ "$(inside systemctl show -p ExecMainStatus --value sigbridge)" = 0 ] || fail "systemctl stop: exit status not 0"
  inside systemctl poweroff
  wait "$nspawn_pid" || true
  say "systemd: OK (ready, reloaded on SIGHUP, stopped with exit 0)"
}

check_docker() {
  rootfs_tar
  podman image exists localhost/sigbridge-base:bookworm || podman import "$WORK/rootfs.tar" localhost/sigbridge-base:bookworm
  # --isolation=chroot: crun refuses RUN steps on a hybrid cgroup host ("cgroups in hybrid mode not supported").
  (cd "$ROOT" && podman build --isolation=chroot --build-arg BASE=localhost/sigbridge-base:bookworm \
      -f dist/docker/Dockerfile -t localhost/sigbridge:check .)
  # runc, and limits no higher than this sandbox's: podman's default RLIMIT_NOFILE/NPROC cannot be set without
  # CAP_SYS_RESOURCE. Host network: no netavark/slirp needed.
  podman rm -f sigbridge-check >/dev/null 2>&1 || true
  podman run --runtime runc --rm --name sigbridge-check --ulimit nofile=16384:16384 --ulimit nproc=8192:8192 \
      --network=host -e SIGBRIDGE_WEB_PORT="$PORT" localhost/sigbridge:check > "$WORK/podman.log" 2>&1 &
  local run_pid=$!
  await_ready "http://127.0.0.1:$PORT/readyz" 120 || { podman rm -f sigbridge-check >/dev/null 2>&1 || true; fail "no ready /readyz from the container; $WORK/podman.log"; }
  podman kill --signal=HUP sigbridge-check >/dev/null
  for _ in $(seq 1 20); do grep -q 'routes reloaded' "$WORK/podman.log" && break; sleep 1; done
  grep -q 'routes reloaded' "$WORK/podman.log" || fail "SIGHUP did not reload the routes"
  podman stop -t 20 sigbridge-check >/dev/null
  local code=0
  wait "$run_pid" || code=$?
  [ "$code" = 0 ] || fail "podman run exited $code; $WORK/podman.log"
  say "docker: OK (built on a Debian base, ready, reloaded on SIGHUP, stopped with exit 0)"
}

case "$what" in
  systemd) check_systemd ;;
  docker) check_docker ;;
  all) check_systemd; check_docker ;;
  *) fail "usage: $0 [systemd|docker|all]" ;;
esac
