#!/usr/bin/env python3
"""For each timeline: of the deliveries at or above the run's p99, how many were in flight (send .. send+latency)
during a safepoint pause >= 1 ms of one of the server's instances, and how many during a young GC pause.
Also the 5 s phase: slow deliveries' send time modulo 5,000 ms, in 10 bins of 500 ms. usage: overlap.py OUTDIR"""
import sys, glob, os, re, datetime
out = sys.argv[1]
def pauses(d):
    res = []
    for f in glob.glob(os.path.join(d, 'instance-*-sp.log')):
        for line in open(f):
            m = re.match(r'\[(\S{23})\S*\]\[\S+\] Safepoint "([^"]+)".*Total: (\d+) ns', line)
            if not m: continue
            end = datetime.datetime.strptime(m.group(1), '%Y-%m-%dT%H:%M:%S.%f').replace(tzinfo=datetime.timezone.utc).timestamp() * 1000
            ms = int(m.group(3)) / 1e6
            if ms >= 1: res.append((end - ms, end, m.group(2)))
    return res
for f in sorted(glob.glob(os.path.join(out, 'timeline-*.tsv'))):
    name = os.path.basename(f)
    t0 = int(re.search(r'epoch ms (\d+)', open(f).readline()).group(1))
    server = name[len('timeline-'):].rsplit('-', 2)[0]
    ps = []
    for d in glob.glob(os.path.join(out, server + '-[0-9]*')):
        ps += pauses(d)
    rows = [tuple(map(float, l.split('\t'))) for l in open(f) if not l.startswith('#')]
    lat = sorted(r[1] for r in rows); n = len(lat); p99 = lat[int(n * .99)]
    slow = [r for r in rows if r[1] >= p99]
    inpause = ingc = 0
    for s, l in slow:
        a, b = t0 + s, t0 + s + l / 1000
        hit = [p for p in ps if p[0] < b and p[1] > a]
        inpause += bool(hit); ingc += any('GenCollect' in p[2] for p in hit)
    phase = [0] * 10
    for s, l in slow: phase[int((s % 5000) // 500)] += 1
    print(f"{name:36s} p99 {p99/1000:6.2f} ms  slow {len(slow):4d}  in a pause {inpause:4d}  in a GC pause {ingc:4d}  5s-phase {phase}" if ps else f"{name:36s} p99 {p99/1000:6.2f} ms  slow {len(slow):4d}  (no pause logs)  5s-phase {phase}")
