-- Version 3: prescriptions, their items and their status events.
-- The status on the prescription row is the state machine's current state; every change
-- of it is also a row in prescription_events, so two events never overwrite each other.

CREATE TABLE prescriptions (
  id            TEXT PRIMARY KEY,
  org_id        TEXT NOT NULL,
  updated_hlc   TEXT NOT NULL,
  updated_by    TEXT NOT NULL,
  deleted       INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  patient_id    TEXT NOT NULL REFERENCES patients (id),
  prescriber_id TEXT NOT NULL REFERENCES users (id),
  site_id       TEXT REFERENCES sites (id),
  status        TEXT NOT NULL DEFAULT 'draft'
                CHECK (status IN ('draft', 'signed', 'partially_dispensed', 'dispensed',
                                  'cancelled', 'superseded', 'expired')),
  supersedes_id TEXT REFERENCES prescriptions (id),
  notes         TEXT,
  created_at    TEXT NOT NULL,
  signed_at     TEXT
);
CREATE INDEX prescriptions_patient ON prescriptions (patient_id, created_at);
CREATE INDEX prescriptions_status ON prescriptions (status);

CREATE TABLE prescription_items (
  id              TEXT PRIMARY KEY,
  org_id          TEXT NOT NULL,
  updated_hlc     TEXT NOT NULL,
  updated_by      TEXT NOT NULL,
  deleted         INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  prescription_id TEXT NOT NULL REFERENCES prescriptions (id),
  position        INTEGER NOT NULL CHECK (position >= 0),
  product_id      TEXT NOT NULL REFERENCES products (id),
  dose            TEXT,
  frequency       TEXT,
  route           TEXT,
  duration_days   INTEGER CHECK (duration_days IS NULL OR duration_days > 0),
  quantity        INTEGER NOT NULL CHECK (quantity > 0),
  repeats         INTEGER NOT NULL DEFAULT 0 CHECK (repeats BETWEEN 0 AND 12),
  instructions    TEXT,
  UNIQUE (prescription_id, position)
);
CREATE INDEX prescription_items_rx ON prescription_items (prescription_id);

CREATE TABLE prescription_events (
  id              TEXT PRIMARY KEY,
  org_id          TEXT NOT NULL,
  updated_hlc     TEXT NOT NULL,
  updated_by      TEXT NOT NULL,
  deleted         INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  prescription_id TEXT NOT NULL REFERENCES prescriptions (id),
  from_status     TEXT,
  to_status       TEXT NOT NULL,
  reason          TEXT,
  at              TEXT NOT NULL
);
CREATE INDEX prescription_events_rx ON prescription_events (prescription_id, at);
