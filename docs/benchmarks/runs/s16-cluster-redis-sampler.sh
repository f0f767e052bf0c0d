#!/usr/bin/env bash
# Every 2 s, for each redis-server started under $1 (by its --dir), append INFO cpu + commandstats to $1/redis-samples/<port>.log
# Stops when $2 (a pid) exits.
dir=$1; watch=$2
mkdir -p "$dir/redis-samples"
while kill -0 "$watch" 2>/dev/null; do
  for pid in $(pgrep -x redis-server); do
    args=$(tr '\0' ' ' < /proc/$pid/cmdline 2>/dev/null)
    port=$(echo "$args" | sed -n 's/.*:\([0-9]\+\).*/\1/p')
    # redis-server rewrites its argv to "redis-server 127.0.0.1:PORT"; find the dir from the parent shell's command line
    ppid=$(awk '{print $4}' /proc/$pid/stat 2>/dev/null)
    pargs=$(tr '\0' ' ' < /proc/$ppid/cmdline 2>/dev/null)
    case "$pargs" in *"$dir"*) ;; *) continue ;; esac
    { echo "=== $(date +%s.%N) $pargs" | cut -c1-300; redis-cli -p "$port" INFO cpu; redis-cli -p "$port" INFO commandstats; } >> "$dir/redis-samples/$port.log" 2>&1
  done
  sleep 2
done
