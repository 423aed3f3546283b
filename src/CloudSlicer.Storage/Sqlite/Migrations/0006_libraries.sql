-- Schema version 6: libraries. A library is a named list of its owner's assets, shared with other owners by
-- owner id; a share lets them read (copy) those assets. Readers join library_assets to live assets, so a
-- deleted asset leaves every library at once; its rows go with its record when the tombstone is purged.

CREATE TABLE libraries (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    id      TEXT NOT NULL UNIQUE,
    owner   TEXT NOT NULL,
    desc    TEXT NOT NULL,
    created INTEGER NOT NULL
);

CREATE INDEX libraries_owner ON libraries (owner, seq);

-- seq keeps the order assets were added in.
CREATE TABLE library_assets (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    library TEXT NOT NULL REFERENCES libraries (id) ON DELETE CASCADE,
    asset   TEXT NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    added   INTEGER NOT NULL,
    UNIQUE (library, asset)
);

CREATE INDEX library_assets_asset ON library_assets (asset);

CREATE TABLE library_shares (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    library TEXT NOT NULL REFERENCES libraries (id) ON DELETE CASCADE,
    owner   TEXT NOT NULL REFERENCES owners (id) ON DELETE CASCADE,
    created INTEGER NOT NULL,
    UNIQUE (library, owner)
);

-- "Shared with me": the listing and the copy rule start from the caller.
CREATE INDEX library_shares_owner ON library_shares (owner);
