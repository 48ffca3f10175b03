#!/usr/bin/env python3
"""Load against a real `confab serve` (issue 13): stdlib only, asyncio and raw HTTP/1.1 keep-alive.

    loadgen.py soak  --confab BIN --database URL [--seconds 60] [--connections 64] [--warmup 10] [--no-rss-check]
    loadgen.py writes --confab BIN --database URL [--writers 1,8,32] [--seconds 20] [--json FILE]

`soak` serves a fresh database with the default limits (so 429 is an allowed answer), runs a
closed-loop mixed load — half POST /chat/Message, a quarter GET /chat/Message of a dialog, a
quarter GET /admin/chat/messages/list — and checks: no 5xx, no other non-2xx but 429, no
connection errors, and the server's RSS at the end within 10% of its RSS after the warm-up.
Exits 1 on a violation.

`writes` serves a fresh database with the rate limits off and, for each number of writers, has
that many connections POST messages back to back: acknowledged (201) messages per second, p50
and p99 latency, and the server's CPU seconds per acknowledged message (/proc/PID/stat).

Both start the server themselves (`confab apps create --json`, then `confab serve --port 0`).
A PostgreSQL --database must name an empty database.
"""
import argparse
import asyncio
import hashlib
import hmac
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def fail(message):
    print(f"loadgen: {message}", file=sys.stderr)
    sys.exit(1)


class Server:
    """A `confab serve` child process and what /proc says about it."""

    def __init__(self, confab, database, extra, workdir):
        self.process = subprocess.Popen(
            [confab, "serve", "--port", "0", "--database", database, "--log-level", "error"] + extra,
            cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.pid = self.process.pid
        seen = ""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            seen += line
            match = re.search(r"Listening on http://127\.0\.0\.1:(\d+)", line)
            if match:
                self.port = int(match.group(1))
                return
        self.process.kill()
        fail(f"confab serve did not start: {seen}")

    def rss_kib(self):
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def cpu_seconds(self):
        with open(f"/proc/{self.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        # utime and stime are fields 14 and 15 of stat; fields[0] here is field 3 (state).
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def create_app(confab, database, workdir):
    output = subprocess.run(
        [confab, "apps", "create", "--name", "Load", "--json", "--database", database],
        cwd=workdir, check=True, capture_output=True, text=True).stdout
    return json.loads(output)


class Connection:
    """One keep-alive HTTP/1.1 connection; requests on it go one after another."""

    def __init__(self, port):
        self.port = port
        self.reader = None
        self.writer = None

    async def request(self, method, path, headers=None, body=None):
        """(status, body bytes). Reconnects if the server closed the connection."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        data = b"" if body is None else body.encode() if isinstance(body, str) else body
        head = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", f"Content-Length: {len(data)}"]
        if data:
            head.append("Content-Type: application/json")
        for name, value in (headers or {}).items():
            head.append(f"{name}: {value}")
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + data)
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("connection closed before a response")
        status = int(status_line.split()[1])
        length, chunked, close = None, False, False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
            elif name == "connection" and value.lower() == "close":
                close = True
        if chunked:
            content = b""
            while True:
                size = int((await self.reader.readline()).split(b";")[0], 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                content += chunk[:-2]
        elif length is not None:
            content = await self.reader.readexactly(length)
        else:
            content = await self.reader.read()
            close = True
        if close:
            self.close()
        return status, content

    def close(self):
        if self.writer is not None:
            self.writer.close()
            self.writer = None


def sign(parameters, secret):
    pairs = []
    for key, value in parameters.items():
        if isinstance(value, dict):
            pairs += [(f"{key}[{inner}]", str(v)) for inner, v in value.items()]
        else:
            pairs.append((key, str(value)))
    message = "&".join(f"{k}={v}" for k, v in sorted(pairs, key=lambda pair: pair[0].encode()))
    return hmac.new(secret.encode(), message.encode(), hashlib.sha1).hexdigest()


async def expect(connection, status, method, path, headers=None, body=None):
    got, content = await connection.request(method, path, headers, body)
    if got != status:
        fail(f"{method} {path}: {got} {content[:300]!r}")
    return json.loads(content)


async def session(connection, app, login=None, password=None):
    parameters = {"application_id": app["application_id"], "auth_key": app["auth_key"],
                  "nonce": random.randrange(1, 2**31), "timestamp": int(time.time())}
    if login:
        parameters["user"] = {"login": login, "password": password}
    parameters["signature"] = sign(parameters, app["auth_secret"])
    answer = await expect(connection, 201, "POST", "/session", body=json.dumps(parameters))
    return answer["session"]["token"]


async def users_and_dialogs(port, app, count):
    """`count` users, each with a session and a group dialog they own with the next user:
    [(token, dialog id)]."""
    connection = Connection(port)
    app_token = await session(connection, app)
    ids, tokens = [], []
    for index in range(count):
        login, password = f"load{index}", f"load-secret-{index}"
        body = json.dumps({"user": {"login": login, "password": password}})
        answer = await expect(connection, 201, "POST", "/users", {"CB-Token": app_token}, body)
        ids.append(answer["user"]["id"])
        tokens.append(await session(connection, app, login, password))
    pairs = []
    for index in range(count):
        body = json.dumps({"type": 2, "name": f"Load {index}", "occupants_ids": [ids[(index + 1) % count]]})
        answer = await expect(connection, 201, "POST", "/chat/Dialog", {"CB-Token": tokens[index]}, body)
        pairs.append((tokens[index], answer["_id"]))
    connection.close()
    return pairs


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def soak(args, server, app):
    pairs = await users_and_dialogs(server.port, app, 8)
    admin = {"CB-Administration-API-Key": app["admin_api_key"]}
    counts = {"requests": 0, "errors": 0}
    statuses = {}
    samples = []
    deadline = time.monotonic() + args.seconds

    async def client(number):
        token, dialog = pairs[number % len(pairs)]
        connection = Connection(server.port)
        sequence = 0
        while time.monotonic() < deadline:
            sequence += 1
            choice = (number + sequence) % 4
            try:
                if choice in (0, 2):
                    body = json.dumps({"chat_dialog_id": dialog, "message": f"soak {number} {sequence}"})
                    status, content = await connection.request("POST", "/chat/Message", {"CB-Token": token}, body)
                elif choice == 1:
                    status, content = await connection.request(
                        "GET", f"/chat/Message?chat_dialog_id={dialog}&limit=20&mark_as_read=0", {"CB-Token": token})
                else:
                    status, content = await connection.request("GET", "/admin/chat/messages/list?limit=20", admin)
            except (ConnectionError, asyncio.IncompleteReadError, OSError) as error:
                counts["errors"] += 1
                if counts["errors"] <= 3:
                    print(f"  connection error: {error!r}", file=sys.stderr)
                connection.close()
                continue
            counts["requests"] += 1
            statuses[status] = statuses.get(status, 0) + 1
            if status >= 500 and statuses[status] <= 3:
                print(f"  {status}: {content[:200]!r}", file=sys.stderr)
        connection.close()

    async def sampler():
        await asyncio.sleep(min(args.warmup, args.seconds))
        samples.append(server.rss_kib())

    start = time.monotonic()
    await asyncio.gather(sampler(), *(client(n) for n in range(args.connections)))
    elapsed = time.monotonic() - start
    rss_end = server.rss_kib()
    rss_warm = samples[0] if samples else rss_end
    five = sum(n for s, n in statuses.items() if s >= 500)
    other = sum(n for s, n in statuses.items() if not 200 <= s < 300 and s != 429 and s < 500)
    change = (rss_end - rss_warm) / rss_warm * 100 if rss_warm else 0.0
    result = {"requests": counts["requests"], "seconds": round(elapsed, 1),
              "per_second": round(counts["requests"] / elapsed), "statuses": dict(sorted(statuses.items())),
              "5xx": five, "other_non_2xx": other, "connection_errors": counts["errors"],
              "rss_warm_mib": round(rss_warm / 1024, 1), "rss_end_mib": round(rss_end / 1024, 1),
              "rss_change_percent": round(change, 1)}
    print(json.dumps(result))
    violations = []
    if five:
        violations.append(f"{five} answers 5xx")
    if other:
        violations.append(f"{other} answers neither 2xx nor 429")
    if counts["errors"]:
        violations.append(f"{counts['errors']} connection errors")
    if args.rss_check and abs(change) > 10:
        violations.append(f"RSS moved {change:.1f}% from the warm-up ({rss_warm} KiB) to the end ({rss_end} KiB)")
    return violations


async def write_load(server, pairs, writers, seconds, warmup):
    """Acknowledged messages per second over `seconds` after `warmup`, with latencies."""
    latencies, counts = [], {"acknowledged": 0, "other": 0}
    measuring = {"on": False}
    stop_at = time.monotonic() + warmup + seconds

    async def writer(number):
        token, dialog = pairs[number % len(pairs)]
        connection = Connection(server.port)
        sequence = 0
        while time.monotonic() < stop_at:
            sequence += 1
            body = json.dumps({"chat_dialog_id": dialog, "message": f"bench {number} {sequence}"})
            began = time.perf_counter()
            status, _ = await connection.request("POST", "/chat/Message", {"CB-Token": token}, body)
            took = time.perf_counter() - began
            if measuring["on"]:
                if status == 201:
                    counts["acknowledged"] += 1
                    latencies.append(took)
                else:
                    counts["other"] += 1
        connection.close()

    async def window():
        await asyncio.sleep(warmup)
        measuring["on"] = True
        cpu = server.cpu_seconds()
        began = time.monotonic()
        await asyncio.sleep(seconds)
        measuring["on"] = False
        return time.monotonic() - began, server.cpu_seconds() - cpu

    results = await asyncio.gather(window(), *(writer(n) for n in range(writers)))
    elapsed, cpu = results[0]
    acknowledged = counts["acknowledged"]
    return {"writers": writers, "acknowledged": acknowledged, "per_second": round(acknowledged / elapsed, 1),
            "p50_ms": round(percentile(latencies, 0.50) * 1000, 1), "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
            "cpu_ms_per_write": round(cpu / acknowledged * 1000, 2) if acknowledged else None,
            "server_cpu_percent": round(cpu / elapsed * 100), "non_201": counts["other"]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["soak", "writes"])
    parser.add_argument("--confab", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--warmup", type=float, default=10)
    parser.add_argument("--no-rss-check", dest="rss_check", action="store_false")
    parser.add_argument("--writers", default="1,8,32")
    parser.add_argument("--json", help="writes: append the results to this file as JSON lines")
    parser.add_argument("--label", default="", help="writes: a label for the JSON lines (the store)")
    parser.add_argument("--server-args", default="", help="more `confab serve` arguments, space-separated")
    args = parser.parse_args()
    args.confab = os.path.abspath(args.confab)

    workdir = tempfile.mkdtemp(prefix="confab-load-")
    app = create_app(args.confab, args.database, workdir)
    extra = args.server_args.split()
    if args.mode == "writes":
        extra += ["--rate-limit-session", "0", "--rate-limit-address", "0", "--rate-limit-admin", "0"]
    server = Server(args.confab, args.database, extra, workdir)
    try:
        if args.mode == "soak":
            args.seconds = args.seconds or 60
            violations = asyncio.run(soak(args, server, app))
        else:
            seconds = args.seconds or 20
            pairs = asyncio.run(users_and_dialogs(server.port, app, 8))
            violations = []
            for writers in [int(n) for n in args.writers.split(",")]:
                result = asyncio.run(write_load(server, pairs, writers, seconds, warmup=2))
                result["store"] = args.label
                print(json.dumps(result), flush=True)
                if args.json:
                    with open(args.json, "a") as out:
                        out.write(json.dumps(result) + "\n")
                if result["non_201"]:
                    violations.append(f"{result['non_201']} writes were not acknowledged at {writers} writers")
    finally:
        status = server.stop()
    if status != 0:
        violations.append(f"confab serve exited {status} on SIGTERM")
    for violation in violations:
        print(f"loadgen: {violation}", file=sys.stderr)
    sys.exit(1 if violations else 0)


if __name__ == "__main__":
    main()
