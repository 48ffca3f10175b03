"""First measurement of the streaming export (issue 16, part 2): seeds 1,000,000 messages and
100,000 dialogs, then times `curl` on the two export endpoints against the direct database read
and the NodeJS page loop, with the server's peak RSS. Usage: python3 scripts/bench-stream.py [sqlite|postgres]
(release build of confab first: `swift build -c release --product confab`)."""
import json, os, subprocess, sys, tempfile, time, urllib.request
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
confab = os.path.join(ROOT, ".build", "release", "confab")
kind = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
messages, dialogs = 1_000_000, 100_000
work = tempfile.mkdtemp()
db = bench.Database(kind, work)
app_json = json.loads(bench.run([confab, "apps", "create", "--name", "m", "--database", db.location, "--json"]))
app, key = app_json["application_id"], app_json["admin_api_key"]
t = time.monotonic()
bench.run([confab, "seed", "--app", str(app), "--dialogs", str(dialogs), "--messages", str(messages), "--database", db.location])
print(f"seed {time.monotonic()-t:.1f} s", flush=True)
port = bench.free_port()
server = subprocess.Popen([confab, "serve", "--database", db.location, "--port", str(port), "--log-level", "error"], stdout=subprocess.DEVNULL)
base = f"http://127.0.0.1:{port}"
for _ in range(600):
    try:
        urllib.request.urlopen(f"{base}/health", timeout=1); break
    except OSError:
        time.sleep(0.1)
def hwm():
    for line in open(f"/proc/{server.pid}/status"):
        if line.startswith("VmHWM"): return line.split()[1]
print("server VmHWM before", hwm(), "KiB", flush=True)
for collection, path, expected in (("messages", "/admin/chat/messages/export", messages), ("dialogs", "/admin/chat/export", dialogs)):
    out = os.path.join(work, f"{collection}.ndjson")
    seconds, _ = bench.timed_shell(f"curl -sS -H 'CB-Administration-API-Key: {key}' {base}{path} -o {out}")
    lines = sum(1 for _ in open(out, "rb"))
    last = open(out, "rb").read()[-120:].split(b"\n")[-2]
    direct = db.direct_read(collection, app, expected)
    print(f"stream {collection}: {seconds:.2f} s, {lines} lines, last {last[:90]!r}; direct read {direct:.2f} s; ×{seconds/direct:.2f}; server VmHWM {hwm()} KiB", flush=True)
result = json.loads(bench.run(["node", os.path.join(ROOT, "Benchmarks", "export.mjs"), base, key, "messages"]))
print("node page loop messages:", result.get("seconds"), "s", flush=True)
server.terminate(); server.wait(); db.drop()
