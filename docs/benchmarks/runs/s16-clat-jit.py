#!/usr/bin/env python3
"""Compilations (jit+compilation=debug lines) of each cluster server's instances inside each run:
[window start - warmup, window end + 1 s]. usage: jitwin.py OUTDIR [warmup_s] [duration_s]"""
import sys, glob, os, re, datetime
out = sys.argv[1]; warm = float(sys.argv[2]) if len(sys.argv) > 2 else 5; dur = float(sys.argv[3]) if len(sys.argv) > 3 else 10
def stamps(f):
    res = []
    for line in open(f, errors='replace'):
        m = re.match(r'\[(\S{23})', line)
        if m:
            res.append(datetime.datetime.strptime(m.group(1), '%Y-%m-%dT%H:%M:%S.%f').replace(tzinfo=datetime.timezone.utc).timestamp() * 1000)
    return res
cache = {}
for f in sorted(glob.glob(os.path.join(out, 'timeline-*.tsv')), key=lambda f: int(re.search(r'epoch ms (\d+)', open(f).readline()).group(1))):
    name = os.path.basename(f)
    t0 = int(re.search(r'epoch ms (\d+)', open(f).readline()).group(1))
    server = name[len('timeline-'):].rsplit('-', 2)[0]
    counts = []
    for d in glob.glob(os.path.join(out, server + '-[0-9]*')):
        for j in sorted(glob.glob(os.path.join(d, 'instance-*-jit.log'))):
            if j not in cache: cache[j] = stamps(j)
            s = cache[j]
            counts.append(sum(1 for t in s if t0 - warm * 1000 <= t < t0 + (dur + 1) * 1000))
            c2 = 0
    print(f"{name:40s} compilations per instance during the run: {counts}")
