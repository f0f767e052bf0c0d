import sys
f, dps = sys.argv[1], float(sys.argv[2]); d = 4 * dps
v = {}
for l in open(f + '.perfstat'):
    if l.startswith('#') or not l.strip(): continue
    p = l.strip().split(','); v[p[2].replace('syscalls:sys_enter_', '')] = int(p[0]) if p[0].isdigit() else 0
ep = v.get('epoll_wait', 0) + v.get('epoll_pwait', 0)
print(f"{f:20s} dps={dps:.0f} deliv(4s)={d:9.0f} writev={v['writev']:6d} ({v['writev']/d:.3f}/deliv, {d/max(1,v['writev']):.1f} frames/writev) read={v['read']:6d} ({v['read']/d:.3f}) epoll_wait+pwait={ep} ({d/max(1,ep):.0f} deliv/turn) futex={v['futex']} ({v['futex']/d:.4f}) cs={v['context-switches']}")
