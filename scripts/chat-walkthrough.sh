#!/usr/bin/env bash
# A conversation through the chat REST API, then checked through the admin lists:
#   1. an application session (POST /session, signed with HMAC-SHA1)
#   2. two users sign up (POST /users)
#   3. a user session for each (POST /session with user[login]/user[password] signed too)
#   4. alice creates a group dialog with bob (POST /chat/Dialog)
#   5. alice sends a message with an attachment and a custom field (POST /chat/Message)
#   6. bob lists the dialog's messages, which marks them read (GET /chat/Message)
#   7. the admin lists show the dialog and the message as read (GET /admin/chat/list, …/messages/list)
# Every response is printed; any unexpected status or field stops the script with exit 1.
#
#   CONFAB_URL=http://127.0.0.1:8080 CONFAB_APP_ID=1 CONFAB_AUTH_KEY=… CONFAB_AUTH_SECRET=… \
#   CONFAB_KEY=… scripts/chat-walkthrough.sh
#
# The values are those printed by `confab serve --demo` (or `confab apps create`). Logins get a
# timestamp-and-random suffix, so the script can run any number of times against one server.
# Needs bash, curl, python3 (JSON), and openssl (else python3 computes the signature).
set -euo pipefail

URL=${CONFAB_URL:-http://127.0.0.1:8080}
APP_ID=${CONFAB_APP_ID:?set CONFAB_APP_ID (printed by confab serve --demo)}
AUTH_KEY=${CONFAB_AUTH_KEY:?set CONFAB_AUTH_KEY (printed by confab serve --demo)}
AUTH_SECRET=${CONFAB_AUTH_SECRET:?set CONFAB_AUTH_SECRET (printed by confab serve --demo)}
ADMIN_KEY=${CONFAB_KEY:?set CONFAB_KEY, the admin API key (printed by confab serve --demo)}

SUFFIX="$(date +%s)_$RANDOM"
ALICE="alice_$SUFFIX" ALICE_PASSWORD="alice-secret-1"
BOB="bob_$SUFFIX" BOB_PASSWORD="bob-secret-1"

fail() {
    echo "FAILED: $*" >&2
    exit 1
}

# HMAC-SHA1 of $1 keyed with the auth secret, as lowercase hex.
sign() {
    if command -v openssl > /dev/null; then
        printf '%s' "$1" | openssl dgst -sha1 -hmac "$AUTH_SECRET" | awk '{print $NF}'
    else
        AUTH_SECRET="$AUTH_SECRET" python3 -c 'import hmac, hashlib, os, sys
print(hmac.new(os.environ["AUTH_SECRET"].encode(), sys.argv[1].encode(), hashlib.sha1).hexdigest())' "$1"
    fi
}

# A fresh integer nonce for every session (a nonce may be used once per timestamp).
nonce() {
    echo $((RANDOM * 32768 + RANDOM + 1))
}

# request EXPECTED_STATUS METHOD PATH [curl arguments…]: prints the response, leaves it in $BODY.
BODY=""
request() {
    local expected=$1 method=$2 path=$3
    shift 3
    local output status
    output=$(curl -sS -g -X "$method" "$URL$path" -w '\n%{http_code}' "$@")
    status=${output##*$'\n'}
    BODY=${output%$'\n'*}
    echo "$method $path -> $status"
    echo "$BODY"
    echo
    [[ $status == "$expected" ]] || fail "$method $path answered $status, expected $expected"
}

# field PATH: the value at PATH (keys and list indices, dot separated) of the JSON in $BODY.
field() {
    python3 -c 'import json, sys
value = json.loads(sys.argv[1])
for part in sys.argv[2].split("."):
    value = value[int(part)] if isinstance(value, list) else value[part]
print(value if isinstance(value, str) else json.dumps(value))' "$BODY" "$1"
}

# check PYTHON_EXPRESSION DESCRIPTION: the expression, over `body` (the parsed $BODY) and the
# variables passed as name=value arguments, must be true.
check() {
    local expression=$1 description=$2
    shift 2
    python3 -c 'import json, sys
env = {"body": json.loads(sys.argv[1])}
for pair in sys.argv[3:]:
    name, _, value = pair.partition("=")
    env[name] = int(value) if value.isdigit() else value
sys.exit(0 if eval("(" + sys.argv[2] + ")", env) else 1)' "$BODY" "$expression" "$@" \
        || fail "$description"
    echo "ok: $description"
    echo
}

# session [LOGIN PASSWORD]: POST /session, signed; prints the response and sets $TOKEN.
session() {
    local nonce timestamp signed user_json="" signature
    nonce=$(nonce)
    timestamp=$(date +%s)
    signed="application_id=$APP_ID&auth_key=$AUTH_KEY&nonce=$nonce&timestamp=$timestamp"
    if [[ $# -eq 2 ]]; then
        signed="$signed&user[login]=$1&user[password]=$2"
        user_json=$(printf ',"user":{"login":"%s","password":"%s"}' "$1" "$2")
    fi
    signature=$(sign "$signed")
    request 201 POST /session -H 'Content-Type: application/json' \
        -d "$(printf '{"application_id":%s,"auth_key":"%s","nonce":%s,"timestamp":%s%s,"signature":"%s"}' \
            "$APP_ID" "$AUTH_KEY" "$nonce" "$timestamp" "$user_json" "$signature")"
    TOKEN=$(field session.token)
}

echo "== 1. application session"
session
APP_TOKEN=$TOKEN

echo "== 2. sign up $ALICE and $BOB"
request 201 POST /users -H "CB-Token: $APP_TOKEN" -H 'Content-Type: application/json' \
    -d "{\"user\":{\"login\":\"$ALICE\",\"password\":\"$ALICE_PASSWORD\"}}"
ALICE_ID=$(field user.id)
request 201 POST /users -H "CB-Token: $APP_TOKEN" -H 'Content-Type: application/json' \
    -d "{\"user\":{\"login\":\"$BOB\",\"password\":\"$BOB_PASSWORD\"}}"
BOB_ID=$(field user.id)

echo "== 3. user sessions"
session "$ALICE" "$ALICE_PASSWORD"
ALICE_TOKEN=$TOKEN
check 'body["session"]["user_id"] == alice' "alice's session is hers" alice="$ALICE_ID"
session "$BOB" "$BOB_PASSWORD"
BOB_TOKEN=$TOKEN

echo "== 4. alice creates a group dialog with bob"
request 201 POST /chat/Dialog -H "CB-Token: $ALICE_TOKEN" -H 'Content-Type: application/json' \
    -d "{\"type\":2,\"name\":\"Team\",\"occupants_ids\":[$BOB_ID]}"
DIALOG_ID=$(field _id)
check 'sorted(body["occupants_ids"]) == sorted([alice, bob])' "the occupants are alice and bob" \
    alice="$ALICE_ID" bob="$BOB_ID"

echo "== 5. alice sends a message"
request 201 POST /chat/Message -H "CB-Token: $ALICE_TOKEN" -H 'Content-Type: application/json' \
    -d "{\"chat_dialog_id\":\"$DIALOG_ID\",\"message\":\"Hello team\",\"attachments\":[{\"type\":\"image\",\"url\":\"https://example.com/a.png\"}],\"mission\":\"apollo\"}"
MESSAGE_ID=$(field _id)
check 'body["mission"] == "apollo" and body["read_ids"] == [alice]' \
    "the custom field is kept at the top level; only the sender has read it" alice="$ALICE_ID"

echo "== 6. bob lists the dialog's messages (this marks them read)"
request 200 GET "/chat/Message?chat_dialog_id=$DIALOG_ID" -H "CB-Token: $BOB_TOKEN"
check 'body["items"][0]["_id"] == message and bob in body["items"][0]["read_ids"]' \
    "bob sees the message, read by him" message="$MESSAGE_ID" bob="$BOB_ID"

echo "== 7. the admin lists"
request 200 GET "/admin/chat/list?limit=5" -H "CB-Administration-API-Key: $ADMIN_KEY"
check '[d for d in body["items"] if d["_id"] == dialog and d["last_message"] == "Hello team"
        and d["last_message_id"] == message and d["last_message_user_id"] == alice
        and d["last_message_status"] == "read"]' \
    "the dialog is among the newest five, its last message read" \
    dialog="$DIALOG_ID" message="$MESSAGE_ID" alice="$ALICE_ID"
request 200 GET "/admin/chat/messages/list?chat_dialog_id=$DIALOG_ID" -H "CB-Administration-API-Key: $ADMIN_KEY"
check 'body["total_entries"] == 1 and body["items"][0]["mission"] == "apollo"
       and sorted(body["items"][0]["read_ids"]) == sorted([alice, bob]) and body["items"][0]["read"] == 1
       and body["items"][0]["attachments"] == [{"type": "image", "url": "https://example.com/a.png"}]' \
    "the message is read by alice and bob, with its attachment and custom field" \
    alice="$ALICE_ID" bob="$BOB_ID"

echo "Walk-through passed: dialog $DIALOG_ID, message $MESSAGE_ID."
