#!/usr/bin/env python3
"""perf script (-g) of the sigbridge JVM or node on stdin: user samples of the serving thread(s) charged to the
innermost (closest to the leaf) frame that names a layer; kernel samples by system call; JVM/V8 helper threads apart.
Prints shares of all samples."""
import sys, re, collections
mode = sys.argv[1]
JAVA = [
 ('JDK NIO write: heap buffers copied to a temporary direct buffer, iovecs', r'sun\.nio\.ch\.(IOUtil\.write|SocketDispatcher\.writev|IOVecWrapper|Util\.getTemporaryDirectBuffer|SocketChannelImpl\.write)'),
 ('Jetty endpoint write (WriteFlusher, SocketChannelEndPoint.flush)', r'org\.eclipse\.jetty\.io\.(WriteFlusher|AbstractEndPoint\.write|SocketChannelEndPoint|ChannelEndPoint|SelectableChannelEndPoint)'),
 ('Jetty WebSocket flusher per frame (queue, header, batch copy, callbacks)', r'org\.eclipse\.jetty\.websocket\.core\.(util\.WebSocketFlusher|internal\.FrameFlusher|internal\.Generator|util\.FrameValidation)|org\.eclipse\.jetty\.util\.(IteratingCallback|BufferUtil)|org\.eclipse\.jetty\.io\.(RetainableByteBuffer|ArrayByteBufferPool|ByteBufferPool)'),
 ('Jetty sendFrame per frame (Frame, session state, extension stack)', r'org\.eclipse\.jetty\.websocket\.core\.(WebSocketCoreSession\.sendFrame|ExtensionStack|Frame\.<init>|internal\.WebSocketConnection\.(enqueueFrame|sendFrameQueue))|org\.eclipse\.jetty\.websocket\.core\.WebSocketCoreSession\$Flusher|WebSocketCoreSession\$OutgoingAdaptor|org\.eclipse\.jetty\.websocket\.core\.(WebSocketCoreSession|internal\.WebSocketConnection)\.(send|enqueue|lambda)'),
 ('ours: per-recipient enqueue (ClassicOutput.send with OutboundQueue.offer inlined)', r'org\.sigbridge\.web\.(classic\.ClassicOutput\.send|session\.OutboundQueue\.offer)'),
 ('ours: OutboundQueue / WebSocketConnection.send / batch callbacks', r'org\.sigbridge\.web\.session\.(OutboundQueue|WebSocketConnection\.send|WebSocketConnection\$BatchWritten)'),
 ('ours: end of turn (WriteCork, LoopSelector)', r'org\.sigbridge\.web\.loop\.(WriteCork|LoopSelector)'),
 ('ours: hub fan-out and publish', r'org\.sigbridge\.(hub|spi|envelope)\.'),
 ('ours: dialect (classic session, JSON)', r'org\.sigbridge\.web\.(classic|session|limit)|org\.sigbridge\.support'),
 ('Jetty read and parse (WebSocketConnection.onFillable, Parser)', r'org\.eclipse\.jetty\.websocket\.core\.(internal\.(WebSocketConnection|Parser)|WebSocketCoreSession)'),
 ('ours: loop read (LoopEndPoint)', r'org\.sigbridge\.web\.loop\.'),
 ('JDK NIO read', r'sun\.nio\.ch\.(IOUtil\.read|SocketDispatcher\.read|SocketChannelImpl\.read)'),
 ('Jetty selector (ManagedSelector, select loop)', r'org\.eclipse\.jetty\.(io\.ManagedSelector|util\.thread)'),
 ('Jetty other', r'org\.eclipse\.jetty'),
]
NODE_GC = r'Scaveng|MarkCompact|ConcurrentMarking|Sweeper|Heap::|GCTracer|MinorMC|IncrementalMarking|MemoryAllocator'
NODE = [
 ('V8 GC', NODE_GC),
 ('UTF-8 encode of the text, per recipient (String::WriteUtf8, Utf8Length)', r'WriteUtf8|Utf8Length|StringBytes::|Buffer.*Utf8'),
 ('JS ws library: Sender (frame header, send)', r'JS:.*node_modules/ws/lib/(sender|websocket)\.js'),
 ('JS ws library: Receiver, buffer-util (read, unmask, parse)', r'JS:.*node_modules/ws/lib/(receiver|buffer-util|validation)\.js'),
 ('JS relay.js (channels, JSON, cork/flush)', r'JS:.*relay\.js'),
 ('JS node core (streams, net: writev, read)', r'JS:.*node:'),
 ('libuv', r'^uv_|^uv__'),
]
def sym_of(s):
    m = re.search(r'([\w.$<>/]+)\(', s)
    return m.group(1).replace('/', '.') if m else s
samples = []; cur = None
for line in sys.stdin:
    if not line.strip():
        if cur: samples.append(cur); cur = None
        continue
    if not line[0].isspace():
        m = re.match(r'^(.*?)\s+(\d+)\s+[\d.]+:', line)
        cur = {'comm': m.group(1).strip() if m else '?', 'tid': m.group(2) if m else '?', 'frames': []}
        continue
    m = re.match(r'\s+([0-9a-f]+)\s+(.*?)\s+\((.*)\)\s*$', line)
    if m and cur is not None: cur['frames'].append((m.group(2), m.group(3)))
if cur: samples.append(cur)
tot = len(samples); c = collections.Counter()
main_tid = collections.Counter(s['tid'] for s in samples).most_common(1)[0][0]
for s in samples:
    fr = s['frames'] or [('?', '?')]
    kern = '[kernel' in fr[0][1]
    if mode == 'java':
        if re.match(r'(GC Thread|G1 |VM Thread|VM Periodic)', s['comm']): c['JVM: GC threads'] += 1; continue
        if re.match(r'C[12] CompilerThre', s['comm']): c['JVM: JIT compiler threads'] += 1; continue
        if not s['comm'].startswith('web-web-http'): c['other threads (' + s['comm'] + ')'] += 1; continue
    else:
        if s['tid'] != main_tid:
            c['node helper threads (' + ('V8 GC' if any(re.search(NODE_GC, f[0]) for f in fr) else 'other') + ')'] += 1; continue
    if kern:
        ks = ' '.join(f[0] for f in fr if '[kernel' in f[1])
        for name, pat in [('writev', r'do_writev|sys_writev'), ('read', r'ksys_read|sys_read\b'), ('epoll_wait', r'do_epoll_wait|epoll_pwait'),
                          ('futex', r'futex'), ('page fault', r'exc_page_fault'), ('other', r'.')]:
            if re.search(pat, ks): c['kernel: ' + name] += 1; break
        continue
    cat = None
    if mode == 'java':
        if 'libjvm' in fr[0][1] and any(re.search(r'(MemAllocator|CollectedHeap|G1|ObjAllocator|OptoRuntime::new|TLAB)', f[0]) for f in fr[:6]):
            cat = 'JVM in the serving thread: allocation slow path (new TLAB)'
        else:
            for sym, dso in fr:
                q = sym_of(sym)
                for name, pat in JAVA:
                    if re.search(pat, q): cat = name; break
                if cat: break
        if not cat: cat = 'JVM/JDK, no layer identified' + (' (libjvm leaf)' if 'libjvm' in fr[0][1] else '')
    else:
        for sym, dso in fr:
            for name, pat in NODE:
                if re.search(pat, sym): cat = name; break
            if cat: break
        if not cat: cat = 'node/V8 C++ other (builtins, runtime, no JS caller)'
    c['user: ' + cat] += 1
print(f'samples {tot}')
for k, v in sorted(c.items(), key=lambda kv: -kv[1]): print(f'{100*v/tot:6.1f} %  {k}')
