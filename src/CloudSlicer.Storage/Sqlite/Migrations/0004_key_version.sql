-- Schema version 4: a counter of API key changes. Servers cache each owner's enabled keys and drop the cache
-- when this number moves, so a key added or disabled from any process (the CLI, another node) counts at the
-- next request. Triggers bump it in the same transaction as the change itself, so no writer can forget to.

CREATE TABLE key_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);

INSERT INTO key_version (id, version) VALUES (1, 0);

CREATE TRIGGER api_keys_inserted AFTER INSERT ON api_keys
BEGIN
    UPDATE key_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER api_keys_updated AFTER UPDATE ON api_keys
BEGIN
    UPDATE key_version SET version = version + 1 WHERE id = 1;
END;

-- Also reached through ON DELETE CASCADE when an owner row is deleted.
CREATE TRIGGER api_keys_deleted AFTER DELETE ON api_keys
BEGIN
    UPDATE key_version SET version = version + 1 WHERE id = 1;
END;
