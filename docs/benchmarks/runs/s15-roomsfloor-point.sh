#!/bin/bash
# usage: MODE=split|stat|record point.sh sigbridge|node-ws PER_CHANNEL [WINDOW]
# server pinned on CPU 0, generator on CPU 1; 1,000 clients (100 for pairs), closed loop. PREWARM=S runs a load of S seconds on the
# server first; the measured run warms WARM s (default 10), and /proc is read from WARM+3 s for 8 s (split), 4 s of perf stat
# (stat) or 8 s of perf record (record). Prints one line of raw figures; s15-roomsfloor-calc.sh turns a file of them into µs.
set -e
srv=$1; per=$2; win=${3:-1}; mode=${MODE:-split}; port=$((20000 + RANDOM % 20000))
WT=${WT:-$(git rev-parse --show-toplevel)}
JAR=${JAR:-$WT/dist/target/sigbridge.jar}
tag=${TAG:-$srv-$per-$mode}
jopts=""
[ $mode = record ] && jopts="-XX:+UnlockDiagnosticVMOptions -XX:+PreserveFramePointer -XX:+DumpPerfMapAtExit"
nopts=""
[ $mode = record ] && nopts="--perf-basic-prof"
case $srv in
  node-ws) taskset -c 0 node $nopts $WT/bench/node-relay/relay.js --port $port > $tag.srv.log 2>&1 & pid=$! ;;
  *) SIGBRIDGE_WEB_PORT=$port taskset -c 0 java $jopts -jar $JAR --config ${BENCH_YML:-$WT/docs/benchmarks/runs/s15-roomsfloor-bench.yml} > $tag.srv.log 2>&1 & pid=$! ;;
esac
for i in $(seq 100); do (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
clients=1000; [ $per = 2 ] && clients=100
if [ "${PREWARM:-0}" -gt 0 ]; then
  taskset -c 1 java -jar $WT/bench/target/sigbridge-bench.jar load --url ws://127.0.0.1:$port/ws/channels --dialect channels --clients $clients --per-channel $per --window $win --warmup 2s --duration ${PREWARM}s --drain 2s > $tag.prewarm.out 2>&1
  sleep 1
fi
taskset -c 1 java -jar $WT/bench/target/sigbridge-bench.jar load --url ws://127.0.0.1:$port/ws/channels --dialect channels --clients $clients --per-channel $per --window $win --warmup ${WARM:-10}s --duration 10s --drain 2s --server-pid $pid > $tag.load.out 2>&1 & lp=$!
sleep $(( ${WARM:-10} + 3 ))
threads() { for t in /proc/$pid/task/*; do echo "$(cat $t/comm | tr " " "_") $(awk '{print $14, $15}' $t/stat)"; done; }
threads > $tag.thr1
l1=$(cut -d' ' -f1 /proc/loadavg)
read u1 s1 < <(awk '{print $14, $15}' /proc/$pid/stat); t1=$(date +%s.%N)
case $mode in
  split) sleep 8 ;;
  stat) perf stat -x, -o $tag.perfstat -e syscalls:sys_enter_writev,syscalls:sys_enter_write,syscalls:sys_enter_read,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_epoll_pwait,syscalls:sys_enter_epoll_ctl,syscalls:sys_enter_futex,context-switches${EXTRA_EV} -p $pid sleep 4 ;;
  record) perf record -q -F 999 -g -p $pid -o $tag.perf.data sleep 8 2>/dev/null
          [ $srv = sigbridge ] && { jcmd $pid Compiler.perfmap > /dev/null 2>&1 || true; cp /tmp/perf-$pid.map $tag.perf-map 2>/dev/null || true; } ;;
esac
threads > $tag.thr2
read u2 s2 < <(awk '{print $14, $15}' /proc/$pid/stat); t2=$(date +%s.%N)
l2=$(cut -d' ' -f1 /proc/loadavg)
wait $lp || true
[ $srv = node-ws ] && [ $mode = record ] && cp /tmp/perf-$pid.map $tag.perf-map 2>/dev/null || true
kill $pid; wait $pid 2>/dev/null || true
[ $mode = record ] && [ ! -s $tag.perf-map ] && cp /tmp/perf-$pid.map $tag.perf-map 2>/dev/null || true
dps=$(grep -o '"deliveriesPerSec":[0-9.]*' $tag.load.out | cut -d: -f2)
scpu=$(grep -o '"serverCpuPct":[0-9.]*' $tag.load.out | cut -d: -f2)
gcpu=$(grep -o '"generatorCpuPct":[0-9.]*' $tag.load.out | cut -d: -f2)
lost=$(grep -o '"lost":[0-9]*' $tag.load.out | cut -d: -f2)
echo "tag=$tag srv=$srv per=$per win=$win mode=$mode pid=$pid dps=$dps lost=$lost srvcpu=$scpu gencpu=$gcpu user_ticks=$((u2-u1)) sys_ticks=$((s2-s1)) secs=$(echo "$t2-$t1"|bc) load=$l1/$l2"
