#!/usr/bin/env python3
"""The export and page benchmark (issue 5). Run it through scripts/bench.sh, which builds the
binaries and starts PostgreSQL; see BENCHMARKS.md for what each column means.

For each case (store, messages, dialogs): seed a fresh database with `confab seed`, serve it with
`confab serve`, then
  1. export every message and every dialog with the reference's NodeJS loop (Benchmarks/export.mjs),
     checking each row comes exactly once;
  2. read the same rows in the same order as JSON lines straight from the database
     (sqlite3, or psql COPY): the physical limit;
  3. time the first page, a page deep in the list, and a page filtered by updated_at range and
     chat_dialog_id with wrk on one connection (p50, p99, max);
  4. measure first-page throughput with wrk at 1, 4 and 16 connections;
  5. split one page's cost inside the server into the store read and JSON encoding (confab-bench);
  6. record the server's peak RSS.
Every check that fails stops the run with a non-zero exit.
"""
import datetime
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fail(message):
    print(f"bench: {message}", file=sys.stderr)
    sys.exit(1)


def run(args, **kwargs):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs).stdout


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed_shell(command):
    """Seconds to run `command` (a shell pipeline) and its output."""
    start = time.monotonic()
    output = subprocess.run(["bash", "-o", "pipefail", "-c", command], check=True, capture_output=True, text=True).stdout
    return time.monotonic() - start, output


class Database:
    """A fresh database of one store, and SQL over it for the direct reads."""

    def __init__(self, kind, workdir, keep=None):
        self.kind = kind
        if kind == "sqlite":
            self.path = keep or os.path.join(workdir, "bench.sqlite")
            self.location = f"sqlite:{self.path}"
        else:
            base = os.environ["CONFAB_TEST_POSTGRES_URL"]
            self.name = f"confab_bench_{os.getpid()}_{int(time.time())}"
            run(["psql", base.split("?")[0], "-Atqc", f'CREATE DATABASE "{self.name}"'])
            self.location = re.sub(r"/[^/?]+(\?|$)", f"/{self.name}\\1", base, count=1)
            # psql gets the URL without its query string.
            self.psql_url = self.location.split("?")[0]

    def drop(self):
        if self.kind == "postgres":
            run(["psql", os.environ["CONFAB_TEST_POSTGRES_URL"].split("?")[0], "-Atqc",
                 f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'])

    def query(self, sql, app):
        """One row of `sql`, with the application id bound as a parameter."""
        if self.kind == "sqlite":
            out = run(["sqlite3", "-separator", "|", self.path, f".param set :app {int(app)}", sql])
        else:
            # psql fills in :app (a number checked by int()) when it reads the SQL from a file.
            out = run(["psql", self.psql_url, "-Atq", "-v", f"app={int(app)}", "-f", "-"], input=sql)
        return out.strip().splitlines()[-1].split("|")

    def rows(self, sql, app):
        """Every row of `sql`, the application id bound as in `query`."""
        if self.kind == "sqlite":
            out = run(["sqlite3", "-separator", "|", self.path, f".param set :app {int(app)}", sql])
        else:
            out = run(["psql", self.psql_url, "-Atq", "-v", f"app={int(app)}", "-f", "-"], input=sql)
        return [line.split("|") for line in out.strip().splitlines() if line]

    def hex(self, column):
        return f"lower(hex({column}))" if self.kind == "sqlite" else f"encode({column}, 'hex')"

    def direct_read(self, collection, app, expected):
        """Seconds to read every row of `collection` as JSON lines, newest `_id` first."""
        if self.kind == "sqlite":
            sql = SQLITE_JSON[collection] + " WHERE application_id = :app ORDER BY application_id DESC, id DESC"
            command = f"sqlite3 {self.path} '.param set :app {int(app)}' \"{sql}\" | wc -l"
        else:
            sql = POSTGRES_JSON[collection] + f" WHERE application_id = {int(app)} ORDER BY application_id DESC, id DESC"
            command = f"psql {self.psql_url} -Atqc \"COPY ({sql}) TO STDOUT\" | wc -l"
        seconds, output = timed_shell(command)
        if int(output.strip()) != expected:
            fail(f"direct read of {collection} on {self.kind} gave {output.strip()} lines, not {expected}")
        return seconds


def json_columns(build, hex_id, as_json, columns, json_valued):
    parts = []
    for name, column in columns:
        if column in ("id", "chat_dialog_id", "last_message_id"):
            value = hex_id(column)
        elif column in json_valued:
            value = as_json(column)
        else:
            value = column
        parts.append(f"'{name}', {value}")
    return f"SELECT {build}({', '.join(parts)}) FROM {{table}}"


MESSAGE_COLUMNS = [("_id", "id"), ("chat_dialog_id", "chat_dialog_id"), ("message", "message"),
                   ("date_sent", "date_sent"), ("sender_id", "sender_id"), ("recipient_id", "recipient_id"),
                   ("created_at", "created_at"), ("updated_at", "updated_at"), ("read_ids", "read_ids"),
                   ("delivered_ids", "delivered_ids"), ("attachments", "attachments"),
                   ("custom_fields", "custom_fields"), ("reactions", "reactions"), ("views_count", "views_count"),
                   ("edited_at", "edited_at"), ("deleted_for_ids", "deleted_for_ids")]
DIALOG_COLUMNS = [("_id", "id"), ("user_id", "user_id"), ("type", "type"), ("name", "name"),
                  ("description", "description"), ("photo", "photo"), ("occupants_ids", "occupants_ids"),
                  ("xmpp_room_jid", "xmpp_room_jid"), ("is_e2ee", "is_e2ee"), ("admins_ids", "admins_ids"),
                  ("last_message", "last_message"), ("last_message_date_sent", "last_message_date_sent"),
                  ("last_message_id", "last_message_id"), ("last_message_user_id", "last_message_user_id"),
                  ("created_at", "created_at"), ("updated_at", "updated_at")]
MESSAGE_JSON = {"read_ids", "delivered_ids", "attachments", "custom_fields", "reactions", "deleted_for_ids"}
DIALOG_JSON = {"occupants_ids", "admins_ids"}


def both(build, hex_id, as_json):
    return {
        "messages": json_columns(build, hex_id, as_json, MESSAGE_COLUMNS, MESSAGE_JSON).format(table="messages"),
        "dialogs": json_columns(build, hex_id, as_json, DIALOG_COLUMNS, DIALOG_JSON).format(table="dialogs"),
    }


SQLITE_JSON = both("json_object", lambda c: f"lower(hex({c}))", lambda c: f"json({c})")
POSTGRES_JSON = both("json_build_object", lambda c: f"encode({c}, 'hex')", lambda c: f"{c}::json")


def wrk(url, key, connections, seconds, latency=False, retry=True):
    """wrk's requests/s (and with `latency`, p50, p99 and max in ms). A run whose output has no
    latency figures (no request finished in time: once seen in CI under load) is run once more,
    twice as long."""
    args = ["wrk", f"-t{min(connections, 2)}", f"-c{connections}", f"-d{seconds}s",
            "-H", f"CB-Administration-API-Key: {key}"]
    if latency:
        args.append("--latency")
    out = run(args + [url])
    if "Non-2xx" in out or "Socket errors" in out:
        fail(f"wrk saw errors on {url}:\n{out}")
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    if latency:
        def ms(pattern):
            # wrk prints e.g. "812.00us", "6.56ms", "1.02s" or "2.00m".
            found = re.search(pattern + r"([\d.]+)(us|ms|s|m)\b", out)
            if found is None:
                raise LookupError(pattern)
            value, unit = found.groups()
            return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]
        try:
            result["p50"] = ms(r"50%\s+")
            result["p99"] = ms(r"99%\s+")
            result["max"] = ms(r"Latency\s+\S+\s+\S+\s+")
        except LookupError as missing:
            if retry:
                return wrk(url, key, connections, seconds * 2, latency, retry=False)
            fail(f"cannot read the latency ({missing}) in wrk's output:\n{out}")
    return result


def seeded(confab, database, messages, dialogs, keep, seed_args=()):
    """The application, its key and the seconds its seed took: seeded now, or, with `keep` (a
    directory; SQLite only), kept there from an earlier run of the same case."""
    saved = os.path.join(keep, f"sqlite-{messages}.json") if keep else None
    if saved and os.path.exists(saved):
        info = json.load(open(saved))
        return info["application_id"], info["admin_api_key"], info["seed_seconds"]
    app_json = json.loads(run([confab, "apps", "create", "--name", "bench", "--database", database.location, "--json"]))
    app, key = app_json["application_id"], app_json["admin_api_key"]
    start = time.monotonic()
    run([confab, "seed", "--app", str(app), "--dialogs", str(dialogs), "--messages", str(messages),
         "--database", database.location, *seed_args])
    seed_seconds = time.monotonic() - start
    if saved:
        json.dump({"application_id": app, "admin_api_key": key, "seed_seconds": seed_seconds}, open(saved, "w"))
    return app, key, seed_seconds


def bench_case(kind, messages, dialogs, bin_dir, bench_bin_dir, smoke, scale=False):
    """Every measurement of one case; with `scale`, those the scale targets compare (no NodeJS
    loops, no throughput or row-counted pages), on a database kept in $CONFAB_BENCH_KEEP."""
    workdir = tempfile.mkdtemp(prefix="confab-bench-")
    keep = os.environ.get("CONFAB_BENCH_KEEP") if scale else None
    database = Database(kind, workdir, keep=os.path.join(keep, f"sqlite-{messages}.sqlite") if keep else None)
    confab = os.path.join(bin_dir, "confab")
    server = None
    try:
        app, key, seed_seconds = seeded(confab, database, messages, dialogs, keep)

        server, base = serve(confab, database)

        exports = {}
        for collection, expected in (("messages", messages), ("dialogs", dialogs)):
            if scale:
                exports[collection] = {"direct": database.direct_read(collection, app, expected)}
                continue
            result = json.loads(run(["node", os.path.join(ROOT, "Benchmarks", "export.mjs"), base, key, collection]))
            if not (result["total_entries"] == result["rows"] == result["unique"] == expected
                    and result["duplicates"] == 0):
                fail(f"export of {collection} on {kind} is not every row once: {result}, expected {expected}")
            result["direct"] = database.direct_read(collection, app, expected)
            exports[collection] = result

        exports["cli"] = cli_export(confab, base, key, workdir, messages)
        streams = {collection: stream_export(base, key, collection, expected, exports[collection]["direct"])
                   for collection, expected in (("messages", messages), ("dialogs", dialogs))}
        streams["rss_mib"] = peak_rss_mib(server.pid)

        depth = min(500_000, messages // 2)
        deep_id = database.query(
            f"SELECT {database.hex('id')} FROM messages WHERE application_id = :app "
            f"ORDER BY application_id DESC, id DESC LIMIT 1 OFFSET {int(depth)}", app)[0]
        dialog, low, high, count = database.query(
            f"SELECT {database.hex('chat_dialog_id')}, MIN(updated_at), MAX(updated_at), COUNT(*) FROM messages "
            f"WHERE application_id = :app GROUP BY chat_dialog_id ORDER BY COUNT(*) DESC, chat_dialog_id LIMIT 1", app)
        low, high = int(low), int(high)
        quarter = (high - low) // 4
        list_url = f"{base}/admin/chat/messages/list"
        pages = {
            "first": f"{list_url}?limit=100",
            "deep": f"{list_url}?limit=100&_id[lt]={deep_id}",
            "filtered": f"{list_url}?limit=100&chat_dialog_id={dialog}"
                        f"&updated_at[gt]={low + quarter}&updated_at[lt]={high - quarter}",
        }
        seconds = 2 if smoke else 5
        latency = {name: wrk(url, key, 1, seconds, latency=True) for name, url in pages.items()}
        throughput = {} if scale else {c: wrk(pages["first"], key, c, 1 if smoke else 10)["rps"] for c in (1, 4, 16)}

        cost = {}
        for name, url in pages.items():
            cost[name] = json.loads(run([os.path.join(bench_bin_dir, "confab-bench"), "--database", database.location,
                                         "--app", str(app), "--iterations", "50" if smoke else "2000",
                                         "--query", url.split("?", 1)[1]]))
        rss_mib = peak_rss_mib(server.pid)
        # After the RSS: their scans of the whole application grow SQLite's page cache.
        row_counted = {} if scale else {
            name: wrk(url, key, 1, seconds, latency=True) | {"total_entries": total_entries(url, key)}
            for name, url in row_counted_pages(database, app, base, low, high).items()}
        return {
            "store": kind, "messages": messages, "dialogs": dialogs, "seed": seed_seconds,
            "exports": exports, "latency": latency, "throughput": throughput, "cost": cost,
            "rss_mib": rss_mib, "streams": streams, "depth": depth, "filtered_dialog_messages": int(count),
            "row_counted": row_counted,
        }
    finally:
        if server is not None:
            stop(server)
        if not keep:
            database.drop()
        shutil.rmtree(workdir, ignore_errors=True)


def serve(confab, database):
    """`confab serve` on the database, once it answers /health: the process and its base URL."""
    port = free_port()
    # No rate limit: this measures what the server can serve (one admin key outruns the
    # default 1,000 requests/s now).
    server = subprocess.Popen([confab, "serve", "--database", database.location, "--port", str(port),
                               "--log-level", "error", "--rate-limit-admin", "0"], stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(f"{base}/health", timeout=1)
            return server, base
        except OSError:
            if server.poll() is not None:
                fail("confab serve exited")
            time.sleep(0.1)
    server.kill()
    fail("confab serve did not answer /health within 60 s")


def stop(server):
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


# The seeded data starts at 1,700,000,000 (2023-11-14 22:13:20 UTC); the statistics case spans a year.
SEED_START, DAY = 1_700_000_000, 86_400


def stats_case(kind, messages, dialogs, bin_dir, smoke):
    """The statistics endpoints (docs/statistics.md) over a year of data, each answer checked
    against a count in the database, timed with wrk beside the first page of the message list."""
    workdir = tempfile.mkdtemp(prefix="confab-bench-")
    database = Database(kind, workdir)
    confab = os.path.join(bin_dir, "confab")
    server = None
    try:
        app, key, seed_seconds = seeded(confab, database, messages, dialogs, None, ("--days", "365"))
        server, base = serve(confab, database)
        day0 = SEED_START // DAY
        inside = lambda day, hour: (day0 + day) * DAY + hour * 3600  # noqa: E731
        stats = f"{base}/admin/stats"
        # Each request with what it counts: (column, start, end, types, per-day window or None).
        cases = {
            "first page of the message list (the yardstick)": (f"{base}/admin/chat/messages/list?limit=100", None),
            "messages sent-total, no bounds": (f"{stats}/messages/sent-total", ("date_sent", None, None, None, None)),
            "messages sent-total, days 30–300, bounds inside days": (
                f"{stats}/messages/sent-total?start_date={inside(30, 10)}&end_date={inside(300, 15)}",
                ("date_sent", inside(30, 10), inside(300, 15), None, None)),
            "messages sent-per-day, the first 100 days": (
                f"{stats}/messages/sent-per-day?limit=100", ("date_sent", None, None, None, (0, 100))),
            "messages sent-per-day, offset 265: the last 100 of the year": (
                f"{stats}/messages/sent-per-day?offset=265&limit=100", ("date_sent", None, None, None, (265, 100))),
            "dialogs created-per-day, types[] 2 and 3, from inside day 10": (
                f"{stats}/dialogs/created-per-day?types[]=2&types[]=3&start_date={inside(10, 12)}",
                ("created_at", inside(10, 12), None, (2, 3), (0, 100))),
            "dialogs created-total, one hour of one day": (
                f"{stats}/dialogs/created-total?start_date={inside(20, 8)}&end_date={inside(20, 9)}",
                ("created_at", inside(20, 8), inside(20, 9), None, None)),
        }
        rows = {}
        for name, (url, check) in cases.items():
            shown = "100 messages"
            if check:
                expected = counted_in_database(database, app, *check)
                answer = json.loads(urllib.request.urlopen(urllib.request.Request(
                    url.replace("[]", "%5B%5D"), headers={"CB-Administration-API-Key": key}), timeout=30).read())
                if answer != expected:
                    fail(f"{name}: answered {str(answer)[:300]}, the database counts {str(expected)[:300]}")
                shown = f"{answer['total']:,}" if "total" in answer else f"{len(answer)} days"
            rows[name] = wrk(url, key, 1, 2 if smoke else 5, latency=True) | {"answer": shown}
        return {"store": kind, "messages": messages, "dialogs": dialogs, "seed": seed_seconds, "rows": rows}
    finally:
        if server is not None:
            stop(server)
        database.drop()
        shutil.rmtree(workdir, ignore_errors=True)


def counted_in_database(database, app, column, low, high, types, window):
    """What a statistics endpoint must answer, counted in the database row by row: the total, or
    the window's listed days as `YYYY-MM-DD` in order."""
    table = "messages" if column == "date_sent" else "dialogs"
    conditions = ["application_id = :app"]
    if low is not None:
        conditions.append(f"{column} >= {int(low)}")
    if high is not None:
        conditions.append(f"{column} <= {int(high)}")
    if types is not None:
        conditions.append(f"type IN ({', '.join(str(int(t)) for t in types)})")
    where = " AND ".join(conditions)
    if window is None:
        return {"total": int(database.query(f"SELECT COUNT(*) FROM {table} WHERE {where}", app)[0])}
    day = f"(({column} - ((({column} % 86400) + 86400) % 86400)) / 86400)"
    offset, limit = window
    days = database.rows(f"SELECT {day} AS day, COUNT(*) FROM {table} WHERE {where} "
                         f"GROUP BY {day} ORDER BY day LIMIT {int(limit)} OFFSET {int(offset)}", app)
    epoch = datetime.date(1970, 1, 1)
    return {(epoch + datetime.timedelta(days=int(d))).isoformat(): int(n) for d, n in days}


def mirror_case(kind, messages, dialogs, bin_dir, smoke):
    """`confab mirror` of a served application into a fresh SQLite file: the first copy (the
    streaming export), then, after as many rows again are written into the source, the round
    that catches up on them through the change feed: the feed's throughput as the mirror
    applies it (changes/s). Both copies are checked row for row against the source."""
    workdir = tempfile.mkdtemp(prefix="confab-bench-")
    database = Database(kind, workdir)
    confab = os.path.join(bin_dir, "confab")
    server = None
    try:
        app, key, _ = seeded(confab, database, messages, dialogs, None)
        server, base = serve(confab, database)
        copy = os.path.join(workdir, "copy.sqlite")
        mirror = [confab, "mirror", "--from", base, f"--key={key}", "--into", f"sqlite:{copy}"]

        def mirrored():
            start = time.monotonic()
            out = subprocess.run(mirror, check=True, capture_output=True, text=True).stderr
            return time.monotonic() - start, out

        def check(expected_messages):
            copied = int(run(["sqlite3", copy, f"SELECT COUNT(*) FROM messages WHERE application_id = {int(app)}"]))
            if copied != expected_messages:
                fail(f"the mirror holds {copied} messages, the source {expected_messages}")

        export_seconds, _ = mirrored()
        check(messages)
        # As many rows again, written into the source while it serves: the feed's changes.
        run([confab, "seed", "--app", str(app), "--dialogs", str(dialogs), "--messages", str(messages),
             "--random-seed", "2", "--database", database.location])
        follow_seconds, out = mirrored()
        caught = re.search(r"Caught up: (\d+) upserts and (\d+) deletions applied in ([\d.]+) s", out)
        if not caught:
            fail(f"the mirror did not say it caught up: {out[-500:]}")
        check(2 * messages)
        changes, applied_seconds = int(caught.group(1)) + int(caught.group(2)), float(caught.group(3))
        return {"store": kind, "messages": messages, "dialogs": dialogs, "export": export_seconds,
                "follow": follow_seconds, "changes": changes, "applied": applied_seconds}
    finally:
        if server is not None:
            stop(server)
        database.drop()
        shutil.rmtree(workdir, ignore_errors=True)


def mirror_table(results):
    lines = [
        "| source | rows seeded, then as many again | first copy (streaming export) | rows/s | changes caught up through the feed | in | changes/s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        rows = r["messages"] + r["dialogs"]
        lines.append(
            f"| {r['store']} | {r['messages']:,} messages + {r['dialogs']:,} dialogs | {r['export']:.1f} s "
            f"| {rows / r['export']:,.0f} | {r['changes']:,} | {r['applied']:.1f} s | {r['changes'] / r['applied']:,.0f} |")
    return "\n".join(lines)


def stats_table(results):
    lines = [
        "| store | messages | request | answer | p50 / p99 / max | p50 × first page |",
        "|---|---:|---|---:|---|---:|",
    ]
    for r in results:
        yardstick = r["rows"]["first page of the message list (the yardstick)"]["p50"]
        for name, row in r["rows"].items():
            lines.append(
                f"| {r['store']} | {r['messages']:,} | {name} | {row['answer']} "
                f"| {row['p50']:.2f} / {row['p99']:.2f} / {row['max']:.2f} ms | {row['p50'] / yardstick:.2f} |")
    return "\n".join(lines)


def row_counted_pages(database, app, base, low, high):
    """Pages whose filters the counted trees do not answer (docs/exact-counts.md): their count is a
    COUNT(*) over the rows the conditions look at, and their page walks the sort's index."""
    sender = database.query(
        "SELECT sender_id, COUNT(*) FROM messages WHERE application_id = :app "
        "GROUP BY sender_id ORDER BY COUNT(*) DESC, sender_id LIMIT 1", app)[0]
    dialog, dialog_sender = database.query(
        f"SELECT {database.hex('chat_dialog_id')}, sender_id, COUNT(*) FROM messages WHERE application_id = :app "
        f"GROUP BY chat_dialog_id, sender_id ORDER BY COUNT(*) DESC, chat_dialog_id, sender_id LIMIT 1", app)[:2]
    first, last = (int(v) for v in database.query(
        "SELECT MIN(created_at), MAX(created_at) FROM dialogs WHERE application_id = :app", app))
    messages, dialogs = f"{base}/admin/chat/messages/list?limit=100", f"{base}/admin/chat/list?limit=100"
    return {
        "messages, sender_id (whole application)": f"{messages}&sender_id={sender}",
        "messages, chat_dialog_id + sender_id": f"{messages}&chat_dialog_id={dialog}&sender_id={dialog_sender}",
        "messages, updated_at[gt] + date_sent[lt] (two fields)":
            f"{messages}&updated_at[gt]={(low + high) // 2}&date_sent[lt]={high}",
        "dialogs, type[in]=2,3": f"{dialogs}&type[in]=2,3",
        "dialogs, type=3 + created_at[gt]": f"{dialogs}&type=3&created_at[gt]={(first + last) // 2}",
    }


def total_entries(url, key):
    request = urllib.request.Request(url, headers={"CB-Administration-API-Key": key})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)["total_entries"]


def cli_export(confab, base, key, workdir, expected):
    """`confab export messages` (the SDK's stream where the server has one) to an NDJSON file: its time and its peak RSS, and
    the file checked to hold every row once.

    The RSS comes from GNU time, which forks the export from its own small image: a child forked
    from this script counts the script's memory (by then holding a million ids) as its own."""
    path = os.path.join(workdir, "messages.ndjson")
    rss_file = os.path.join(workdir, "export-rss")
    start = time.monotonic()
    child = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_file, confab, "export", "messages",
                            "--url", base, f"--key={key}", "--output", path],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seconds = time.monotonic() - start
    if child.returncode != 0:
        fail(f"confab export exited {child.returncode}: {child.stderr.decode()}")
    rss_kib = int(open(rss_file).read().split()[-1])
    ids = set()
    rows = 0
    with open(path, "rb") as lines:
        for line in lines:
            rows += 1
            ids.add(line[8:32])
    if not (rows == len(ids) == expected):
        fail(f"confab export wrote {rows} rows, {len(ids)} distinct, expected {expected}")
    size = os.path.getsize(path)
    os.remove(path)
    return {"seconds": seconds, "rows": rows, "rss_mib": rss_kib / 1024, "file_mib": size / 2**20}


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        return int(re.search(r"VmHWM:\s+(\d+) kB", status.read()).group(1)) / 1024


def stream_export(base, key, collection, expected, direct):
    """The streaming export (`GET /admin/chat/export`, `…/messages/export`) read to its end in
    1 MiB chunks: its time, and its lines checked (every item, then the last line's count)."""
    path = "/admin/chat/export" if collection == "dialogs" else "/admin/chat/messages/export"
    request = urllib.request.Request(base + path, headers={"CB-Administration-API-Key": key})
    start = time.monotonic()
    lines, tail = 0, b""
    with urllib.request.urlopen(request, timeout=600) as response:
        while chunk := response.read(1 << 20):
            lines += chunk.count(b"\n")
            tail = (tail + chunk)[-200:]
    seconds = time.monotonic() - start
    trailer = json.loads(tail.rstrip(b"\n").split(b"\n")[-1])
    if not (lines == expected + 1 and trailer.get("export_complete") and trailer.get("items") == expected):
        fail(f"the stream of {collection} held {lines} lines ending {trailer}, expected {expected} items")
    return {"seconds": seconds, "rows": expected, "direct": direct}


def table(results):
    lines = [
        "| store | messages | seed | NodeJS page loop, messages | messages/s | direct read | × direct | NodeJS page loop, dialogs | dialogs/s | direct read | × direct |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        m, d = r["exports"]["messages"], r["exports"]["dialogs"]
        lines.append(
            f"| {r['store']} | {r['messages']:,} | {r['seed']:.1f} s | {m['seconds']:.2f} s | {m['rows'] / m['seconds']:,.0f} "
            f"| {m['direct']:.2f} s | {m['seconds'] / m['direct']:.2f} | {d['seconds']:.2f} s | {d['rows'] / d['seconds']:,.0f} "
            f"| {d['direct']:.2f} s | {d['seconds'] / d['direct']:.2f} |")
    lines += [
        "",
        "| store | messages | first page p50 / p99 / max | deep page p50 / p99 / max | filtered page p50 / p99 / max "
        "| first page req/s at 1 / 4 / 16 connections | store read + encode, first / deep page | server peak RSS |",
        "|---|---:|---|---|---|---|---|---:|",
    ]
    for r in results:
        lat = r["latency"]

        def trio(name):
            return f"{lat[name]['p50']:.2f} / {lat[name]['p99']:.2f} / {lat[name]['max']:.2f} ms"
        t = r["throughput"]
        c = r["cost"]
        lines.append(
            f"| {r['store']} | {r['messages']:,} | {trio('first')} | {trio('deep')} (depth {r['depth']:,}) "
            f"| {trio('filtered')} | {t[1]:,.0f} / {t[4]:,.0f} / {t[16]:,.0f} "
            f"| {c['first']['read_us']:.0f} + {c['first']['encode_us']:.0f} µs / {c['deep']['read_us']:.0f} + {c['deep']['encode_us']:.0f} µs "
            f"| {r['rss_mib']:.0f} MiB |")
    lines += [
        "",
        "| store | messages | stream messages | messages/s | × direct | stream dialogs | × direct | server peak RSS after both |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        m, d = r["streams"]["messages"], r["streams"]["dialogs"]
        lines.append(
            f"| {r['store']} | {r['messages']:,} | {m['seconds']:.2f} s | {m['rows'] / m['seconds']:,.0f} "
            f"| {m['seconds'] / m['direct']:.2f} | {d['seconds']:.2f} s | {d['seconds'] / d['direct']:.2f} "
            f"| {r['streams']['rss_mib']:.0f} MiB |")
    lines += [
        "",
        "| store | messages | `confab export messages` (the stream, NDJSON file) | messages/s | file | CLI peak RSS |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        c = r["exports"]["cli"]
        lines.append(
            f"| {r['store']} | {r['messages']:,} | {c['seconds']:.2f} s | {c['rows'] / c['seconds']:,.0f} "
            f"| {c['file_mib']:.0f} MiB | {c['rss_mib']:.0f} MiB |")
    lines += [
        "",
        "Row-counted filters (issue 14; docs/exact-counts.md): one connection, p50 / p99 / max.",
        "",
        "| store | messages | page | total_entries | p50 / p99 / max |",
        "|---|---:|---|---:|---|",
    ]
    for r in results:
        for name, lat in r["row_counted"].items():
            lines.append(
                f"| {r['store']} | {r['messages']:,} | {name} | {lat['total_entries']:,} "
                f"| {lat['p50']:.2f} / {lat['p99']:.2f} / {lat['max']:.2f} ms |")
    return "\n".join(lines)


def scale_table(results):
    """Issue 16's scale targets: each case's pages, export and seed, and the larger case over the smaller."""
    def row(r):
        m = r["exports"]["messages"]
        return {
            "seed": r["seed"],
            **{f"{name} p50": r["latency"][name]["p50"] for name in ("first", "deep", "filtered")},
            **{f"{name} read": r["cost"][name]["read_us"] / 1000 for name in ("first", "deep", "filtered")},
            "stream": r["streams"]["messages"]["seconds"], "direct": m["direct"], "confab export": r["exports"]["cli"]["seconds"],
        }
    rows = [row(r) for r in results]
    keys = list(rows[0])
    units = {"seed": "s", "stream": "s", "direct": "s", "confab export": "s"}
    lines = [
        "| SQLite messages (dialogs) | " + " | ".join(keys) + " | server RSS |",
        "|---|" + "---:|" * (len(keys) + 1),
    ]
    for r, values in zip(results, rows):
        cells = [f"{values[k]:.1f} s" if units.get(k) else f"{values[k]:.3f} ms" for k in keys]
        lines.append(f"| {r['messages']:,} ({r['dialogs']:,}) | " + " | ".join(cells) + f" | {r['rss_mib']:.0f} MiB |")
    if len(rows) == 2:
        ratio = [f"{rows[1][k] / rows[0][k]:.2f}×" if rows[0][k] else "–" for k in keys]
        lines.append(f"| ratio | " + " | ".join(ratio) + " | |")
    return "\n".join(lines)


def write_section(marker, command, output, heading):
    """Puts `output` between BENCHMARKS.md's `marker` comments, with the command, machine and commit."""
    commit = run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"]).strip()
    dirty = " (with uncommitted changes)" if run(["git", "-C", ROOT, "status", "--porcelain", "--", "Sources"]).strip() else ""
    cpu = re.search(r"model name\s+:\s+(.*)", open("/proc/cpuinfo").read())
    machine = f"{os.cpu_count()} cores ({cpu.group(1) if cpu else platform.processor()}), " \
              f"{round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB, {platform.system()}"
    section = (
        f"<!-- {marker}: start -->\n"
        f"Command: `{command}`. Machine: {machine}. Commit: {commit}{dirty}. "
        f"Date: {datetime.date.today().isoformat()}.\n\n{output}\n"
        f"<!-- {marker}: end -->")
    path = os.path.join(ROOT, "BENCHMARKS.md")
    text = open(path).read()
    start, end = f"<!-- {marker}: start -->", f"<!-- {marker}: end -->"
    if start in text:
        text = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _: section, text, flags=re.S)
    else:
        text = text.rstrip("\n") + f"\n\n## {heading}\n\n" + section + "\n"
    open(path, "w").write(text)
    print(f"bench: wrote the table into {path}", file=sys.stderr)


def main():
    smoke = "--smoke" in sys.argv
    scale = "--scale" in sys.argv
    bin_dir = sys.argv[sys.argv.index("--bin") + 1]
    # confab-bench is built by the Benchmarks package, into its own build directory.
    bench_bin_dir = sys.argv[sys.argv.index("--bench-bin") + 1]
    if scale:
        cases = [("sqlite", 1_000_000, 100_000), ("sqlite", 10_000_000, 1_000_000)]
    elif smoke:
        cases = [("sqlite", 2_000, 200), ("postgres", 2_000, 200)]
    else:
        cases = [("sqlite", 100_000, 10_000), ("sqlite", 1_000_000, 100_000), ("postgres", 1_000_000, 100_000)]
    # The modes of their own; the smoke run runs each on its tiny cases too.
    for flag, label, mode_cases, measure, tabulate, heading in (
        ("--mirror", "confab mirror, {} messages and as many again",
         [("sqlite", 200_000, 20_000), ("postgres", 200_000, 20_000)], mirror_case, mirror_table,
         "The change feed applied by `confab mirror` (`scripts/bench.sh --mirror`)"),
        ("--stats", "statistics, {} messages over a year",
         [("sqlite", 1_000_000, 100_000), ("postgres", 1_000_000, 100_000)], stats_case, stats_table,
         "Statistics (`scripts/bench.sh --stats`)"),
    ):
        if flag not in sys.argv and not smoke:
            continue
        mode_results = []
        for kind, messages, dialogs in (cases if smoke else mode_cases):
            print(f"bench: {kind}, {label.format(f'{messages:,}')} …", file=sys.stderr, flush=True)
            mode_results.append(measure(kind, messages, dialogs, bin_dir, smoke))
        output = tabulate(mode_results)
        print(output)
        if flag in sys.argv:
            write_section(f"bench.sh {flag}", f"scripts/bench.sh {flag}", output, heading)
            return
    results = []
    for kind, messages, dialogs in cases:
        print(f"bench: {kind}, {messages:,} messages in {dialogs:,} dialogs …", file=sys.stderr, flush=True)
        results.append(bench_case(kind, messages, dialogs, bin_dir, bench_bin_dir, smoke, scale=scale))
    output = scale_table(results) if scale else table(results)
    print(output)
    if smoke:
        return
    if scale:
        write_section("bench.sh --scale", "CONFAB_BENCH_KEEP=dir scripts/bench.sh --scale", output,
                      "Ten million messages (`scripts/bench.sh --scale`)")
    else:
        write_section("bench.sh", "scripts/bench.sh", output, "Export and pages (`scripts/bench.sh`)")


if __name__ == "__main__":
    main()
