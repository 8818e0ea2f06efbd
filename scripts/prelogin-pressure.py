#!/usr/bin/env python3
"""What unauthenticated clients can take from a gateway jar: memory and connection slots.

  scripts/prelogin-pressure.py [JAR]      (default gateway/target/agentgate.jar; needs java and jcmd)

Starts the jar (-Xmx512m, default listen limits, no reachable issuer or target: nobody logs in), then
1. 16 clients at once each send a real 64 MiB login packet (a handshake response whose password is 64 MiB, in
   0xFFFFFF-byte chunks), and it prints the answers, the heap and RSS peaks and the OutOfMemoryErrors logged;
2. 1,010 idle sockets from 127.0.0.2, then one client from 127.0.0.3, and it prints who was greeted.
"""
import os, re, resource, socket, struct, subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "gateway", "target", "agentgate.jar")
PORT = 24407
CONFIG = """dev_mode: true
listen:
  host: 127.0.0.1
  port: %d
  server_version: "10.11.0-MariaDB"
policy:
  disabled: true
identity:
  issuers:
    - issuer: "http://127.0.0.1:1"
      audiences: [agentgate]
      jwks_uri: "http://127.0.0.1:1/jwks"
targets:
  appdb: {host: "127.0.0.1", port: 1, user: "svc", password: "pw"}
""" % PORT


def mib(status, key):
    return int(re.search(key + r":\s+(\d+)", status).group(1)) // 1024


def heap_used(pid):
    out = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True).stdout
    found = re.search(r"used (\d+)K", out)
    return int(found.group(1)) // 1024 if found else 0


def huge_password(answers):
    s = socket.create_connection(("127.0.0.1", PORT), 10)
    s.settimeout(20)
    try:
        s.recv(65536)  # the greeting
        size = 64 << 20
        capabilities = 0x200 | 0x8000 | 0x80000 | 0x200000
        prefix = struct.pack("<IIB", capabilities, 1 << 24, 45) + b"\0" * 23 + b"appdb\0" + b"\xfe" + struct.pack("<Q", size)
        total = len(prefix) + size + len(b"mysql_clear_password\0")
        sent, seq, block = 0, 1, b"x" * (1 << 20)
        while sent < total:
            n = min(0xFFFFFF, total - sent)
            s.sendall(struct.pack("<I", n)[:3] + bytes([seq & 0xFF]))
            left = n
            if sent == 0:
                s.sendall(prefix)
                left -= len(prefix)
            while left > 0:
                k = min(left, len(block))
                s.sendall(block[:k])
                left -= k
            sent, seq = sent + n, seq + 1
        answers.append("sent all 64 MiB, answer %r" % s.recv(65536)[4:60])
    except OSError as e:
        try:
            data = s.recv(65536)
        except OSError:
            data = b""
        answers.append("refused after %s: %r" % (type(e).__name__, data[4:60]))
    finally:
        s.close()


def first_byte(source):
    s = socket.socket()
    s.bind((source, 0))
    s.settimeout(5)
    s.connect(("127.0.0.1", PORT))
    try:
        head = s.recv(5)
        return s, head[4] if len(head) == 5 else None
    except OSError:
        return s, None


def main():
    resource.setrlimit(resource.RLIMIT_NOFILE, (4096, 4096))
    work = tempfile.mkdtemp(prefix="agentgate-prelogin-")
    with open(os.path.join(work, "gateway.yaml"), "w") as f:
        f.write(CONFIG)
    log = os.path.join(work, "gateway.log")
    gateway = subprocess.Popen(["java", "-Xmx512m", "-jar", JAR, "serve", "--config", "gateway.yaml"], cwd=work,
                               stdout=open(log, "w"), stderr=subprocess.STDOUT)
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", PORT), 1).close()
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(1)
        print("jar:", JAR)
        print("RSS before (MiB):", mib(open("/proc/%d/status" % gateway.pid).read(), "VmRSS"), "heap used:", heap_used(gateway.pid))
        peak, stop = [0], threading.Event()

        def sample():
            while not stop.is_set():
                peak[0] = max(peak[0], heap_used(gateway.pid))
                time.sleep(0.2)

        sampler = threading.Thread(target=sample)
        sampler.start()
        answers, start = [], time.time()
        clients = [threading.Thread(target=huge_password, args=(answers,)) for _ in range(16)]
        for c in clients:
            c.start()
        for c in clients:
            c.join()
        elapsed = time.time() - start
        time.sleep(2)
        stop.set()
        sampler.join()
        status = open("/proc/%d/status" % gateway.pid).read()
        print("16 x 64 MiB login packets: done in %.1f s; heap used peak (sampled) %d MiB; RSS high-water mark %d MiB"
              % (elapsed, peak[0], mib(status, "VmHWM")))
        for answer in sorted(set(answers)):
            print("  %2d x %s" % (answers.count(answer), answer))
        print("OutOfMemoryError in the log:", open(log).read().count("OutOfMemoryError"))
        held, kinds = [], {}
        for _ in range(1010):
            s, b = first_byte("127.0.0.2")
            held.append(s)
            kinds[b] = kinds.get(b, 0) + 1
        print("1,010 idle sockets from 127.0.0.2: greeted %d, refused with ERR %d, other %s"
              % (kinds.pop(10, 0), kinds.pop(255, 0), kinds))
        other, b = first_byte("127.0.0.3")
        print("then a client from 127.0.0.3 gets:", {10: "the greeting", 255: "ERR"}.get(b, b))
        for s in held + [other]:
            s.close()
        print("gateway alive:", gateway.poll() is None)
    finally:
        gateway.terminate()
        gateway.wait(10)


if __name__ == "__main__":
    main()
