-- Version 1 of the sync server's store: organisations and how workstations join them, the
-- tokens people sign in with, and each organisation's log of entries with the few rows the
-- server must reason about (who may sign in, which certificates and signatures hold).
-- Times are Unix seconds.

CREATE TABLE organisations (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL CHECK (length (name) BETWEEN 1 AND 200),
  clinic_org_id TEXT,                    -- the org_id its clinic rows carry; fixed once
  head_seq      INTEGER NOT NULL DEFAULT 0 CHECK (head_seq >= 0),
  created_at    INTEGER NOT NULL
);

-- Single use, for seven days; only the SHA-256 of a code is kept.
CREATE TABLE enrolment_codes (
  code_hash      TEXT PRIMARY KEY,
  org_id         TEXT NOT NULL REFERENCES organisations (id),
  created_at     INTEGER NOT NULL,
  expires_at     INTEGER NOT NULL,
  used_at        INTEGER,
  workstation_id TEXT
) WITHOUT ROWID;

CREATE TABLE workstations (
  id           TEXT PRIMARY KEY,
  org_id       TEXT NOT NULL REFERENCES organisations (id),
  name         TEXT NOT NULL,
  node_id      TEXT NOT NULL,
  secret_hash  TEXT NOT NULL,            -- SHA-256 of the 256-bit secret
  enrolled_at  INTEGER NOT NULL,
  last_seen_at INTEGER,
  revoked_at   INTEGER
);
CREATE INDEX workstations_org ON workstations (org_id, enrolled_at);

CREATE TABLE tokens (
  token_hash     TEXT PRIMARY KEY,       -- SHA-256 of the bearer token
  org_id         TEXT NOT NULL REFERENCES organisations (id),
  workstation_id TEXT NOT NULL REFERENCES workstations (id),
  user_id        TEXT NOT NULL,
  role           TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  expires_at     INTEGER NOT NULL,
  revoked_at     INTEGER
) WITHOUT ROWID;
CREATE INDEX tokens_workstation ON tokens (workstation_id);

-- Failed logins, by "user:ORG:USERNAME" and by "address:IP", for the rate limits.
CREATE TABLE login_failures (
  key TEXT NOT NULL,
  at  INTEGER NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, at);

-- What workstations pushed, in the order it was accepted: seq runs 1, 2, 3 ... per
-- organisation without gaps, and an op id is stored once.
CREATE TABLE entries (
  org_id      TEXT NOT NULL REFERENCES organisations (id),
  seq         INTEGER NOT NULL CHECK (seq > 0),
  op_id       TEXT NOT NULL,
  entity      TEXT NOT NULL,
  row_id      TEXT NOT NULL,
  hlc         TEXT NOT NULL,
  author      TEXT NOT NULL,
  payload     TEXT NOT NULL CHECK (json_valid (payload)),
  received_at INTEGER NOT NULL,
  PRIMARY KEY (org_id, seq),
  UNIQUE (org_id, op_id)
) WITHOUT ROWID;

-- The latest state of rows of users, certificates and prescriptions, merged from the entries
-- field by field (the newest HLC wins each field).
CREATE TABLE merged_rows (
  org_id TEXT NOT NULL REFERENCES organisations (id),
  entity TEXT NOT NULL,
  row_id TEXT NOT NULL,
  lookup TEXT,                           -- username, certificate kind or prescription id
  hlc    TEXT NOT NULL,
  data   TEXT NOT NULL CHECK (json_valid (data)),
  clocks TEXT NOT NULL CHECK (json_valid (clocks)),
  PRIMARY KEY (org_id, entity, row_id)
) WITHOUT ROWID;
CREATE INDEX merged_rows_lookup ON merged_rows (org_id, entity, lookup);
