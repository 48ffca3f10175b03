"""A `confab serve --demo` server for scripts, and the requests they need (stdlib only).

    with DemoServer("/path/to/confab") as server:          # temp working directory, free port
        client = Client(server.url)
        token = client.user_session(server, "alice_1", "alice-secret-1", sign_up=True)

As a command, prints shell assignments for a server that is already running, from its output:

    python3 scripts/confab_demo.py credentials SERVER_OUTPUT_FILE
    # CONFAB_URL=… CONFAB_APP_ID=… CONFAB_AUTH_KEY=… CONFAB_AUTH_SECRET=… CONFAB_ADMIN_KEY=…
    # CONFAB_USER_TOKEN=… CONFAB_USER_ID=… (a user signed up for the purpose), and ids of dialogs
    # and messages made for it: CONFAB_DIALOG_IDS=a,b,… CONFAB_MESSAGE_IDS=… CONFAB_OTHER_USER_IDS=…
"""

import hashlib
import hmac
import http.client
import json
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse


class Banner:
    """What `confab serve --demo` prints: the URL and the demo application's credentials."""

    def __init__(self, text):
        def find(pattern):
            match = re.search(pattern, text)
            if not match:
                raise ValueError(f"server output has no {pattern!r}:\n{text}")
            return match.group(1)

        self.url = find(r"Listening on (http://\S+)")
        self.admin_key = find(r"admin API key: (\S+)")
        self.application_id = int(find(r"application_id: (\d+)"))
        self.auth_key = find(r"auth_key: (\S+)")
        self.auth_secret = find(r"auth_secret: (\S+)")


class DemoServer:
    """`confab serve --port 0 --demo` in a temporary working directory (it writes
    confab-demo.sqlite there), stopped and removed on exit."""

    def __init__(self, binary, timeout=120):
        self.binary = os.path.abspath(binary)
        self.timeout = timeout
        self.process = None
        self.directory = None
        self.output = []

    def __enter__(self):
        self.directory = tempfile.mkdtemp(prefix="confab-demo-")
        self.process = subprocess.Popen(
            [self.binary, "serve", "--host", "127.0.0.1", "--port", "0", "--demo"],
            cwd=self.directory, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            text=True, errors="replace")
        ready = threading.Event()

        def drain():  # keeps reading so that the server never blocks on a full pipe
            for line in self.process.stdout:
                self.output.append(line)
                if line.startswith("Listening on"):
                    ready.set()
            ready.set()

        threading.Thread(target=drain, daemon=True).start()
        if not ready.wait(self.timeout) or self.process.poll() is not None:
            text = "".join(self.output)
            self.__exit__(None, None, None)
            raise RuntimeError(f"confab serve did not start:\n{text}")
        banner = Banner("".join(self.output))
        self.url, self.admin_key = banner.url, banner.admin_key
        self.application_id, self.auth_key, self.auth_secret = (
            banner.application_id, banner.auth_key, banner.auth_secret)
        return self

    def __exit__(self, *exception):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.directory:
            shutil.rmtree(self.directory, ignore_errors=True)
        return False


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # lower-cased names
        self.body = body

    @property
    def content_type(self):
        return self.headers.get("content-type", "")

    def json(self):
        return json.loads(self.body)


def signed_message(parameters):
    """The text `POST /session` signs: every parameter but `signature`, nested ones as
    `user[login]`, sorted by name, as `name=value` joined with `&`."""
    pairs = []
    for key, value in parameters.items():
        if key == "signature":
            continue
        if isinstance(value, dict):
            pairs += [(f"{key}[{inner}]", str(text)) for inner, text in value.items()]
        else:
            pairs.append((key, str(value)))
    pairs.sort(key=lambda pair: pair[0].encode())
    return "&".join(f"{name}={value}" for name, value in pairs)


def sign(parameters, secret):
    return hmac.new(secret.encode(), signed_message(parameters).encode(), hashlib.sha1).hexdigest()


def session_parameters(application_id, auth_key, secret, user=None, nonce=None, timestamp=None):
    parameters = {
        "application_id": application_id,
        "auth_key": auth_key,
        "nonce": nonce if nonce is not None else random.randint(1, 2**31 - 1),
        "timestamp": timestamp if timestamp is not None else int(time.time()),
    }
    if user:
        parameters["user"] = dict(user)
    parameters["signature"] = sign(parameters, secret)
    return parameters


def form_pairs(parameters):
    """A nested dict as form pairs: {"user": {"login": "a"}} is user[login]=a."""
    pairs = []
    for key, value in parameters.items():
        if isinstance(value, dict):
            pairs += [(f"{key}[{inner}]", str(text)) for inner, text in value.items()]
        elif isinstance(value, list):
            pairs += [(f"{key}[]", str(text)) for text in value]
        else:
            pairs.append((key, str(value)))
    return pairs


class Client:
    """HTTP/1.1 requests with full control of method, body and headers (a body on a GET too).
    A 429 is handed to `on_response` like any answer, then the request is tried again after
    its Retry-After (at most `retries` times)."""

    def __init__(self, url, on_response=None, retries=5):
        parsed = urllib.parse.urlsplit(url)
        self.host, self.port = parsed.hostname, parsed.port
        self.on_response = on_response
        self.retries = retries

    def request(self, method, path, query=None, json_body=None, form=None, body=None, content_type=None,
                headers=None, token=None, admin_key=None):
        if query:
            path += "?" + urllib.parse.urlencode(query if isinstance(query, list) else list(query.items()))
        all_headers = dict(headers or {})
        if token is not None:
            all_headers["CB-Token"] = token
        if admin_key is not None:
            all_headers["CB-Administration-API-Key"] = admin_key
        if json_body is not None:
            body = json.dumps(json_body).encode()
            content_type = "application/json"
        elif form is not None:
            body = urllib.parse.urlencode(form_pairs(form) if isinstance(form, dict) else form).encode()
            content_type = "application/x-www-form-urlencoded"
        if content_type:
            all_headers["Content-Type"] = content_type
        for attempt in range(self.retries + 1):
            connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
            try:
                try:
                    connection.request(method, path, body=body, headers=all_headers)
                except (BrokenPipeError, ConnectionResetError):
                    # The server answered from the head (a body over the limit) and stopped
                    # reading: its answer is there to read.
                    pass
                answer = connection.getresponse()
                response = Response(
                    answer.status, {name.lower(): value for name, value in answer.getheaders()}, answer.read())
            finally:
                connection.close()
            if self.on_response:
                self.on_response(method, path, response)
            if response.status != 429 or attempt == self.retries:
                return response
            try:
                wait = float(response.headers.get("retry-after", "1"))
            except ValueError:
                wait = 1.0
            time.sleep(min(max(wait, 0.1), 10))
        return response

    def session(self, credentials, user=None):
        """A new session's token (an application's, or with user={login,password} a user's)."""
        parameters = session_parameters(
            credentials.application_id, credentials.auth_key, credentials.auth_secret, user=user)
        response = self.request("POST", "/session", json_body=parameters)
        if response.status != 201:
            raise RuntimeError(f"POST /session answered {response.status}: {response.body[:500]!r}")
        return response.json()["session"]["token"]

    def sign_up(self, app_token, login, password):
        response = self.request(
            "POST", "/users", token=app_token, json_body={"user": {"login": login, "password": password}})
        if response.status != 201:
            raise RuntimeError(f"POST /users answered {response.status}: {response.body[:500]!r}")
        return response.json()["user"]["id"]


def credentials_command(output_file):
    banner = Banner(open(output_file, errors="replace").read())
    client = Client(banner.url)
    app_token = client.session(banner)
    login, password = f"fuzz_{int(time.time())}_{random.randint(0, 99999)}", "fuzz-secret-1"
    user_id = client.sign_up(app_token, login, password)
    token = client.session(banner, user={"login": login, "password": password})
    values = {
        "CONFAB_URL": banner.url, "CONFAB_APP_ID": banner.application_id, "CONFAB_AUTH_KEY": banner.auth_key,
        "CONFAB_AUTH_SECRET": banner.auth_secret, "CONFAB_ADMIN_KEY": banner.admin_key,
        "CONFAB_USER_TOKEN": token, "CONFAB_USER_ID": user_id,
    }
    values.update(sample_data(client, banner, app_token, token, user_id))
    for name, value in values.items():
        print(f"{name}={shlex.quote(str(value))}")


def sample_data(client, banner, app_token, token, user_id):
    """Dialogs and messages of the user (and another user) for a fuzzer to aim at, as comma-
    separated ids: CONFAB_DIALOG_IDS, CONFAB_MESSAGE_IDS, CONFAB_OTHER_USER_IDS."""
    other_login, other_password = f"buddy_{int(time.time())}_{random.randint(0, 99999)}", "buddy-secret-1"
    other_id = client.sign_up(app_token, other_login, other_password)
    other_token = client.session(banner,
                                 user={"login": other_login, "password": other_password})
    dialogs, messages = [], []

    def made(response, what):
        if response.status not in (200, 201):
            raise RuntimeError(f"{what} answered {response.status}: {response.body[:500]!r}")
        return response.json()["_id"]

    for body in ({"type": 2, "name": "Fuzz group", "occupants_ids": [other_id]},
                 {"type": 3, "occupants_ids": [other_id]},
                 {"type": 4, "name": "Fuzz square"}):
        dialogs.append(made(client.request("POST", "/chat/Dialog", token=token, json_body=body), "POST /chat/Dialog"))
    dialogs.append(made(client.request(
        "POST", "/admin/chat", admin_key=banner.admin_key,
        json_body={"user_id": user_id, "type": 1, "name": "Fuzz news", "admins_ids": [other_id]}),
        "POST /admin/chat"))
    for dialog in dialogs:
        for sender in (token, other_token):
            messages.append(made(client.request(
                "POST", "/chat/Message", token=sender,
                json_body={"chat_dialog_id": dialog, "message": "fuzz", "topic": "sample"}), "POST /chat/Message"))
    return {"CONFAB_DIALOG_IDS": ",".join(dialogs), "CONFAB_MESSAGE_IDS": ",".join(messages),
            "CONFAB_OTHER_USER_IDS": str(other_id)}


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "credentials":
        sys.exit("usage: confab_demo.py credentials SERVER_OUTPUT_FILE")
    credentials_command(sys.argv[2])
