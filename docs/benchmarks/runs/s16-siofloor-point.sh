#!/bin/bash
# usage: MODE=split|stat point.sh sigbridge|node-socketio PER_CHANNEL [WINDOW]
# socket.io 4 (the bench's `message` relay on both servers) over WebSocket, or over polling with TRANSPORT=polling.
# As s15-roomsfloor-point.sh: server pinned on CPU 0, generator on CPU 1; 1,000 clients in rooms (100 for pairs),
# closed loop. PREWARM=S runs a load of S seconds on the server first; the measured run warms WARM s (default 10), and
# /proc/PID/stat is read from WARM+3 s for 8 s (split) or perf stat counts system calls for 4 s (stat). Prints one line
# of raw figures (ticks are 1/100 s): user and kernel µs per delivery = ticks × 10,000 / (dps × secs).
set -e
srv=$1; per=$2; win=${3:-1}; mode=${MODE:-split}; port=$((20000 + RANDOM % 20000))
WT=${WT:-$(git rev-parse --show-toplevel)}
JAR=${JAR:-$WT/dist/target/sigbridge.jar}
tag=${TAG:-$srv-$per-$mode}
dialect=socketio; [ "${TRANSPORT:-websocket}" = polling ] && dialect=socketio-polling
case $srv in
  node-socketio) taskset -c 0 node $WT/bench/socketio-server/server.js --port $port > $tag.srv.log 2>&1 & pid=$! ;;
  *) SIGBRIDGE_WEB_PORT=$port taskset -c 0 java -jar $JAR --config ${BENCH_YML:-$WT/docs/benchmarks/runs/s16-siofloor-bench.yml} > $tag.srv.log 2>&1 & pid=$! ;;
esac
for i in $(seq 100); do (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
clients=1000; [ $per = 2 ] && clients=100
gen() { taskset -c 1 java -jar $WT/bench/target/sigbridge-bench.jar load --url ws://127.0.0.1:$port/socket.io/ --dialect $dialect \
  --clients $clients --per-channel $per --window $win "$@"; }
if [ "${PREWARM:-0}" -gt 0 ]; then
  gen --warmup 2s --duration ${PREWARM}s --drain 2s > $tag.prewarm.out 2>&1
  sleep 1
fi
gen --warmup ${WARM:-10}s --duration 10s --drain 2s --server-pid $pid > $tag.load.out 2>&1 & lp=$!
sleep $(( ${WARM:-10} + 3 ))
l1=$(cut -d' ' -f1 /proc/loadavg)
read u1 s1 < <(awk '{print $14, $15}' /proc/$pid/stat); t1=$(date +%s.%N)
case $mode in
  split) sleep 8 ;;
  stat) perf stat -x, -o $tag.perfstat -e syscalls:sys_enter_writev,syscalls:sys_enter_write,syscalls:sys_enter_read,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_epoll_pwait,syscalls:sys_enter_futex -p $pid sleep 4 ;;
esac
read u2 s2 < <(awk '{print $14, $15}' /proc/$pid/stat); t2=$(date +%s.%N)
l2=$(cut -d' ' -f1 /proc/loadavg)
wait $lp || true
kill $pid; wait $pid 2>/dev/null || true
dps=$(grep -o '"deliveriesPerSec":[0-9.]*' $tag.load.out | cut -d: -f2)
scpu=$(grep -o '"serverCpuPct":[0-9.]*' $tag.load.out | cut -d: -f2)
gcpu=$(grep -o '"generatorCpuPct":[0-9.]*' $tag.load.out | cut -d: -f2)
lost=$(grep -o '"lost":[0-9]*' $tag.load.out | cut -d: -f2)
secs=$(echo "$t2-$t1" | bc)
us() { echo "scale=2; $1 * 10000 / ($dps * $secs)" | bc; }
echo "tag=$tag srv=$srv jar=$(basename $JAR) transport=${TRANSPORT:-websocket} per=$per win=$win mode=$mode dps=$dps lost=$lost srvcpu=$scpu gencpu=$gcpu user_ticks=$((u2-u1)) sys_ticks=$((s2-s1)) secs=$secs user_us=$(us $((u2-u1))) sys_us=$(us $((s2-s1))) load=$l1/$l2"
