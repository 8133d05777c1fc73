#!/usr/bin/env python3
"""Opens N h2c connections that complete the HTTP/2 preface (client magic + SETTINGS, and the
ACK of the server's SETTINGS), then holds them idle until stdin closes or SECONDS pass.

    idle-h2c-connections.py HOST PORT N [SECONDS]

Prints "ready N" once every connection has exchanged SETTINGS with the server. Used by
Tools/bench-transport.sh to read the server's RSS at 1,000 idle connections.
"""
import socket, sys, time

host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
hold = float(sys.argv[4]) if len(sys.argv) > 4 else 30.0
MAGIC = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
SETTINGS = b"\x00\x00\x00\x04\x00\x00\x00\x00\x00"          # empty SETTINGS
SETTINGS_ACK = b"\x00\x00\x00\x04\x01\x00\x00\x00\x00"

def read_frame(sock):
    head = b""
    while len(head) < 9:
        chunk = sock.recv(9 - len(head))
        if not chunk: raise ConnectionError("closed")
        head += chunk
    length = int.from_bytes(head[:3], "big")
    body = b""
    while len(body) < length:
        chunk = sock.recv(length - len(body))
        if not chunk: raise ConnectionError("closed")
        body += chunk
    return head[3], head[4], body

conns = []
for i in range(count):
    s = socket.create_connection((host, port))
    s.sendall(MAGIC + SETTINGS)
    conns.append(s)
for s in conns:
    s.settimeout(10)
    seen_settings = False
    while not seen_settings:
        ftype, flags, _ = read_frame(s)
        if ftype == 4 and not flags & 1:
            s.sendall(SETTINGS_ACK)
            seen_settings = True
print("ready", len(conns), flush=True)
deadline = time.time() + hold
try:
    while time.time() < deadline:
        time.sleep(0.2)
finally:
    for s in conns: s.close()
