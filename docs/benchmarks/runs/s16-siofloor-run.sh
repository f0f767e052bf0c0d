#!/bin/bash
# The kernel/user split per delivery of socket.io 4 over WebSocket (pairs, window 4; rooms of 10, window 1) for two
# sigbridge jars and Node socket.io 4.8, alternating server by server within each repeat, then polling pairs, window 4
# (one jar and Node). Raw lines to $OUT (default s16-siofloor-raw.txt). Usage: A=direct.jar B=base.jar s16-siofloor-run.sh
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$PWD/s16-siofloor-raw.txt}
for rep in ${REPS:-1 2}; do
  for point in "2 4" "10 1"; do
    set -- $point
    JAR=$A TAG=a-$1-r$rep PREWARM=30 WARM=5 "$HERE/s16-siofloor-point.sh" sigbridge $1 $2 >> "$OUT"
    JAR=$B TAG=b-$1-r$rep PREWARM=30 WARM=5 "$HERE/s16-siofloor-point.sh" sigbridge $1 $2 >> "$OUT"
    TAG=node-$1-r$rep PREWARM=10 WARM=5 "$HERE/s16-siofloor-point.sh" node-socketio $1 $2 >> "$OUT"
  done
done
if [ -n "${POLLING:-1}" ]; then
  JAR=$B TAG=b-poll-2 TRANSPORT=polling PREWARM=30 WARM=5 "$HERE/s16-siofloor-point.sh" sigbridge 2 4 >> "$OUT"
  TAG=node-poll-2 TRANSPORT=polling PREWARM=10 WARM=5 "$HERE/s16-siofloor-point.sh" node-socketio 2 4 >> "$OUT"
fi
