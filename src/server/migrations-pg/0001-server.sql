-- Version 1 of the sync server's PostgreSQL store: the same tables as the SQLite store's
-- versions 1 and 2, so that several rxdesk-server processes can share them. Times are Unix
-- seconds. JSON columns are `json`, not `jsonb`: they keep the text exactly as pushed, so
-- that a log reads back byte for byte (and digests match the SQLite store's).

CREATE TABLE organisations (
  id            text PRIMARY KEY,
  name          text NOT NULL CHECK (length (name) BETWEEN 1 AND 200),
  clinic_org_id text,                    -- the org_id its clinic rows carry; fixed once
  -- the highest sequence number of its entries; a push holds this row locked until it
  -- commits, which is what keeps numbers gapless and visible in order across processes
  head_seq      bigint NOT NULL DEFAULT 0 CHECK (head_seq >= 0),
  created_at    bigint NOT NULL
);

-- Single use, for seven days; only the SHA-256 of a code is kept.
CREATE TABLE enrolment_codes (
  code_hash      text PRIMARY KEY,
  org_id         text NOT NULL REFERENCES organisations (id),
  created_at     bigint NOT NULL,
  expires_at     bigint NOT NULL,
  used_at        bigint,
  workstation_id text
);

CREATE TABLE workstations (
  id           text PRIMARY KEY,
  org_id       text NOT NULL REFERENCES organisations (id),
  name         text NOT NULL,
  node_id      text NOT NULL,
  secret_hash  text NOT NULL,            -- SHA-256 of the 256-bit secret
  enrolled_at  bigint NOT NULL,
  last_seen_at bigint,
  revoked_at   bigint
);
CREATE INDEX workstations_org ON workstations (org_id, enrolled_at);

CREATE TABLE tokens (
  token_hash     text PRIMARY KEY,       -- SHA-256 of the bearer token
  org_id         text NOT NULL REFERENCES organisations (id),
  workstation_id text NOT NULL REFERENCES workstations (id),
  user_id        text NOT NULL,
  role           text NOT NULL,
  created_at     bigint NOT NULL,
  expires_at     bigint NOT NULL,
  revoked_at     bigint
);
CREATE INDEX tokens_workstation ON tokens (workstation_id);

-- Failed logins, by "user:ORG:USERNAME" and by "address:IP", for the rate limits; shared by
-- every server process, so a limit holds however the balancer spreads the attempts.
CREATE TABLE login_failures (
  key text NOT NULL,
  at  bigint NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, at);

-- What workstations pushed, in the order it was accepted: seq runs 1, 2, 3 ... per
-- organisation without gaps, and an op id is stored once.
CREATE TABLE entries (
  org_id      text NOT NULL REFERENCES organisations (id),
  seq         bigint NOT NULL CHECK (seq > 0),
  op_id       text NOT NULL,
  entity      text NOT NULL,
  row_id      text NOT NULL,
  hlc         text NOT NULL,
  author      text NOT NULL,
  payload     json NOT NULL,
  received_at bigint NOT NULL,
  PRIMARY KEY (org_id, seq),
  UNIQUE (org_id, op_id)
);

-- The latest state of rows of users, certificates and prescriptions, merged from the entries
-- field by field (the newest HLC wins each field).
CREATE TABLE merged_rows (
  org_id text NOT NULL REFERENCES organisations (id),
  entity text NOT NULL,
  row_id text NOT NULL,
  lookup text,                           -- username, certificate kind or prescription id
  hlc    text NOT NULL,
  data   json NOT NULL,
  clocks json NOT NULL,
  PRIMARY KEY (org_id, entity, row_id)
);
CREATE INDEX merged_rows_lookup ON merged_rows (org_id, entity, lookup, hlc);
