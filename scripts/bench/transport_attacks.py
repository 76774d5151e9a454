#!/usr/bin/env python3
# The attacks of issue 9 (findings 1, 5, 6, 7, 11b and the stop) against one pbxmock binary,
# on loopback, with a figure per finding (status, peak resident size, time a fresh client
# waited). Measures, asserts nothing: the tests are tests/server_transport_test.cpp.
#   scripts/bench/transport_attacks.py build/release/mock/pbxmock [gzip chunked flood line loris dupcl cors sigterm]
#   LORIS=2000 IDLE=2000 FRESH=5 scripts/bench/transport_attacks.py BINARY loris   (the bar)
#   scripts/bench/transport_attacks.py --tls CERT KEY BINARY [... handshake]   (the same over HTTPS;
#   `handshake`: HANDSHAKES connections that send half a ClientHello and stop, then a fresh client)
import gzip, os, resource, signal, socket, ssl, subprocess, sys, time, re

args = sys.argv[1:]
tls = None
if args and args[0] == "--tls":
    tls = args[1:3]; args = args[3:]
binary = args[0]
which = args[1:] or ["gzip", "chunked", "flood", "line", "loris", "dupcl", "cors", "sigterm"]
resource.setrlimit(resource.RLIMIT_NOFILE, (8192, 8192))
client_tls = ssl.create_default_context()
client_tls.check_hostname = False
client_tls.verify_mode = ssl.CERT_NONE

def start(extra=()):
    port = 20000 + os.getpid() % 20000
    if tls: extra = ("--tls-cert", tls[0], "--tls-key", tls[1], *extra)
    p = subprocess.Popen(["sh", "-c", 'ulimit -v 3000000; exec "$0" "$@"', binary, "serve", "--port", str(port), "--quiet", *extra],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(500):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close(); break
        except OSError: time.sleep(0.02)
    return p, port

def hwm(p):
    try:
        for line in open(f"/proc/{p.pid}/status"):
            if line.startswith("VmHWM"): return int(line.split()[1]) // 1024
    except OSError: return -1
def alive(p): return p.poll() is None
def stop(p):
    p.send_signal(signal.SIGTERM)
    try: p.wait(5)
    except subprocess.TimeoutExpired: p.kill(); p.wait()

def conn(port, t=10):
    s = socket.create_connection(("127.0.0.1", port), t); s.settimeout(t)
    if tls: s = client_tls.wrap_socket(s)
    return s

early = {}  # an answer flood() read over TLS while looking for it

def status_of(s):
    try:
        data = early.pop(s, None) or s.recv(65536)
        m = re.match(rb"HTTP/1.1 (\d+)", data)
        return int(m.group(1)) if m else data[:40]
    except OSError as e: return repr(e)

def flood(s, head, piece, budget):
    s.sendall(head); sent = 0; s.setblocking(False)
    import select
    while sent < budget:
        r, w, _ = select.select([s], [s], [], 5)
        if r and tls:
            try:
                early[s] = s.recv(65536); break
            except ssl.SSLWantReadError: continue  # a session ticket, not the answer
            except OSError: break
        if r: break
        if w:
            try: sent += s.send(piece)
            except BlockingIOError: pass
            except OSError: break
    s.setblocking(True); s.settimeout(10)
    return sent

def fresh_wait(port):
    t = time.time()
    try:
        s = conn(port, 70); s.sendall(b"GET /api/info HTTP/1.1\r\nHost: localhost\r\n\r\n"); st = status_of(s); s.close()
    except OSError as e: st = repr(e)
    return st, time.time() - t

for w in which:
    p, port = start()
    if w == "gzip":
        body = gzip.compress(b"\0" * (200 << 20), 9)
        s = conn(port); s.sendall(b"POST /api/auth/sign_in HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        print(f"gzip {len(body)} B -> 200 MiB: status {status_of(s)}, peak RSS {hwm(p)} MB, alive {alive(p)}")
    elif w == "chunked":
        s = conn(port, 60)
        piece = b"10000\r\n" + b"x" * 0x10000 + b"\r\n"
        t = time.time()
        sent = flood(s, b"POST /api/auth/sign_in HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n", piece, 300 << 20)
        print(f"chunked: sent {sent >> 20} MiB before an answer, status {status_of(s)}, {time.time()-t:.1f} s, peak RSS {hwm(p)} MB")
    elif w == "flood":
        s = conn(port, 60); piece = b"a:b\r\n" * 4096
        sent = flood(s, b"GET /api/info HTTP/1.1\r\nHost: localhost\r\n", piece, 50 << 20)
        print(f"header flood: sent {sent >> 20} MiB, status {status_of(s)}, peak RSS {hwm(p)} MB, alive {alive(p)}")
    elif w == "line":
        s = conn(port, 60)
        sent = flood(s, b"GET /", b"a" * 65536, 50 << 20)
        print(f"request line without newline: sent {sent >> 20} MiB, status {status_of(s)}, peak RSS {hwm(p)} MB")
    elif w == "loris":
        n = int(os.environ.get("LORIS", "1100")); idle = int(os.environ.get("IDLE", "0"))
        socks = []
        for i in range(n):
            s = conn(port); s.sendall(b"GET /api/info HTTP/1.1\r\nHost: localhost\r\nX-Slow: "); socks.append(s)
        for i in range(idle):
            s = conn(port); s.sendall(b"GET /api/info HTTP/1.1\r\nHost: localhost\r\n\r\n"); s.recv(65536); socks.append(s)
        for r in range(3):
            for s in socks[:n]:
                try: s.send(b"a")
                except OSError: pass
            time.sleep(1)
        waits = []
        for i in range(int(os.environ.get("FRESH", "5"))):
            st, dt = fresh_wait(port); waits.append((st, round(dt * 1000, 1)))
        print(f"slow-loris {n} + idle {idle}: fresh clients {waits}, RSS peak {hwm(p)} MB")
        for s in socks: s.close()
    elif w == "dupcl":
        s = conn(port); s.sendall(b"POST /api/auth/sign_in HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}")
        print(f"duplicate Content-Length: status {status_of(s)}")
    elif w == "handshake":
        hello = b""
        if tls:
            incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
            try: client_tls.wrap_bio(incoming, outgoing).do_handshake()
            except ssl.SSLWantReadError: hello = outgoing.read()
        socks = []
        for i in range(int(os.environ.get("HANDSHAKES", "1100"))):
            s = socket.create_connection(("127.0.0.1", port), 10); s.sendall(hello[:len(hello) // 2]); socks.append(s)
        time.sleep(1)
        waits = []
        for i in range(int(os.environ.get("FRESH", "5"))):
            st, dt = fresh_wait(port); waits.append((st, round(dt * 1000, 1)))
        t = time.time(); cut = 0
        for s in socks:
            s.settimeout(max(0.01, 30 - (time.time() - t)))
            try:
                if s.recv(100) == b"": cut += 1
            except OSError: cut += 1
        print(f"{len(socks)} half handshakes: fresh clients {waits}, {cut} cut by the server within {time.time()-t+1:.1f} s, "
              f"threads {open(f'/proc/{p.pid}/status').read().split('Threads:')[1].split()[0]}, RSS peak {hwm(p)} MB")
        for s in socks: s.close()
    elif w == "cors":
        s = conn(port); s.sendall(b"GET /__admin/requests HTTP/1.1\r\nHost: localhost\r\nOrigin: http://evil.example\r\n\r\n")
        head = s.recv(65536).split(b"\r\n\r\n")[0].decode(errors="replace")
        print("evil origin on /__admin/requests:", [l for l in head.split("\r\n") if l.startswith(("HTTP", "Access-Control"))])
        s = conn(port); s.sendall(b"GET /__admin/requests HTTP/1.1\r\nHost: evil.example\r\n\r\n")
        print("Host: evil.example on /__admin/requests:", s.recv(100).split(b"\r\n")[0])
        s = conn(port); s.sendall(b"POST /__admin/scenarios HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: 8\r\n\r\nname: x\n")
        print("text/plain upload:", s.recv(100).split(b"\r\n")[0])
    elif w == "sigterm":
        socks = []
        for i in range(200):
            s = conn(port); s.sendall(b"POST /api/auth/sign_in HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n{" if i % 2 else b"GET / HTTP/1.1\r\nX: "); socks.append(s)
        time.sleep(0.5)
        t = time.time(); p.send_signal(signal.SIGTERM)
        try: p.wait(30); print(f"SIGTERM with 200 slow clients: exited in {time.time()-t:.2f} s")
        except subprocess.TimeoutExpired: print("SIGTERM: not stopped in 30 s"); p.kill(); p.wait()
        for s in socks: s.close()
        continue
    stop(p)
