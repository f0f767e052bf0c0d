import sys, re, collections
# top leaf-most Java frames (first frame with a Java name) of user samples on web-web-http threads, and top leaf symbols
samples = open(sys.argv[1]).read().split('\n\n'); c = collections.Counter(); l = collections.Counter(); n = 0
for s in samples:
    lines = [x for x in s.split('\n') if x.strip()]
    if len(lines) < 2 or not lines[0].startswith('web-web-http'): continue
    fr = [re.match(r'\s+[0-9a-f]+\s+(.*?)\s+\((.*)\)\s*$', x) for x in lines[1:]]
    fr = [(m.group(1), m.group(2)) for m in fr if m]
    if not fr or '[kernel' in fr[0][1]: continue
    n += 1
    l[re.sub(r'\+0x[0-9a-f]+$', '', fr[0][0])[-90:]] += 1
    for sym, dso in fr:
        m = re.search(r'([\w.$<>/]+)\(', sym)
        if m and 'perf-' in dso: c[m.group(1)] += 1; break
print('user samples on web-web-http', n)
for k, v in c.most_common(int(sys.argv[2]) if len(sys.argv) > 2 else 30): print(f'{100*v/n:5.1f} % {k}')
print('-- leaf symbols')
for k, v in l.most_common(15): print(f'{100*v/n:5.1f} % {k}')
