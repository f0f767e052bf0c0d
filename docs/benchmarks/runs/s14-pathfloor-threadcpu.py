#!/usr/bin/env python3
"""Per-thread CPU and voluntary context switches of the SIP/XMPP path's processes, from /proc/PID/task/TID/stat (utime+stime, USER_HZ 100).

Every INTERVAL seconds, for every process whose command line matches a role (bridge A/B of this build or of the
compared jar, the bench generator, Kamailio and its workers, Prosody), writes one JSON line: the time, and per role
the ticks used (and, under vcsw, the voluntary context switches made) since the previous line by each thread
group (thread name with digits folded to #).
Usage: threadcpu.py OUT.jsonl [INTERVAL] [SECONDS]
"""
import json, os, re, sys, time

def roles():
    out = {}
    for pid in os.listdir('/proc'):
        if not pid.isdigit():
            continue
        try:
            cmd = open(f'/proc/{pid}/cmdline', 'rb').read().replace(b'\0', b' ').decode(errors='replace')
        except OSError:
            continue
        role = None
        m = re.search(r'/tmp/pathfloor/[^ ]*(sigbridge-(?:sip|xmpp)(?:-B)?-bridge[ab])\.yml', cmd)
        if m and 'java' in cmd:
            role = m.group(1)
        elif 'sigbridge-bench.jar scenarios' in cmd and '/work/wt/pathfloor' in cmd:
            role = 'generator'
        if role:
            out.setdefault(role, []).append(pid)
    return out

def snapshot():
    snap = {}
    for role, pids in roles().items():
        for pid in pids:
            try:
                tids = os.listdir(f'/proc/{pid}/task')
            except OSError:
                continue
            for tid in tids:
                try:
                    comm = open(f'/proc/{pid}/task/{tid}/comm').read().strip()
                    st = open(f'/proc/{pid}/task/{tid}/stat').read()
                except OSError:
                    continue
                f = st[st.rindex(')') + 2:].split(' ')
                cs = 0
                try:
                    for line in open(f'/proc/{pid}/task/{tid}/status'):
                        if line.startswith('voluntary_ctxt_switches'):
                            cs = int(line.split()[1])
                except OSError:
                    pass
                snap[(role, pid, tid, comm)] = (int(f[11]) + int(f[12]), cs)
    return snap

def main():
    out = open(sys.argv[1], 'a')
    interval = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
    end = time.time() + (float(sys.argv[3]) if len(sys.argv) > 3 else 3600)
    prev = snapshot()
    while time.time() < end:
        time.sleep(interval)
        cur = snapshot()
        row = {}
        sw = {}
        for key, (ticks, cs) in cur.items():
            if key not in prev:
                continue
            d = ticks - prev[key][0]
            dcs = cs - prev[key][1]
            role, pid, tid, comm = key
            g = re.sub(r'\d+', '#', comm)
            if d:
                row.setdefault(role, {}).setdefault(g, 0)
                row[role][g] += d
            if dcs:
                sw.setdefault(role, {}).setdefault(g, 0)
                sw[role][g] += dcs
        out.write(json.dumps({'t': round(time.time(), 2), 'load': os.getloadavg()[0], 'ticks': row, 'vcsw': sw}) + '\n')
        out.flush()
        prev = cur

main()
