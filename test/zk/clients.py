#!/usr/bin/python3
"""ZooKeeper client sessions for the real-ensemble test (kazoo, Debian's python3-kazoo).

    clients.py --log FILE --timeout 4 NAME=HOST,HOST,... [NAME=HOST,...]

Holds one kazoo session per NAME, each trying its hosts in the order given, and logs with python logging
to FILE (kazoo's own loggers included, down to its BLATHER level: the only one at which kazoo names the
session id). Tells the harness on stdout, one JSON object a line: {"connected": NAME, "session": "0x…"}
per session, then {"ready": true}. It then writes to /ql/NAME every 0.5 s until stdin says "stop" (or
closes), when each session is ended cleanly (zk.stop(); zk.close()) and {"closed": NAME} is printed.
Killing the process instead (SIGKILL) leaves its sessions to expire on the server. A process stopped
(SIGSTOP) for longer than the session timeout finds its session expired when continued: kazoo logs
"Zookeeper session closed, state: EXPIRED_SESSION" and starts a new session by itself, which is told as
{"renewed": NAME, "session": "0x…"}.
"""

import argparse
import json
import logging
import sys
import threading
import time

from kazoo.client import KazooClient, KazooState
from kazoo.exceptions import KazooException
from kazoo.loggingsupport import BLATHER

LOG_FORMAT = "%(asctime)s - %(name)s - %(levelname)s - %(message)s"


_told = threading.Lock()


def tell(**what):
    with _told:
        sys.stdout.write(json.dumps(what) + "\n")
        sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--log", required=True)
    parser.add_argument("--timeout", type=float, default=4.0)
    parser.add_argument("sessions", nargs="+", metavar="NAME=HOSTS")
    args = parser.parse_args()

    logging.addLevelName(BLATHER, "BLATHER")
    handler = logging.FileHandler(args.log)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.getLogger("kazoo").setLevel(BLATHER)
    log = logging.getLogger("clients")

    clients = {}
    known = {}

    def on_state(name, zk, state):
        # Runs on kazoo's connection thread. After an expiry kazoo starts a new session by itself: say so.
        log.info("client %s: state %s", name, state)
        if state != KazooState.CONNECTED or name not in known or not zk.client_id:
            return
        if zk.client_id[0] != known[name]:
            old, known[name] = known[name], zk.client_id[0]
            log.info("client %s: new session 0x%x (%d) after 0x%x ended", name, known[name], known[name], old)
            tell(renewed=name, session="0x%x" % known[name], decimal=str(known[name]))

    for spec in args.sessions:
        name, hosts = spec.split("=", 1)
        zk = KazooClient(
            hosts=hosts,
            timeout=args.timeout,
            randomize_hosts=False,
            connection_retry={"max_tries": -1, "delay": 0.1, "backoff": 1, "max_delay": 0.5},
            logger=logging.getLogger("kazoo.client." + name),
        )
        zk.add_listener(lambda state, name=name, zk=zk: on_state(name, zk, state))
        zk.start(timeout=15)
        session = "0x%x" % zk.client_id[0]
        known[name] = zk.client_id[0]
        log.info("client %s: session %s (%d), negotiated timeout %d ms", name, session, zk.client_id[0], zk._session_timeout)
        tell(connected=name, session=session, decimal=str(zk.client_id[0]))
        zk.ensure_path("/ql/" + name)
        for i in range(3):
            zk.set("/ql/" + name, b"write %d" % i)
        clients[name] = zk
    tell(ready=True)

    stop = threading.Event()

    def read_stdin():
        for line in sys.stdin:
            if line.strip() == "stop":
                break
        stop.set()

    threading.Thread(target=read_stdin, daemon=True).start()
    n = 0
    while not stop.wait(0.5):
        n += 1
        for name, zk in clients.items():
            if not zk.connected:
                continue
            try:
                zk.set_async("/ql/" + name, b"tick %d" % n)
            except KazooException as e:
                log.warning("client %s: write %d failed: %r", name, n, e)

    for name, zk in clients.items():
        log.info("client %s: closing session 0x%x", name, zk.client_id[0] if zk.client_id else 0)
        zk.stop()
        zk.close()
        tell(closed=name)
    time.sleep(0.1)


if __name__ == "__main__":
    main()
