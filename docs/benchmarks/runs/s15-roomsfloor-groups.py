import sys, re, subprocess, collections
# groups.py java|node SCRIPT : layers.py's shares folded into groups, normalised without JIT compiler threads
mode, path = sys.argv[1], sys.argv[2]
out = subprocess.run(['python3', 's15-roomsfloor-layers.py', mode], stdin=open(path), capture_output=True, text=True).stdout
rows = [(float(m.group(1)), m.group(2)) for m in re.finditer(r'^\s*([\d.]+) %\s+(.*)$', out, re.M)]
G = collections.OrderedDict((k, 0.0) for k in ['kernel', 'per-frame write path, user space', 'per-message: read, parse, dialect, hub', 'selector / other Jetty', 'GC (threads + allocation slow path)', 'other'])
jit = 0
for v, k in rows:
    if 'JIT compiler' in k: jit += v; continue
    if k.startswith('kernel'): g = 'kernel'
    elif re.search(r'flusher|sendFrame|endpoint write|NIO write|per-recipient enqueue|OutboundQueue|Sender|UTF-8|node core|libuv', k): g = 'per-frame write path, user space'
    elif re.search(r'read and parse|loop read|NIO read|dialect|hub fan-out|end of turn|Receiver|relay\.js', k): g = 'per-message: read, parse, dialect, hub'
    elif re.search(r'selector|Jetty other', k): g = 'selector / other Jetty'
    elif re.search(r'GC|allocation', k): g = 'GC (threads + allocation slow path)'
    else: g = 'other'
    G[g] += v
tot = sum(G.values())
print(f'{path}: JIT threads {jit:.1f} % of samples (left out); shares of the rest:')
for k, v in G.items(): print(f'  {100*v/tot:5.1f} %  {k}')
