-- Version 6: what sync needs on a workstation, and the dispensing record whose merge can
-- conflict.
--
-- change_log now also keeps the entries pulled from the server (remote = 1, pushed_seq = the
-- server's sequence number): their op ids make applying a page idempotent, and their payloads
-- are the per-field clocks that last-writer-wins compares with.
ALTER TABLE change_log ADD COLUMN remote INTEGER NOT NULL DEFAULT 0 CHECK (remote IN (0, 1));
CREATE INDEX change_log_row ON change_log (entity, row_id);

-- Entries that could not be applied yet because a row they refer to has not arrived (a role
-- that may not read it, or a page boundary). Retried after every applied page.
CREATE TABLE sync_parked (
  op_id      TEXT PRIMARY KEY,
  server_seq INTEGER NOT NULL,
  entity     TEXT NOT NULL,
  row_id     TEXT NOT NULL,
  hlc        TEXT NOT NULL,
  author     TEXT NOT NULL,
  payload    TEXT NOT NULL CHECK (json_valid (payload)),
  reason     TEXT NOT NULL,
  parked_at  TEXT NOT NULL
) WITHOUT ROWID;

-- One dispensing of one prescription item from one stock batch. The stock movement that goes
-- with it carries reference_kind 'dispensing' and its id. Append-only.
CREATE TABLE dispensings (
  id                   TEXT PRIMARY KEY,
  org_id               TEXT NOT NULL,
  updated_hlc          TEXT NOT NULL,
  updated_by           TEXT NOT NULL,
  deleted              INTEGER NOT NULL DEFAULT 0 CHECK (deleted = 0),
  prescription_id      TEXT NOT NULL REFERENCES prescriptions (id),
  prescription_item_id TEXT NOT NULL REFERENCES prescription_items (id),
  batch_id             TEXT NOT NULL REFERENCES stock_batches (id),
  site_id              TEXT REFERENCES sites (id),
  quantity             INTEGER NOT NULL CHECK (quantity > 0),
  pharmacist_id        TEXT NOT NULL REFERENCES users (id),
  invoice_id           TEXT,
  dispensed_at         TEXT NOT NULL
);
CREATE INDEX dispensings_item ON dispensings (prescription_item_id);
CREATE INDEX dispensings_rx ON dispensings (prescription_id);
CREATE TRIGGER dispensings_no_update BEFORE UPDATE ON dispensings BEGIN
  SELECT RAISE (ABORT, 'a dispensing is never changed; record a return instead');
END;
CREATE TRIGGER dispensings_no_delete BEFORE DELETE ON dispensings BEGIN
  SELECT RAISE (ABORT, 'a dispensing is never deleted; record a return instead');
END;

-- What merging found and will not decide alone: an item dispensed beyond what was
-- prescribed, a batch whose ledger went below zero, a status change the state machine
-- refused. Every workstation that applies the same entries detects the same conflict under
-- the same id (derived from kind and subject), so a resolution made on one travels to all.
CREATE TABLE conflicts (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL,
  updated_hlc TEXT NOT NULL,
  updated_by  TEXT NOT NULL,
  deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  kind        TEXT NOT NULL CHECK (kind IN ('over_dispense', 'negative_stock', 'status')),
  entity      TEXT NOT NULL,
  entity_id   TEXT NOT NULL,
  detail      TEXT NOT NULL,
  state       TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'resolved')),
  detected_at TEXT NOT NULL,
  resolution  TEXT,
  note        TEXT,
  resolved_by TEXT,
  resolved_at TEXT
);
CREATE INDEX conflicts_open ON conflicts (state, detected_at);

-- Why the server refused an entry (kept, never dropped: a person decides what happens to it).
ALTER TABLE change_log ADD COLUMN push_error TEXT;
