import re, sys
# rx.py SCRIPT...: share of the kernel samples under writev whose stack passes through the receive path run inline
for f in sys.argv[1:]:
    n = rx = 0
    for s in open(f).read().split('\n\n'):
        lines = [x for x in s.split('\n') if x.strip()]
        if len(lines) < 2 or '[kernel' not in lines[1]: continue
        k = ' '.join(x for x in lines[1:] if '[kernel' in x)
        if not re.search(r'do_writev|sys_writev', k): continue
        n += 1
        if re.search(r'net_rx_action|process_backlog|__netif_receive_skb', k): rx += 1
    print(f, 'kernel samples under writev', n, f'of which through net_rx_action (the receiver\'s TCP input, inline on loopback) {100*rx/n:.0f} %')
