#!/usr/bin/env python3
"""A/B of the admin list pages between two builds: one seeded database, served in turn by the
baseline's and the head's release binaries, alternating (base, head, head, base, …), so that both
meet the same machine noise. Prints the medians, then every run, as JSON.

    scripts/with-postgres.sh python3 scripts/bench-ab.py sqlite|postgres MESSAGES ROUNDS BASE_CLONE

BASE_CLONE is a clone at the baseline commit with `swift build -c release --product confab` and
`--product confab-bench` built in it (at 3480af5 confab-bench was still a product of the main
package); the head is this checkout, built as scripts/bench.sh builds it."""
import importlib.util
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
spec = importlib.util.spec_from_file_location("bench", os.path.join(ROOT, "scripts", "bench.py"))
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

kind, messages, rounds, base_clone = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
dialogs = messages // 10
BINS = {"base": (os.path.join(base_clone, ".build/release"), os.path.join(base_clone, ".build/release")),
        "head": (os.path.join(ROOT, ".build/release"), os.path.join(ROOT, "Benchmarks/.build/release"))}
workdir = tempfile.mkdtemp(prefix="confab-ab-")
db = bench.Database(kind, workdir)
head_confab = os.path.join(BINS["head"][0], "confab")
app_json = json.loads(bench.run([head_confab, "apps", "create", "--name", "ab", "--database", db.location, "--json"]))
app, key = app_json["application_id"], app_json["admin_api_key"]
bench.run([head_confab, "seed", "--app", str(app), "--dialogs", str(dialogs), "--messages", str(messages), "--database", db.location])
depth = messages // 2
deep_id = db.query(f"SELECT {db.hex('id')} FROM messages WHERE application_id = :app ORDER BY application_id DESC, id DESC LIMIT 1 OFFSET {depth}", app)[0]
dialog, low, high, count = db.query(f"SELECT {db.hex('chat_dialog_id')}, MIN(updated_at), MAX(updated_at), COUNT(*) FROM messages WHERE application_id = :app GROUP BY chat_dialog_id ORDER BY COUNT(*) DESC, chat_dialog_id LIMIT 1", app)
low, high = int(low), int(high); q = (high - low) // 4
queries = {"first": "limit=100", "deep": f"limit=100&_id[lt]={deep_id}",
           "filtered": f"limit=100&chat_dialog_id={dialog}&updated_at[gt]={low + q}&updated_at[lt]={high - q}"}
results = {"base": {}, "head": {}}
for r in range(rounds):
    for name in (["base", "head"] if r % 2 == 0 else ["head", "base"]):
        bin_dir, bench_dir = BINS[name]
        port = bench.free_port()
        server = subprocess.Popen([os.path.join(bin_dir, "confab"), "serve", "--database", db.location, "--port", str(port), "--log-level", "error"], stdout=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):
            try: urllib.request.urlopen(f"{base}/health", timeout=1); break
            except OSError: time.sleep(0.1)
        for page, query in queries.items():
            lat = bench.wrk(f"{base}/admin/chat/messages/list?{query}", key, 1, 5, latency=True)
            results[name].setdefault(page, []).append(lat["p50"])
            results[name].setdefault(page + " p99", []).append(lat["p99"])
        results[name].setdefault("rps16", []).append(bench.wrk(f"{base}/admin/chat/messages/list?limit=100", key, 16, 5)["rps"])
        with open(f"/proc/{server.pid}/status") as status:
            results[name].setdefault("rss", []).append(int(re.search(r"VmHWM:\s+(\d+) kB", status.read()).group(1)) / 1024)
        server.terminate(); server.wait()
        for page, query in queries.items():
            cost = json.loads(bench.run([os.path.join(bench_dir, "confab-bench"), "--database", db.location, "--app", str(app), "--iterations", "1000", "--query", query]))
            results[name].setdefault(page + " read", []).append(cost["read_us"])
            results[name].setdefault(page + " encode", []).append(cost["encode_us"])
        print(name, r, {k: round(v[-1], 2) for k, v in results[name].items()}, file=sys.stderr, flush=True)
db.drop()
print(json.dumps({n: {k: statistics.median(v) for k, v in d.items()} for n, d in results.items()}, indent=1))
print(json.dumps(results))
