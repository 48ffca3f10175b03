#!/usr/bin/env python3
"""Checks that what a real Confab server answers is what docs/openapi.yaml describes.

    python3 scripts/openapi-check.py .build/debug/confab [--spec docs/openapi.yaml] [--verbose]

Starts `confab serve --port 0 --demo` in a temporary directory, walks the whole API as a client
would (a signed session, two users signing up, their sessions, dialogs, messages, receipts,
reactions, unread counts, deletes, the admin lists, and the error cases 401/403/404/413/415/422),
and for every response checks that its status is documented for the operation, that its content
type is the documented one, and that its JSON body validates against the documented schema
(JSON Schema draft 2020-12, $refs resolved in the description). A status other than the one the
walk expects is a failure too. Each mismatch is printed; the last line is
`openapi-check: N passed, M failed`, and the exit status is 1 if anything failed.

Needs Python 3.11 with PyYAML and jsonschema (pip install pyyaml jsonschema).
"""

import argparse
import json
import os
import re
import socket
import sys
import time

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from confab_demo import Client, DemoServer, session_parameters  # noqa: E402

SPEC_URI = "urn:confab:openapi"
DEFAULT_SPEC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "openapi.yaml")


def escape(token):
    return token.replace("~", "~0").replace("/", "~1")


class Spec:
    """The description, with the operations and response schemas looked up by JSON pointer."""

    def __init__(self, path):
        with open(path, "rb") as file:
            self.bytes = file.read()
        self.document = yaml.safe_load(self.bytes)
        resource = Resource.from_contents(self.document, default_specification=DRAFT202012)
        self.registry = Registry().with_resource(SPEC_URI, resource)
        self.validators = {}

    def resolve(self, node, pointer):
        """Follows an OpenAPI $ref (local only): the node and its pointer."""
        while isinstance(node, dict) and "$ref" in node:
            reference = node["$ref"]
            if not reference.startswith("#/"):
                raise ValueError(f"only local references are supported: {reference}")
            pointer = reference[1:]
            node = self.document
            for token in pointer[1:].split("/"):
                node = node[token.replace("~1", "/").replace("~0", "~")]
        return node, pointer

    def operation(self, method, template):
        item = self.document["paths"].get(template)
        if item is None:
            return None, None
        item, pointer = self.resolve(item, f"/paths/{escape(template)}")
        operation = item.get(method.lower())
        return operation, (f"{pointer}/{method.lower()}" if operation else None)

    def validator(self, pointer):
        if pointer not in self.validators:
            self.validators[pointer] = Draft202012Validator(
                {"$ref": f"{SPEC_URI}#{pointer}"}, registry=self.registry)
        return self.validators[pointer]

    def check(self, method, template, response):
        """The problems with `response` as an answer of the operation, if any."""
        if template is None:  # not an operation: an unknown path, answered as the 404 response
            documented, pointer = self.resolve({"$ref": "#/components/responses/NotFound"}, None)
        else:
            operation, pointer = self.operation(method, template)
            if operation is None:
                return [f"{method} {template} is not an operation of the description"]
            responses = operation.get("responses", {})
            status = str(response.status)
            if status not in responses:
                return [f"status {status} is not documented (documented: {', '.join(sorted(responses))})"]
            documented, pointer = self.resolve(responses[status], f"{pointer}/responses/{status}")
        problems = []
        if response.status == 429 and "retry-after" not in response.headers:
            problems.append("429 without a Retry-After header")
        content = documented.get("content")
        if not content:
            if response.body:
                problems.append(f"no body is documented, but one came: {response.body[:200]!r}")
            return problems
        media_type = response.content_type.split(";")[0].strip().lower()
        if media_type not in content:
            return problems + [f"content type {response.content_type!r} is not documented ({', '.join(content)})"]
        if media_type == "application/json":
            try:
                instance = response.json()
            except ValueError as error:
                return problems + [f"body is not JSON ({error}): {response.body[:200]!r}"]
            schema_pointer = f"{pointer}/content/{escape(media_type)}/schema"
            for error in sorted(self.validator(schema_pointer).iter_errors(instance), key=lambda e: list(e.path)):
                location = "/".join(str(part) for part in error.absolute_path) or "(root)"
                problems.append(f"body at {location}: {error.message[:300]}")
        return problems


class Walk:
    def __init__(self, spec, server, verbose):
        self.spec = spec
        self.server = server
        self.verbose = verbose
        self.client = Client(server.url)
        self.passed = 0
        self.failures = []
        self.covered = set()

    def call(self, expected, method, template, values=None, **request):
        """Sends the request to `template` filled with `values`, checks the answer; returns it."""
        path = template if template else request.pop("path")
        for value in (values or {}).values():  # fills the template's one path parameter
            path = re.sub(r"\{[a-z_]+\}", str(value), path, count=1)
        label = f"{method} {path}"

        def on_response(_method, _path, response):
            problems = self.spec.check(method, template, response)
            if template:
                self.covered.add((method, template))
            if response.status != 429:
                wanted = expected if isinstance(expected, (set, tuple, list)) else {expected}
                if response.status not in wanted:
                    problems.append(f"expected status {' or '.join(map(str, sorted(wanted)))}, got "
                                    f"{response.status}: {response.body[:300]!r}")
            if problems:
                for problem in problems:
                    self.failures.append(f"{label} -> {response.status}: {problem}")
                    print(f"FAIL {label} -> {response.status}: {problem}")
            else:
                self.passed += 1
                if self.verbose:
                    print(f"ok   {label} -> {response.status}")

        self.client.on_response = on_response
        return self.client.request(method, path, **request)

    def fail(self, message):
        self.failures.append(message)
        print(f"FAIL {message}")

    def run(self):
        server, call = self.server, self.call
        suffix = f"{int(time.time())}_{os.getpid()}"

        # ---- service
        call(200, "GET", "/health")
        call(200, "GET", "/account_settings")
        response = call(200, "GET", "/openapi.yaml")
        if response.body != self.spec.bytes:
            self.fail("GET /openapi.yaml: the body is not the file docs/openapi.yaml")
        call(404, "GET", None, path="/no/such/path")

        # ---- sessions
        def session_body(user=None, **overrides):
            return session_parameters(server.application_id, server.auth_key, server.auth_secret, user=user,
                                      **overrides)

        response = call(201, "POST", "/session", json_body=session_body())
        app_token = response.json()["session"]["token"] if response.status == 201 else ""
        response = call(201, "POST", "/session", form=session_body())
        app_token_2 = response.json()["session"]["token"] if response.status == 201 else ""
        bad = session_body()
        bad["signature"] = "0" * 40
        call(401, "POST", "/session", json_body=bad)
        call(401, "POST", "/session", json_body=dict(session_body(), auth_key="wrong"))
        call(422, "POST", "/session", json_body={"application_id": server.application_id})
        used = session_body(nonce=12345, timestamp=int(time.time()))
        call(201, "POST", "/session", json_body=used)
        call(422, "POST", "/session", json_body=used)
        call(422, "POST", "/session", json_body=session_body(timestamp=int(time.time()) - 10_000))
        call(415, "POST", "/session", body=b"hello", content_type="text/plain")
        call(413, "POST", "/session", body=b"a=" + b"x" * (1024 * 1024 + 10),
             content_type="application/x-www-form-urlencoded")
        call(422, "POST", "/session", body=b"[1,2]", content_type="application/json")
        call(200, "GET", "/session", token=app_token)
        call(401, "GET", "/session")
        call(401, "GET", "/session", token="f" * 40)

        # ---- users
        alice, bob, carol = f"alice_{suffix}", f"bob_{suffix}", f"carol_{suffix}"
        response = call(201, "POST", "/users", token=app_token,
                        json_body={"user": {"login": alice, "password": "alice-secret-1", "full_name": "Alice"}})
        alice_id = response.json()["user"]["id"] if response.status == 201 else 0
        response = call(201, "POST", "/users", token=app_token,
                        form={"user": {"login": bob, "password": "bob-secret-1", "email": f"{bob}@example.com"}})
        bob_id = response.json()["user"]["id"] if response.status == 201 else 0
        response = call(201, "POST", "/users", token=app_token,
                        json_body={"user": {"login": carol, "password": "carol-secret-1"}})
        carol_id = response.json()["user"]["id"] if response.status == 201 else 0
        call(422, "POST", "/users", token=app_token, json_body={"user": {"login": alice, "password": "another-1"}})
        call(422, "POST", "/users", token=app_token, json_body={"user": {"login": "ab", "password": "short"}})
        call(422, "POST", "/users", token=app_token, json_body={"login": "x"})
        call(401, "POST", "/users", json_body={"user": {"login": "nobody", "password": "nobody-secret"}})
        call(415, "POST", "/users", token=app_token, body=b"<user/>", content_type="application/xml")
        call(200, "GET", "/users/{user_id}", {"id": bob_id}, token=app_token)
        call(404, "GET", "/users/{user_id}", {"id": 999_999_999}, token=app_token)
        call(422, "GET", "/users/{user_id}", {"id": "abc"}, token=app_token)

        # ---- user sessions: one signed with the user's fields, one by POST /login
        response = call(201, "POST", "/session",
                        json_body=session_body(user={"login": alice, "password": "alice-secret-1"}))
        alice_token = response.json()["session"]["token"] if response.status == 201 else ""
        call(401, "POST", "/session", json_body=session_body(user={"login": alice, "password": "wrong-password"}))
        call(401, "POST", "/login", token=app_token_2, json_body={"login": bob, "password": "wrong-password"})
        call(422, "POST", "/login", token=app_token_2, json_body={"password": "x"})
        call(202, "POST", "/login", token=app_token_2, form={"login": bob, "password": "bob-secret-1"})
        bob_token = app_token_2
        response = call(201, "POST", "/session",
                        form=session_body(user={"login": carol, "password": "carol-secret-1"}))
        carol_token = response.json()["session"]["token"] if response.status == 201 else ""
        call(200, "GET", "/session", token=bob_token)
        call(403, "GET", "/chat/Dialog", token=app_token)

        # ---- users, as the SDK changes, finds and deletes them
        external = int(time.time() * 1000) % 10**12 + os.getpid()
        call(200, "PUT", "/users/{user_id}", {"id": alice_id}, token=alice_token,
             json_body={"user": {"website": "https://example.com", "tag_list": ["vip", "beta"],
                                 "external_user_id": external, "timezone": 120}})
        call(403, "PUT", "/users/{user_id}", {"id": bob_id}, token=alice_token, json_body={"user": {"full_name": "B"}})
        call(422, "PUT", "/users/{user_id}", {"id": alice_id}, token=alice_token,
             json_body={"user": {"password": "a-new-secret"}})
        call(422, "PUT", "/users/{user_id}", {"id": alice_id}, token=alice_token,
             json_body={"user": {"password": "a-new-secret", "old_password": "wrong-password"}})
        call(422, "PUT", "/users/{user_id}", {"id": bob_id}, token=bob_token, json_body={"user": {"login": alice}})
        call(200, "GET", "/users/by_login", token=app_token, query={"login": alice})
        call(404, "GET", "/users/by_login", token=app_token, query={"login": f"nobody_{suffix}"})
        call(422, "GET", "/users/by_login", token=app_token)
        call(200, "GET", "/users/by_email", token=app_token, query={"email": f"{bob}@example.com"})
        call(200, "GET", "/users/external/{external_id}", {"id": external}, token=app_token)
        call(404, "GET", "/users/external/{external_id}", {"id": external + 1}, token=app_token)
        call(422, "GET", "/users/external/{external_id}", {"id": "x"}, token=app_token)
        call(200, "GET", "/users/v2", token=app_token, query=[("id[in][]", alice_id), ("id[in][]", bob_id)])
        call(200, "GET", "/users/v2", token=app_token, query={"login": alice, "limit": "1"})
        call(422, "GET", "/users/v2", token=app_token, query={"limit": "1"})
        call(200, "GET", "/users", token=app_token, query={"filter[]": f"number id in {alice_id},{bob_id}", "per_page": "1"})
        call(422, "GET", "/users", token=app_token, query={"filter[]": "number id near 1"})
        dave = f"dave_{suffix}"
        response = call(201, "POST", "/users", token=app_token, json_body={"user": {"login": dave, "password": "dave-secret-1"}})
        dave_id = response.json()["user"]["id"] if response.status == 201 else 0
        response = call(201, "POST", "/session", json_body=session_body(user={"login": dave, "password": "dave-secret-1"}))
        dave_token = response.json()["session"]["token"] if response.status == 201 else ""
        call(403, "DELETE", "/users/{user_id}", {"id": alice_id}, token=dave_token)
        call(422, "DELETE", "/users/{user_id}", {"id": "x"}, token=dave_token)
        call(200, "DELETE", "/users/{user_id}", {"id": dave_id}, token=dave_token)
        call(401, "GET", "/session", token=dave_token)
        response = call(201, "POST", "/session", json_body=session_body(user={"login": bob, "password": "bob-secret-1"}))
        leaving = response.json()["session"]["token"] if response.status == 201 else ""
        call(200, "DELETE", "/login", token=leaving)
        call(403, "GET", "/chat/Dialog", token=leaving)
        call(401, "DELETE", "/login", token="f" * 40)

        # ---- dialogs
        response = call(201, "POST", "/chat/Dialog", token=alice_token,
                        json_body={"type": 2, "name": "Team", "occupants_ids": [bob_id]})
        group_id = response.json()["_id"] if response.status == 201 else "0" * 24
        response = call(201, "POST", "/chat/Dialog", token=alice_token,
                        form={"type": "3", "occupants_ids": str(carol_id)})
        private_id = response.json()["_id"] if response.status == 201 else "0" * 24
        call(200, "POST", "/chat/Dialog", token=alice_token, json_body={"type": 3, "occupants_ids": [carol_id]})
        response = call(201, "POST", "/chat/Dialog", token=alice_token,
                        json_body={"type": 4, "name": "Town square", "description": "Everyone", "photo": "p.png"})
        public_id = response.json()["_id"] if response.status == 201 else "0" * 24
        # Extensions (cast to text, filtered by) and a preview for non-members.
        response = call(201, "POST", "/chat/Dialog", token=alice_token, json_body={
            "type": 2, "name": "Channel", "occupants_ids": [bob_id], "extensions": {"location": "Sun bar", "floor": 2},
            "permissions": {"allow_preview": True}})
        channel_id = response.json()["_id"] if response.status == 201 else "0" * 24
        call(201, "POST", "/chat/Dialog", token=alice_token,
             form={"type": "2", "name": "Club", "occupants_ids": str(bob_id), "extensions[location]": "Moon",
                   "permissions[allow_preview]": "0"})
        call(422, "POST", "/chat/Dialog", token=alice_token, json_body={
            "type": 2, "name": "X", "occupants_ids": [bob_id], "extensions": {"a": "1", "b": "2", "c": "3", "d": "4"}})
        call(200, "PUT", "/chat/Dialog/{dialog_id}", {"id": channel_id}, token=alice_token,
             json_body={"extensions": {"floor": None, "open": True}})
        call(422, "PUT", "/chat/Dialog/{dialog_id}", {"id": channel_id}, token=alice_token,
             form={"extensions[a]": "1", "extensions[b]": "2"})
        call(200, "GET", "/chat/Dialog", token=bob_token, query={"extensions[location]": "Sun bar"})
        call(422, "GET", "/chat/Dialog", token=bob_token, query={"extensions[no-dash]": "x"})
        call(403, "POST", "/chat/Dialog", token=alice_token, json_body={"type": 1, "name": "News"})
        call(422, "POST", "/chat/Dialog", token=alice_token, json_body={"type": 9, "colour": "red"})
        call(422, "POST", "/chat/Dialog", token=alice_token, json_body={"name": "x" * 300, "type": 2})
        call(401, "POST", "/chat/Dialog", json_body={"type": 2})
        call(415, "POST", "/chat/Dialog", token=alice_token, body=b"type=2", content_type="text/csv")
        call(200, "GET", "/chat/Dialog", token=alice_token)
        call(200, "GET", "/chat/Dialog", token=alice_token, query={"count": "1"})
        call(200, "GET", "/chat/Dialog", token=alice_token,
             query={"type[in]": "2,3", "sort_asc": "created_at", "limit": "2", "skip": "0"})
        call(200, "GET", "/chat/Dialog", token=alice_token, query={"_id": group_id})
        call(200, "GET", "/chat/Dialog", token=alice_token, form={"updated_at[gte]": "0"})
        call(422, "GET", "/chat/Dialog", token=alice_token, query={"limit": "zero", "colour": "red"})
        call(422, "GET", "/chat/Dialog", token=alice_token, query={"sort_asc": "name", "type[xx]": "1"})

        call(200, "PUT", "/chat/Dialog/{dialog_id}", {"id": group_id}, token=alice_token,
             json_body={"name": "Team A", "push_all": {"occupants_ids": [carol_id]}})
        call(200, "PUT", "/chat/Dialog/{dialog_id}", {"id": group_id}, token=alice_token,
             form={"pull_all[occupants_ids]": str(carol_id), "description": "the team"})
        call(403, "PUT", "/chat/Dialog/{dialog_id}", {"id": group_id}, token=bob_token, json_body={"name": "Mine"})
        call(404, "PUT", "/chat/Dialog/{dialog_id}", {"id": "a" * 24}, token=alice_token, json_body={"name": "x"})
        call(404, "PUT", "/chat/Dialog/{dialog_id}", {"id": group_id}, token=carol_token, json_body={"name": "x"})
        call(422, "PUT", "/chat/Dialog/{dialog_id}", {"id": "nothex"}, token=alice_token, json_body={"name": "x"})
        call(422, "PUT", "/chat/Dialog/{dialog_id}", {"id": group_id}, token=alice_token, json_body={"name": ""})
        # The chat REST API ignores what it does not know, as ConnectyCube does.
        call(200, "PUT", "/chat/Dialog/{dialog_id}", {"id": group_id}, token=alice_token,
             json_body={"owner": 1, "description": "the team"})
        call(200, "PUT", "/chat/Dialog/{dialog_id}/admins", {"id": group_id}, token=alice_token,
             json_body={"push_all": {"admins_ids": [bob_id]}})
        call(200, "PUT", "/chat/Dialog/{dialog_id}/admins", {"id": group_id}, token=alice_token,
             form={"pull_all[admins_ids]": str(bob_id)})
        call(403, "PUT", "/chat/Dialog/{dialog_id}/admins", {"id": group_id}, token=bob_token,
             json_body={"push_all": {"admins_ids": [bob_id]}})
        call(422, "PUT", "/chat/Dialog/{dialog_id}/admins", {"id": group_id}, token=alice_token, json_body={})
        call(200, "PUT", "/chat/Dialog/{dialog_id}/notifications", {"id": group_id}, token=bob_token,
             json_body={"enabled": 0})
        call(200, "GET", "/chat/Dialog/{dialog_id}/notifications", {"id": group_id}, token=bob_token)
        call(200, "PUT", "/chat/Dialog/{dialog_id}/notifications", {"id": group_id}, token=bob_token,
             form={"enabled": "1"})
        call(422, "PUT", "/chat/Dialog/{dialog_id}/notifications", {"id": group_id}, token=bob_token,
             json_body={"enabled": "maybe"})
        call(404, "GET", "/chat/Dialog/{dialog_id}/notifications", {"id": "b" * 24}, token=bob_token)
        call(200, "POST", "/chat/Dialog/{dialog_id}/subscribe", {"id": public_id}, token=bob_token)
        call(200, "DELETE", "/chat/Dialog/{dialog_id}/subscribe", {"id": public_id}, token=bob_token)
        call(422, "POST", "/chat/Dialog/{dialog_id}/subscribe", {"id": group_id}, token=alice_token)
        call(404, "POST", "/chat/Dialog/{dialog_id}/subscribe", {"id": "c" * 24}, token=bob_token)

        # ---- messages
        response = call(201, "POST", "/chat/Message", token=alice_token, json_body={
            "chat_dialog_id": group_id, "message": "Hello team", "mission": "apollo", "level": {"deep": [1, 2]},
            "attachments": [{"type": "image", "url": "https://example.com/a.png"}]})
        first_id = response.json()["_id"] if response.status == 201 else "0" * 24
        response = call(201, "POST", "/chat/Message", token=bob_token, form={
            "chat_dialog_id": group_id, "message": "Hi Alice", "attachments[0][type]": "file",
            "attachments[0][id]": "42", "send_to_chat": "1", "date_sent": str(int(time.time()))})
        second_id = response.json()["_id"] if response.status == 201 else "0" * 24
        call(201, "POST", "/chat/Message", token=alice_token, json_body={"recipient_id": carol_id, "message": "psst"})
        response = call(201, "POST", "/chat/Message", token=alice_token,
                        json_body={"chat_dialog_id": public_id, "message": "Welcome"})
        public_message_id = response.json()["_id"] if response.status == 201 else "0" * 24
        call(422, "POST", "/chat/Message", token=alice_token, json_body={"chat_dialog_id": group_id})
        call(422, "POST", "/chat/Message", token=alice_token,
             json_body={"chat_dialog_id": group_id, "recipient_id": bob_id, "message": "x", "read_ids": [1]})
        call(404, "POST", "/chat/Message", token=alice_token, json_body={"chat_dialog_id": "d" * 24, "message": "x"})
        call(404, "POST", "/chat/Message", token=carol_token, json_body={"chat_dialog_id": group_id, "message": "x"})
        call(413, "POST", "/chat/Message", token=alice_token,
             json_body={"chat_dialog_id": group_id, "message": "x" * (1024 * 1024 + 1)})
        call(200, "GET", "/chat/Message", token=bob_token, query={"chat_dialog_id": group_id})
        call(200, "GET", "/chat/Message", token=carol_token, query={"chat_dialog_id": channel_id, "preview": "1"})
        call(404, "GET", "/chat/Message", token=carol_token, query={"chat_dialog_id": group_id, "preview": "1"})
        call(422, "GET", "/chat/Message", token=carol_token, query={"chat_dialog_id": channel_id, "preview": "yes"})
        call(200, "GET", "/chat/Message", token=alice_token,
             query={"chat_dialog_id": group_id, "mark_as_read": "0", "sort_desc": "date_sent", "limit": "1"})
        call(200, "GET", "/chat/Message", token=alice_token,
             query={"chat_dialog_id": group_id, "count": "1", "sender_id[ne]": str(alice_id)})
        call(200, "GET", "/chat/Message", token=bob_token, form={"chat_dialog_id": group_id, "_id[in]": first_id})
        call(422, "GET", "/chat/Message", token=bob_token)
        call(422, "GET", "/chat/Message", token=bob_token, query={"chat_dialog_id": group_id, "mark_as_read": "2"})
        call(404, "GET", "/chat/Message", token=carol_token, query={"chat_dialog_id": group_id})
        call(200, "GET", "/chat/Message", token=carol_token, query={"chat_dialog_id": public_id})

        call(200, "PUT", "/chat/Message/{message_id}", {"id": second_id}, token=alice_token, json_body={"read": 1})
        call(200, "PUT", "/chat/Message/{message_id}", {"id": first_id}, token=alice_token,
             json_body={"message": "Hello team!"})
        call(200, "PUT", "/chat/Message/{message_id}", {"id": f"{first_id},{second_id}"}, token=bob_token,
             form={"delivered": "1"})
        call(403, "PUT", "/chat/Message/{message_id}", {"id": first_id}, token=bob_token, json_body={"message": "mine"})
        call(422, "PUT", "/chat/Message/{message_id}", {"id": first_id}, token=bob_token, json_body={"read": 0})
        call(422, "PUT", "/chat/Message/{message_id}", {"id": "x,y"}, token=bob_token, json_body={"read": 1})
        call(404, "PUT", "/chat/Message/{message_id}", {"id": "e" * 24}, token=bob_token, json_body={"read": 1})
        call(200, "PUT", "/chat/Message", token=bob_token, json_body={"chat_dialog_id": group_id, "read": 1})
        call(422, "PUT", "/chat/Message", token=bob_token, json_body={"read": 1})

        call(200, "PUT", "/chat/Message/{message_id}/reactions", {"id": first_id}, token=bob_token,
             json_body={"add": "\N{THUMBS UP SIGN}"})
        call(200, "PUT", "/chat/Message/{message_id}/reactions", {"id": first_id}, token=alice_token,
             form={"add": "\N{PARTY POPPER}"})
        call(200, "GET", "/chat/Message/{message_id}/reactions", {"id": first_id}, token=bob_token)
        call(200, "GET", "/chat/Message", token=bob_token, query={"chat_dialog_id": group_id})
        call(422, "PUT", "/chat/Message/{message_id}/reactions", {"id": first_id}, token=bob_token, json_body={})
        call(404, "GET", "/chat/Message/{message_id}/reactions", {"id": "f" * 24}, token=bob_token)
        call(200, "PUT", "/chat/Message/{message_id}", {"id": public_message_id}, token=carol_token, json_body={"read": 1})

        call(200, "GET", "/chat/Message/unread", token=carol_token)
        call(200, "GET", "/chat/Message/unread", token=bob_token, query={"chat_dialog_ids": f"{group_id},{public_id}"})
        call(422, "GET", "/chat/Message/unread", token=bob_token, query={"chat_dialog_ids": "1"})
        call(200, "GET", "/chat/Message/unread", token=bob_token,
             query={"chat_dialog_ids": f"{group_id}, {public_id}", "dialogs_ids[]": group_id})

        # ---- the admin API
        key = server.admin_key
        call(200, "GET", "/admin/chat/list", admin_key=key, query={"limit": "5"})
        call(200, "GET", "/admin/chat/list.json", admin_key=key, query={"sort_asc": "updated_at", "skip": "3"})
        call(200, "GET", "/admin/chat/list", admin_key=key, form={"updated_at[lt]": str(int(time.time()) + 60),
                                                                  "limit": "1000"})
        call(200, "GET", "/admin/chat/list", admin_key=key, json_body={"limit": 3, "_id": {"lt": "f" * 24}})
        response = call(200, "GET", "/admin/chat/messages/list", admin_key=key, query={"chat_dialog_id": group_id})
        if response.status == 200 and not any(item.get("mission") == "apollo" for item in response.json()["items"]):
            self.fail("GET /admin/chat/messages/list: the custom field mission is not at the top level")
        call(200, "GET", "/admin/chat/messages/list.json", admin_key=key,
             query={"limit": "100", "sort_desc": "created_at", "created_at[gte]": "0"})
        call(200, "GET", "/admin/chat/messages/list", admin_key=key, query={"offset": "10", "limit": "2"})
        # The streaming exports: NDJSON items, then the last line that counts them.
        for template, query in (("/admin/chat/export", {}), ("/admin/chat/export.json", {"sort_asc": "created_at"}),
                                ("/admin/chat/messages/export", {"chat_dialog_id": group_id}),
                                ("/admin/chat/messages/export.json", {"created_at[gte]": "0"})):
            response = call(200, "GET", template, admin_key=key, query=query)
            lines = [json.loads(line) for line in response.body.splitlines()] if response.status == 200 else []
            if not lines or lines[-1].get("export_complete") is not True or lines[-1].get("items") != len(lines) - 1:
                self.fail(f"GET {template}: the last line does not count the items: {response.body[-200:]!r}")
        call(422, "GET", "/admin/chat/messages/export", admin_key=key, query={"limit": "10"})
        # The statistics: totals and days over the demo data, from the query string, a form and JSON.
        now = str(int(time.time()) + 60)
        response = call(200, "GET", "/admin/stats/messages/sent-total", admin_key=key)
        total = response.json().get("total", 0) if response.status == 200 else 0
        call(200, "GET", "/admin/stats/messages/sent-total.json", admin_key=key,
             query={"start_date": "0", "end_date": now})
        response = call(200, "GET", "/admin/stats/messages/sent-per-day", admin_key=key, query={"limit": "100"})
        if response.status == 200 and total and sum(response.json().values()) > total:
            self.fail("GET /admin/stats/messages/sent-per-day: the days hold more messages than the total")
        call(200, "GET", "/admin/stats/messages/sent-per-day.json", admin_key=key, form={"offset": "2", "limit": "3"})
        call(200, "GET", "/admin/stats/dialogs/created-total", admin_key=key,
             query=[("types[]", "2"), ("types[]", "3")])
        call(200, "GET", "/admin/stats/dialogs/created-total.json", admin_key=key, json_body={"types": [1, 4]})
        call(200, "GET", "/admin/stats/dialogs/created-per-day", admin_key=key,
             json_body={"start_date": 0, "types": [2], "limit": 10})
        call(200, "GET", "/admin/stats/dialogs/created-per-day.json", admin_key=key)
        call(422, "GET", "/admin/stats/messages/sent-total", admin_key=key, query={"start_date": "soon"})
        call(422, "GET", "/admin/stats/dialogs/created-per-day", admin_key=key, query={"types[]": "9", "limit": "0"})
        call(401, "GET", "/admin/stats/dialogs/created-total")
        # The change feed: from the beginning page by page to the end, then from cursor=now.
        cursor, pages = None, 0
        while pages < 200:
            response = call(200, "GET", "/admin/chat/changes", admin_key=key,
                            query={"limit": "500", **({"cursor": cursor} if cursor else {})})
            page = response.json() if response.status == 200 else {"changes": [], "next_cursor": cursor}
            cursor, pages = page["next_cursor"], pages + 1
            if not page["changes"]:
                break
        call(200, "GET", "/admin/chat/changes.json", admin_key=key, json_body={"cursor": "now", "limit": 10})
        call(200, "GET", "/admin/chat/changes", admin_key=key, form={"cursor": cursor})
        call(422, "GET", "/admin/chat/changes", admin_key=key, query={"cursor": "yesterday"})
        call(401, "GET", "/admin/chat/changes")
        call(401, "GET", "/admin/chat/export")
        # Every row of the demo data (dialogs and messages of every kind), page by page by _id.
        for template in ("/admin/chat/list", "/admin/chat/messages/list"):
            last, pages = None, 0
            while pages < 1000:
                query = {"limit": "100", **({"_id[lt]": last} if last else {})}
                response = call(200, "GET", template, admin_key=key, query=query)
                items = response.json()["items"] if response.status == 200 else []
                pages += 1
                if len(items) < 100:
                    break
                last = items[-1]["_id"]
        call(422, "GET", "/admin/chat/list", admin_key=key, query={"limt": "10", "sort_asc": "name"})
        call(422, "GET", "/admin/chat/messages/list", admin_key=key,
             query={"sort_asc": "_id", "sort_desc": "_id", "_id[lt]": "123"})
        call(401, "GET", "/admin/chat/list")
        call(401, "GET", "/admin/chat/list", admin_key="not-a-key")
        call(415, "GET", "/admin/chat/list", admin_key=key, body=b"limit=1", content_type="text/plain")
        call(413, "GET", "/admin/chat/messages/list", admin_key=key, body=b"limit=1&" + b"x" * (1024 * 1024 + 1),
             content_type="application/x-www-form-urlencoded")
        response = call(201, "POST", "/admin/chat", admin_key=key,
                        json_body={"user_id": alice_id, "type": 1, "name": "News", "admins_ids": [bob_id]})
        broadcast_id = response.json()["_id"] if response.status == 201 else "0" * 24
        call(201, "POST", "/admin/chat", admin_key=key,
             form={"user_id": str(bob_id), "type": "2", "name": "Bob's", "occupants_ids": f"{alice_id},{carol_id}"})
        call(422, "POST", "/admin/chat", admin_key=key, json_body={"type": 2})
        call(401, "POST", "/admin/chat", json_body={"user_id": alice_id, "type": 2})
        call(200, "PUT", "/admin/chat/{dialog_id}", {"id": group_id}, admin_key=key,
             json_body={"user_id": bob_id, "is_muted": 1})
        call(200, "PUT", "/admin/chat/{dialog_id}", {"id": broadcast_id}, admin_key=key, form={"name": "Daily news"})
        call(422, "PUT", "/admin/chat/{dialog_id}", {"id": group_id}, admin_key=key, json_body={"is_muted": 1})
        call(404, "PUT", "/admin/chat/{dialog_id}", {"id": "a" * 24}, admin_key=key, json_body={"name": "x"})
        call(200, "POST", "/chat/Dialog/{dialog_id}/subscribe", {"id": broadcast_id}, token=carol_token)
        call(403, "POST", "/chat/Message", token=carol_token,
             json_body={"chat_dialog_id": broadcast_id, "message": "me too"})

        # ---- occupants and history
        call(200, "GET", "/chat/Dialog/{dialog_id}/occupants", {"id": group_id}, token=bob_token)
        call(200, "GET", "/chat/Dialog/{dialog_id}/occupants", {"id": public_id}, token=bob_token,
             query={"limit": "1", "skip": "1"})
        call(404, "GET", "/chat/Dialog/{dialog_id}/occupants", {"id": "c" * 24}, token=bob_token)
        call(422, "GET", "/chat/Dialog/{dialog_id}/occupants", {"id": group_id}, token=bob_token, query={"limit": "0"})
        call(200, "DELETE", "/chat/Dialog/clearHistory/{dialog_id}", {"id": broadcast_id}, token=carol_token)
        call(403, "DELETE", "/chat/Dialog/clearHistory/{dialog_id}", {"id": broadcast_id}, token=carol_token,
             query={"force": "1"})
        call(404, "DELETE", "/chat/Dialog/clearHistory/{dialog_id}", {"id": "c" * 24}, token=carol_token)
        call(422, "DELETE", "/chat/Dialog/clearHistory/{dialog_id}", {"id": "zz"}, token=carol_token)

        # ---- deletes
        call(200, "DELETE", "/chat/Message/{message_id}", {"id": second_id}, token=alice_token)
        call(200, "DELETE", "/chat/Message/{message_id}", {"id": f"{first_id},{'e' * 24}"}, token=alice_token,
             query={"force": "1"})
        call(422, "DELETE", "/chat/Message/{message_id}", {"id": first_id}, token=alice_token, query={"force": "2"})
        call(200, "DELETE", "/chat/Dialog/{dialog_id}", {"id": public_id}, token=bob_token)
        call(200, "DELETE", "/chat/Dialog/{dialog_id}", {"id": f"{group_id},{'a' * 24}"}, token=alice_token,
             query={"force": "1"})
        call(422, "DELETE", "/chat/Dialog/{dialog_id}", {"id": "zz"}, token=alice_token)
        call(200, "DELETE", "/admin/user/{user_id}", {"id": carol_id}, admin_key=key)
        call(404, "DELETE", "/admin/user/{user_id}", {"id": carol_id}, admin_key=key)
        call(422, "DELETE", "/admin/user/{user_id}", {"id": "0"}, admin_key=key)
        call(401, "DELETE", "/admin/user/{user_id}", {"id": bob_id})
        call(401, "GET", "/session", token=carol_token)
        call(200, "DELETE", "/session", token=alice_token)
        call(401, "GET", "/session", token=alice_token)
        call(401, "DELETE", "/session", token=alice_token)

        # ---- malformed HTTP: answered 400 {"errors":[…]} when the server answers at all
        self.malformed_request()

        operations = {(method.upper(), path)
                      for path, item in self.spec.document["paths"].items()
                      for method in self.spec.resolve(item, None)[0] if method in ("get", "put", "post", "delete")}
        missing = sorted(operations - self.covered)
        for method, path in missing:
            self.fail(f"{method} {path}: documented, but the walk never called it")

    def malformed_request(self):
        from confab_demo import Response
        with socket.create_connection((self.client.host, self.client.port), timeout=10) as connection:
            connection.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n")
            data = b""
            try:
                while True:
                    chunk = connection.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                    if b"\r\n\r\n" in data:
                        head, _, rest = data.partition(b"\r\n\r\n")
                        length = [int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                                  if line.lower().startswith(b"content-length:")]
                        if length and len(rest) >= length[0]:
                            break
            except (socket.timeout, ConnectionResetError):
                pass
        if not data:
            print("note: a malformed request (Content-Length: nope) was answered by closing the connection")
            return
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {line.split(":", 1)[0].strip().lower(): line.split(":", 1)[1].strip() for line in lines[1:]
                   if ":" in line}
        response = Response(status, headers, body)
        label = "malformed GET /health (Content-Length: nope)"
        problems = [] if status == 400 else [f"expected 400, got {status}"]
        problems += self.spec.check("GET", "/health", response)
        for problem in problems:
            self.fail(f"{label} -> {status}: {problem}")
        if not problems:
            self.passed += 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary", help="the confab executable, e.g. .build/debug/confab")
    parser.add_argument("--spec", default=DEFAULT_SPEC, help="the OpenAPI description (default docs/openapi.yaml)")
    parser.add_argument("--verbose", "-v", action="store_true", help="print every response checked")
    arguments = parser.parse_args()
    spec = Spec(arguments.spec)
    with DemoServer(arguments.binary) as server:
        walk = Walk(spec, server, arguments.verbose)
        try:
            walk.run()
        except Exception as error:  # a broken walk is a failure, reported with the rest
            walk.fail(f"the walk stopped: {type(error).__name__}: {error}")
    print(f"openapi-check: {walk.passed} passed, {len(walk.failures)} failed")
    sys.exit(1 if walk.failures else 0)


if __name__ == "__main__":
    main()
