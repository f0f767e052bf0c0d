import sys, collections, re
# usage: thr.py TAG -> per thread-group ticks between thr1 and thr2
def rd(p):
    d = collections.Counter()
    for i, l in enumerate(open(p)):
        c, u, s = l.split(); d[(i, c)] = (int(u), int(s))
    return d
a, b = rd(sys.argv[1] + '.thr1'), rd(sys.argv[1] + '.thr2')
g = collections.Counter()
def grp(c):
    if re.match(r'C[12]_CompilerThre', c): return 'JIT'
    if re.match(r'(GC_Thread|G1_|VM_Thread|VM_Periodic)', c): return 'GC/VM'
    return 'other:' + re.sub(r'[-#_]?\d+$', '', c)
names = {}
for k in b:
    ua, sa = a.get(k, (0, 0)) if k in a else (0, 0)
    g[grp(k[1])] += (b[k][0] - ua) + (b[k][1] - sa)
tot = sum(g.values())
print(' '.join(f'{k}={v}' for k, v in g.most_common()), f'total={tot}')
