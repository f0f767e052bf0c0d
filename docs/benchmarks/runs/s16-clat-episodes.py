#!/usr/bin/env python3
"""Episodes of slow deliveries in bench timelines, with safepoint pauses of the instances lined up.
usage: timeline.py OUTDIR [server-substring] [rate]"""
import sys, glob, os, re, datetime
out = sys.argv[1]
want = sys.argv[2] if len(sys.argv) > 2 else ''
rate = sys.argv[3] if len(sys.argv) > 3 else ''

def safepoints(server_dir):
    """(epoch ms, total ms, what, instance) of every safepoint >= 1 ms of each instance."""
    res = []
    for f in glob.glob(os.path.join(server_dir, 'instance-*-sp.log')):
        inst = os.path.basename(f).split('-')[1]
        for line in open(f):
            m = re.match(r'\[(\S+)\]\[\S+\] Safepoint "([^"]+)".*Total: (\d+) ns', line)
            if not m: continue
            ts = datetime.datetime.strptime(m.group(1)[:23], '%Y-%m-%dT%H:%M:%S.%f').replace(tzinfo=datetime.timezone.utc)
            ms = int(m.group(3)) / 1e6
            if ms >= 1: res.append((ts.timestamp() * 1000, ms, m.group(2), inst))
    return res

for f in sorted(glob.glob(os.path.join(out, 'timeline-*.tsv'))):
    name = os.path.basename(f)
    if want and want not in name: continue
    if rate and ('-' + rate + '-') not in name: continue
    head = open(f).readline()
    t0 = int(re.search(r'epoch ms (\d+)', head).group(1))
    rows = [tuple(map(float, l.split('\t'))) for l in open(f) if not l.startswith('#')]
    if not rows: continue
    lat = sorted(r[1] for r in rows)
    n = len(lat)
    p50, p99 = lat[n // 2], lat[int(n * 0.99)]
    thr = max(p99, 3 * p50, 2000)
    slow = sorted(r for r in rows if r[1] >= thr)
    eps = []
    for s, l in slow:
        if eps and s - eps[-1]['end'] < 100:
            e = eps[-1]; e['end'] = s; e['n'] += 1; e['max'] = max(e['max'], l)
        else:
            eps.append({'start': s, 'end': s, 'n': 1, 'max': l})
    print(f"{name}: n={n} p50={p50/1000:.3f} p99={p99/1000:.2f} max={lat[-1]/1000:.1f} ms; >= {thr/1000:.2f} ms: {len(slow)} in {len(eps)} episodes")
    # which server dir: newest dir whose name starts with server name
    server = name[len('timeline-'):].rsplit('-', 2)[0]
    sps = []
    for d in glob.glob(os.path.join(out, server + '-[0-9]*')):
        sps += safepoints(d)
    for e in eps:
        near = [s for s in sps if t0 + e['start'] - 50 <= s[0] <= t0 + e['end'] + e['max'] / 1000 + 5]
        nears = ', '.join(f"i{s[3]} {s[2]} {s[1]:.1f}ms@{s[0]-t0:.0f}" for s in near)
        print(f"   {e['start']:8.0f}-{e['end']:8.0f} ms  n={e['n']:4d}  max={e['max']/1000:7.2f} ms  {nears}")
