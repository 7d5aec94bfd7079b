-- RxDesk clinic database, version 1: the organisation, its people and patients, the audit
-- trail and the change log that sync reads.
--
-- Every synced table carries id (UUIDv7), org_id, updated_hlc, updated_by and deleted
-- (a tombstone: rows are never removed, so a deletion can travel through sync).

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT
) WITHOUT ROWID;

CREATE TABLE organisations (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL,
  updated_hlc TEXT NOT NULL,
  updated_by  TEXT NOT NULL,
  deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  name        TEXT NOT NULL CHECK (length (name) > 0)
);

CREATE TABLE sites (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL,
  updated_hlc TEXT NOT NULL,
  updated_by  TEXT NOT NULL,
  deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  name        TEXT NOT NULL CHECK (length (name) > 0),
  kind        TEXT NOT NULL CHECK (kind IN ('clinic', 'pharmacy', 'clinic+pharmacy')),
  address     TEXT
);

CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  org_id        TEXT NOT NULL,
  updated_hlc   TEXT NOT NULL,
  updated_by    TEXT NOT NULL,
  deleted       INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  username      TEXT NOT NULL UNIQUE CHECK (length (username) BETWEEN 2 AND 64),
  full_name     TEXT NOT NULL CHECK (length (full_name) > 0),
  role          TEXT NOT NULL CHECK (role IN ('admin', 'doctor', 'pharmacist', 'receptionist')),
  state         TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'locked', 'disabled')),
  password_hash TEXT,
  site_id       TEXT REFERENCES sites (id),
  created_at    TEXT NOT NULL
);

CREATE TABLE patients (
  id            TEXT PRIMARY KEY,
  org_id        TEXT NOT NULL,
  updated_hlc   TEXT NOT NULL,
  updated_by    TEXT NOT NULL,
  deleted       INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  record_number TEXT NOT NULL UNIQUE,
  family_name   TEXT NOT NULL CHECK (length (family_name) > 0),
  given_names   TEXT NOT NULL DEFAULT '',
  birth_date    TEXT NOT NULL CHECK (birth_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  sex           TEXT NOT NULL DEFAULT 'X' CHECK (sex IN ('M', 'F', 'X')),
  phone         TEXT,
  address       TEXT,
  created_at    TEXT NOT NULL
);

CREATE TABLE patient_allergies (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL,
  updated_hlc TEXT NOT NULL,
  updated_by  TEXT NOT NULL,
  deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  patient_id  TEXT NOT NULL REFERENCES patients (id),
  allergen    TEXT NOT NULL CHECK (length (allergen) > 0),
  reaction    TEXT,
  severity    TEXT NOT NULL DEFAULT 'unknown'
              CHECK (severity IN ('mild', 'moderate', 'severe', 'unknown'))
);
CREATE INDEX patient_allergies_patient ON patient_allergies (patient_id);

-- Names, record number and birth date, searchable as the receptionist types.
CREATE VIRTUAL TABLE patients_fts USING fts5 (
  names, record_number, birth_date,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '1 2 3'
);

CREATE TRIGGER patients_fts_ai AFTER INSERT ON patients WHEN NEW.deleted = 0 BEGIN
  INSERT INTO patients_fts (rowid, names, record_number, birth_date)
  VALUES (NEW.rowid, NEW.given_names || ' ' || NEW.family_name, NEW.record_number, NEW.birth_date);
END;
CREATE TRIGGER patients_fts_au AFTER UPDATE ON patients BEGIN
  DELETE FROM patients_fts WHERE rowid = OLD.rowid;
  INSERT INTO patients_fts (rowid, names, record_number, birth_date)
  SELECT NEW.rowid, NEW.given_names || ' ' || NEW.family_name, NEW.record_number, NEW.birth_date
  WHERE NEW.deleted = 0;
END;

-- Append-only; each event carries the hash of the one before it on the same workstation.
CREATE TABLE audit_events (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL,
  updated_hlc TEXT NOT NULL,
  updated_by  TEXT NOT NULL,
  deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted = 0),
  at          TEXT NOT NULL,
  actor       TEXT NOT NULL,
  workstation TEXT NOT NULL,
  action      TEXT NOT NULL,
  entity      TEXT NOT NULL,
  entity_id   TEXT,
  detail      TEXT,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL
);
CREATE INDEX audit_events_entity ON audit_events (entity, entity_id);
CREATE INDEX audit_events_at ON audit_events (at);
CREATE INDEX audit_events_workstation ON audit_events (workstation);

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events BEGIN
  SELECT RAISE (ABORT, 'audit events are append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events BEGIN
  SELECT RAISE (ABORT, 'audit events are append-only');
END;

-- What sync pushes: one entry per write, in the same transaction as the write.
-- payload is a JSON object of the columns written; pushed_seq is the server's sequence
-- number once the server accepted it.
CREATE TABLE change_log (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  op_id      TEXT NOT NULL UNIQUE,
  entity     TEXT NOT NULL,
  row_id     TEXT NOT NULL,
  hlc        TEXT NOT NULL,
  author     TEXT NOT NULL,
  payload    TEXT NOT NULL CHECK (json_valid (payload)),
  pushed_seq INTEGER
);
CREATE INDEX change_log_unpushed ON change_log (seq) WHERE pushed_seq IS NULL;
