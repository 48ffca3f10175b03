/// The SQLite schema. Times are integer unix seconds (what a list shows is what its filters
/// compare); ids are 12-byte BLOBs, whose byte order is ObjectId order; id lists, attachments,
/// reactions and custom fields are JSON text.
///
/// Every index leads with `application_id` and ends with `id`, so each sort of the admin lists
/// (with its `_id` tie-break) and each filter is one index range scan within one application.
enum SQLiteSchema {
    static let migrations: [SchemaMigration] = [
        SchemaMigration(
            version: 1,
            statements: [
                """
                CREATE TABLE applications (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL,
                    auth_key TEXT NOT NULL UNIQUE,
                    auth_secret TEXT NOT NULL,
                    admin_key_hash BLOB NOT NULL UNIQUE,
                    created_at INTEGER NOT NULL
                )
                """,
                """
                CREATE TABLE dialogs (
                    application_id INTEGER NOT NULL REFERENCES applications (id),
                    id BLOB NOT NULL,
                    user_id INTEGER NOT NULL,
                    type INTEGER NOT NULL,
                    name TEXT,
                    description TEXT,
                    photo TEXT,
                    occupants_ids TEXT NOT NULL,
                    occupants_count INTEGER,
                    xmpp_room_jid TEXT,
                    is_e2ee INTEGER NOT NULL,
                    admins_ids TEXT NOT NULL,
                    pinned_messages_ids TEXT NOT NULL,
                    last_message TEXT,
                    last_message_date_sent INTEGER,
                    last_message_id BLOB,
                    last_message_user_id INTEGER,
                    last_message_status TEXT,
                    deleted_ids TEXT NOT NULL,
                    silent_ids TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                )
                """,
                "CREATE UNIQUE INDEX dialogs_by_id ON dialogs (application_id, id)",
                "CREATE INDEX dialogs_by_created_at ON dialogs (application_id, created_at, id)",
                "CREATE INDEX dialogs_by_updated_at ON dialogs (application_id, updated_at, id)",
                """
                CREATE TABLE messages (
                    application_id INTEGER NOT NULL REFERENCES applications (id),
                    id BLOB NOT NULL,
                    chat_dialog_id BLOB NOT NULL,
                    message TEXT,
                    date_sent INTEGER NOT NULL,
                    sender_id INTEGER NOT NULL,
                    recipient_id INTEGER NOT NULL,
                    read_ids TEXT NOT NULL,
                    delivered_ids TEXT NOT NULL,
                    attachments TEXT NOT NULL,
                    custom_fields TEXT NOT NULL,
                    reactions TEXT NOT NULL,
                    views_count INTEGER NOT NULL,
                    edited_at INTEGER,
                    deleted_for_ids TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                )
                """,
                "CREATE UNIQUE INDEX messages_by_id ON messages (application_id, id)",
                "CREATE INDEX messages_by_created_at ON messages (application_id, created_at, id)",
                "CREATE INDEX messages_by_updated_at ON messages (application_id, updated_at, id)",
                "CREATE INDEX messages_by_dialog ON messages (application_id, chat_dialog_id, id)",
                "CREATE INDEX messages_by_dialog_created_at ON messages (application_id, chat_dialog_id, created_at, id)",
                "CREATE INDEX messages_by_dialog_updated_at ON messages (application_id, chat_dialog_id, updated_at, id)",
            ]
        ),
        SchemaMigration(
            version: 2,
            statements: [
                // Hidden member lists; `private_pair` ("low:high" user ids) finds a private dialog by its two users.
                "ALTER TABLE dialogs ADD COLUMN subscribers_ids TEXT NOT NULL DEFAULT '[]'",
                "ALTER TABLE dialogs ADD COLUMN private_pair TEXT",
                "CREATE INDEX dialogs_by_private_pair ON dialogs (application_id, private_pair)",
                "ALTER TABLE messages ADD COLUMN viewer_ids TEXT NOT NULL DEFAULT '[]'",
                "CREATE INDEX messages_by_dialog_date_sent ON messages (application_id, chat_dialog_id, date_sent, id)",
                """
                CREATE TABLE users (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    application_id INTEGER NOT NULL REFERENCES applications (id),
                    login TEXT,
                    email TEXT,
                    full_name TEXT,
                    phone TEXT,
                    custom_data TEXT,
                    password_hash TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                )
                """,
                "CREATE UNIQUE INDEX users_by_login ON users (application_id, login)",
                "CREATE UNIQUE INDEX users_by_email ON users (application_id, email)",
                // Signed-up users get ids from 1,000,001 up; lower ids stay free for seeded synthetic users.
                "INSERT INTO sqlite_sequence (name, seq) VALUES ('users', 1000000)",
                """
                CREATE TABLE sessions (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    application_id INTEGER NOT NULL REFERENCES applications (id),
                    user_id INTEGER,
                    token_hash BLOB NOT NULL UNIQUE,
                    nonce INTEGER NOT NULL,
                    timestamp INTEGER NOT NULL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL
                )
                """,
                "CREATE INDEX sessions_by_user ON sessions (application_id, user_id)",
                "CREATE INDEX sessions_by_expiry ON sessions (expires_at)",
                """
                CREATE TABLE session_nonces (
                    application_id INTEGER NOT NULL,
                    timestamp INTEGER NOT NULL,
                    nonce INTEGER NOT NULL,
                    PRIMARY KEY (application_id, timestamp, nonce)
                ) WITHOUT ROWID
                """,
                "CREATE INDEX session_nonces_by_timestamp ON session_nonces (timestamp)",
            ]
        ),
        SchemaMigration(
            version: 3,
            statements: [
                // The counted trees behind `total_entries` (ListCounter, docs/exact-counts.md).
                """
                CREATE TABLE list_counts (
                    application_id INTEGER NOT NULL,
                    list INTEGER NOT NULL,
                    field INTEGER NOT NULL,
                    dialog_scope BLOB NOT NULL,
                    level INTEGER NOT NULL,
                    bucket INTEGER NOT NULL,
                    row_count INTEGER NOT NULL,
                    expanded INTEGER NOT NULL,
                    PRIMARY KEY (application_id, list, field, dialog_scope, level, bucket)
                ) WITHOUT ROWID
                """
            ],
            backfill: ListCounter.rebuildAll
        ),
        SchemaMigration(
            version: 4,
            statements: [
                // Planner statistics for the shape of a large application (1,000,000 messages in
                // 100,000 dialogs), so that SQLite picks the dialog's index for a dialog's page
                // even before any ANALYZE: without them, it took a two-sided `updated_at` range
                // over the whole application for the narrower one (176 ms instead of 2 ms at a
                // million messages). A later ANALYZE replaces them with measured ones.
                "ANALYZE sqlite_schema",
                "DELETE FROM sqlite_stat1 WHERE tbl IN ('messages', 'dialogs')",
                """
                INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
                    ('messages', 'messages_by_id', '1000000 1000000 1'),
                    ('messages', 'messages_by_created_at', '1000000 1000000 2 1'),
                    ('messages', 'messages_by_updated_at', '1000000 1000000 2 1'),
                    ('messages', 'messages_by_dialog', '1000000 1000000 10 1'),
                    ('messages', 'messages_by_dialog_created_at', '1000000 1000000 10 2 1'),
                    ('messages', 'messages_by_dialog_updated_at', '1000000 1000000 10 2 1'),
                    ('messages', 'messages_by_dialog_date_sent', '1000000 1000000 10 2 1'),
                    ('dialogs', 'dialogs_by_id', '100000 100000 1'),
                    ('dialogs', 'dialogs_by_created_at', '100000 100000 2 1'),
                    ('dialogs', 'dialogs_by_updated_at', '100000 100000 2 1'),
                    ('dialogs', 'dialogs_by_private_pair', '100000 100000 2')
                """,
                // Makes this connection read the statistics; others read them when they open.
                "ANALYZE sqlite_schema",
            ]
        ),
        SchemaMigration(version: 5, statements: userProfileColumns(integer: "INTEGER")),
        SchemaMigration(version: 6, statements: dialogExtensionColumns(boolean: "INTEGER NOT NULL DEFAULT 0")),
        SchemaMigration(
            version: 7, statements: dayCountTables(integer: "INTEGER", tableOptions: " WITHOUT ROWID"),
            backfill: DayCounter.rebuildAll),
        SchemaMigration(
            version: 8,
            statements: changeFeedTables(integer: "INTEGER", id: "BLOB", tableOptions: " WITHOUT ROWID") + [
                // Planner statistics for the indexes of versions 7 and 8, in the shape of version
                // 4's: without them SQLite took `(application_id, change_seq, id)` for a list's
                // `application_id = ?` and sorted every row (1.46 s for a first page at a million
                // messages, instead of under a millisecond by `(application_id, id)`).
                "ANALYZE sqlite_schema",
                """
                DELETE FROM sqlite_stat1
                WHERE idx IN ('messages_by_date_sent', 'messages_by_change', 'dialogs_by_change')
                """,
                """
                INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
                    ('messages', 'messages_by_date_sent', '1000000 1000000 2 1'),
                    ('messages', 'messages_by_change', '1000000 1000000 100 1'),
                    ('dialogs', 'dialogs_by_change', '100000 100000 100 1')
                """,
                "ANALYZE sqlite_schema",
            ]),
        SchemaMigration(
            version: 9, statements: adminKeyTables(integer: "INTEGER", id: "INTEGER PRIMARY KEY", blob: "BLOB")),
    ]
}

/// Schema version 5: the rest of ConnectyCube's user fields (`UserProfile`), on both stores.
func userProfileColumns(integer: String) -> [String] {
    [
        ("website", "TEXT"), ("external_user_id", integer), ("facebook_id", "TEXT"), ("twitter_id", "TEXT"),
        ("avatar", "TEXT"), ("blob_id", integer), ("user_tags", "TEXT"), ("timezone", integer),
    ].map { "ALTER TABLE users ADD COLUMN \($0.0) \($0.1)" } + [
        "CREATE UNIQUE INDEX users_by_external_id ON users (application_id, external_user_id)"
    ]
}

/// Schema version 6: a dialog's extensions (text holding a JSON object, as the lists write it)
/// and `permissions.allow_preview`, on both stores.
func dialogExtensionColumns(boolean: String) -> [String] {
    ["ALTER TABLE dialogs ADD COLUMN extensions TEXT", "ALTER TABLE dialogs ADD COLUMN allow_preview \(boolean)"]
}

/// Schema version 7: the day counters behind the statistics endpoints (`DayCounter`), and the
/// index that counts a partial day of messages by `date_sent`, on both stores.
func dayCountTables(integer: String, tableOptions: String) -> [String] {
    [
        """
        CREATE TABLE day_counts (
            application_id \(integer) NOT NULL,
            list \(integer) NOT NULL,
            day \(integer) NOT NULL,
            type \(integer) NOT NULL,
            row_count \(integer) NOT NULL,
            PRIMARY KEY (application_id, list, day, type)
        )\(tableOptions)
        """,
        "CREATE INDEX messages_by_date_sent ON messages (application_id, date_sent, id)",
    ]
}

/// Schema version 8: the change feed (`ChangeFeed`), on both stores. Every dialog and message
/// row carries the sequence number of the transaction that last wrote it (0 for rows from
/// before the feed); deleted rows leave a tombstone; `change_counters` hands out the sequence
/// numbers, one per write transaction, and remembers the last tombstone dropped.
func changeFeedTables(integer: String, id: String, tableOptions: String) -> [String] {
    [
        "ALTER TABLE dialogs ADD COLUMN change_seq \(integer) NOT NULL DEFAULT 0",
        "ALTER TABLE messages ADD COLUMN change_seq \(integer) NOT NULL DEFAULT 0",
        "CREATE INDEX dialogs_by_change ON dialogs (application_id, change_seq, id)",
        "CREATE INDEX messages_by_change ON messages (application_id, change_seq, id)",
        """
        CREATE TABLE change_tombstones (
            application_id \(integer) NOT NULL,
            seq \(integer) NOT NULL,
            kind \(integer) NOT NULL,
            id \(id) NOT NULL,
            chat_dialog_id \(id),
            deleted_at \(integer) NOT NULL,
            PRIMARY KEY (application_id, seq, kind, id)
        )\(tableOptions)
        """,
        "CREATE INDEX change_tombstones_by_time ON change_tombstones (deleted_at, application_id)",
        """
        CREATE TABLE change_counters (
            application_id \(integer) PRIMARY KEY,
            last_seq \(integer) NOT NULL,
            purged_seq \(integer),
            purged_kind \(integer),
            purged_id \(id)
        )
        """,
        // What `confab mirror` has copied into this database: its source and where it resumes.
        """
        CREATE TABLE mirror_state (
            application_id \(integer) PRIMARY KEY,
            source TEXT NOT NULL,
            cursor TEXT NOT NULL,
            exported \(integer) NOT NULL
        )
        """,
    ]
}

/// Version 9: several administration keys per application, each with a name and a scope; the
/// key each application had becomes its first `admin` key, named `default`, under the same hash.
/// `applications.admin_key_hash` stays as the hash of the key the application was created with:
/// keys are checked here.
func adminKeyTables(integer: String, id: String, blob: String) -> [String] {
    [
        """
        CREATE TABLE admin_keys (
            id \(id),
            application_id \(integer) NOT NULL REFERENCES applications (id),
            name TEXT NOT NULL,
            scope TEXT NOT NULL CHECK (scope IN ('read', 'admin')),
            key_hash \(blob) NOT NULL UNIQUE,
            created_at \(integer) NOT NULL,
            last_used_at \(integer),
            expires_at \(integer)
        )
        """,
        // One live key per name; a rotated-out key keeps its name until it expires.
        "CREATE UNIQUE INDEX admin_keys_live_name ON admin_keys (application_id, name) WHERE expires_at IS NULL",
        "CREATE INDEX admin_keys_by_application ON admin_keys (application_id, created_at)",
        """
        INSERT INTO admin_keys (application_id, name, scope, key_hash, created_at)
        SELECT id, 'default', 'admin', admin_key_hash, created_at FROM applications ORDER BY id
        """,
    ]
}
