-- Version 4: invoices, their lines and payments; appointments; medicine orders and their
-- status events; alerts; feedback.

CREATE TABLE invoices (
  id            TEXT PRIMARY KEY,
  org_id        TEXT NOT NULL,
  updated_hlc   TEXT NOT NULL,
  updated_by    TEXT NOT NULL,
  deleted       INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  site_id       TEXT NOT NULL REFERENCES sites (id),
  till          TEXT NOT NULL,
  number        INTEGER NOT NULL CHECK (number > 0),
  kind          TEXT NOT NULL DEFAULT 'invoice' CHECK (kind IN ('invoice', 'credit_note')),
  refers_to_id  TEXT REFERENCES invoices (id),
  patient_id    TEXT REFERENCES patients (id),
  status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'issued', 'paid')),
  currency      TEXT NOT NULL,
  total_minor   INTEGER NOT NULL DEFAULT 0,
  tax_minor     INTEGER NOT NULL DEFAULT 0,
  prev_hash     TEXT,
  hash          TEXT,
  created_at    TEXT NOT NULL,
  issued_at     TEXT,
  UNIQUE (site_id, till, number),
  CHECK ((kind = 'credit_note') = (refers_to_id IS NOT NULL))
);

CREATE TABLE invoice_lines (
  id               TEXT PRIMARY KEY,
  org_id           TEXT NOT NULL,
  updated_hlc      TEXT NOT NULL,
  updated_by       TEXT NOT NULL,
  deleted          INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  invoice_id       TEXT NOT NULL REFERENCES invoices (id),
  position         INTEGER NOT NULL CHECK (position >= 0),
  product_id       TEXT REFERENCES products (id),
  description      TEXT NOT NULL CHECK (length (description) > 0),
  quantity         INTEGER NOT NULL CHECK (quantity <> 0),
  unit_price_minor INTEGER NOT NULL CHECK (unit_price_minor >= 0),
  discount_minor   INTEGER NOT NULL DEFAULT 0 CHECK (discount_minor >= 0),
  tax_rate_bp      INTEGER NOT NULL DEFAULT 0 CHECK (tax_rate_bp BETWEEN 0 AND 10000),
  total_minor      INTEGER NOT NULL,
  reference_kind   TEXT,
  reference_id     TEXT,
  UNIQUE (invoice_id, position)
);
CREATE INDEX invoice_lines_invoice ON invoice_lines (invoice_id);

CREATE TABLE payments (
  id           TEXT PRIMARY KEY,
  org_id       TEXT NOT NULL,
  updated_hlc  TEXT NOT NULL,
  updated_by   TEXT NOT NULL,
  deleted      INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  invoice_id   TEXT NOT NULL REFERENCES invoices (id),
  method       TEXT NOT NULL CHECK (method IN ('cash', 'card', 'insurance')),
  amount_minor INTEGER NOT NULL CHECK (amount_minor <> 0),
  reference    TEXT,
  at           TEXT NOT NULL
);
CREATE INDEX payments_invoice ON payments (invoice_id);

CREATE TABLE appointments (
  id           TEXT PRIMARY KEY,
  org_id       TEXT NOT NULL,
  updated_hlc  TEXT NOT NULL,
  updated_by   TEXT NOT NULL,
  deleted      INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  patient_id   TEXT NOT NULL REFERENCES patients (id),
  clinician_id TEXT REFERENCES users (id),
  site_id      TEXT REFERENCES sites (id),
  starts_at    TEXT NOT NULL,
  ends_at      TEXT NOT NULL,
  status       TEXT NOT NULL DEFAULT 'booked'
               CHECK (status IN ('booked', 'checked_in', 'completed', 'cancelled', 'no_show')),
  reason       TEXT,
  CHECK (ends_at > starts_at)
);
CREATE INDEX appointments_starts ON appointments (starts_at);
CREATE INDEX appointments_patient ON appointments (patient_id);

CREATE TABLE medicine_orders (
  id              TEXT PRIMARY KEY,
  org_id          TEXT NOT NULL,
  updated_hlc     TEXT NOT NULL,
  updated_by      TEXT NOT NULL,
  deleted         INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  patient_id      TEXT NOT NULL REFERENCES patients (id),
  site_id         TEXT REFERENCES sites (id),
  prescription_id TEXT REFERENCES prescriptions (id),
  channel         TEXT NOT NULL DEFAULT 'counter' CHECK (channel IN ('assistant', 'counter', 'phone')),
  status          TEXT NOT NULL DEFAULT 'placed'
                  CHECK (status IN ('placed', 'verified', 'packed', 'out_for_delivery',
                                    'delivered', 'cancelled')),
  delivery_address TEXT,
  created_at      TEXT NOT NULL
);
CREATE INDEX medicine_orders_patient ON medicine_orders (patient_id);

CREATE TABLE medicine_order_items (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL,
  updated_hlc TEXT NOT NULL,
  updated_by  TEXT NOT NULL,
  deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  order_id    TEXT NOT NULL REFERENCES medicine_orders (id),
  product_id  TEXT NOT NULL REFERENCES products (id),
  quantity    INTEGER NOT NULL CHECK (quantity > 0)
);
CREATE INDEX medicine_order_items_order ON medicine_order_items (order_id);

CREATE TABLE order_events (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL,
  updated_hlc TEXT NOT NULL,
  updated_by  TEXT NOT NULL,
  deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  order_id    TEXT NOT NULL REFERENCES medicine_orders (id),
  status      TEXT NOT NULL
              CHECK (status IN ('placed', 'verified', 'packed', 'out_for_delivery',
                                'delivered', 'cancelled')),
  note        TEXT,
  at          TEXT NOT NULL
);
CREATE INDEX order_events_order ON order_events (order_id, at);

CREATE TABLE alerts (
  id              TEXT PRIMARY KEY,
  org_id          TEXT NOT NULL,
  updated_hlc     TEXT NOT NULL,
  updated_by      TEXT NOT NULL,
  deleted         INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  kind            TEXT NOT NULL CHECK (kind IN ('emergency', 'safety', 'stock', 'sync', 'system')),
  severity        TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  patient_id      TEXT REFERENCES patients (id),
  message         TEXT NOT NULL CHECK (length (message) > 0),
  created_at      TEXT NOT NULL,
  acknowledged_by TEXT REFERENCES users (id),
  acknowledged_at TEXT
);
CREATE INDEX alerts_open ON alerts (created_at) WHERE acknowledged_at IS NULL;

CREATE TABLE feedback (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL,
  updated_hlc TEXT NOT NULL,
  updated_by  TEXT NOT NULL,
  deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  rating      INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
  about_kind  TEXT CHECK (about_kind IN ('visit', 'prescription', 'order', 'app')),
  about_id    TEXT,
  text        TEXT NOT NULL DEFAULT '',
  author_kind TEXT NOT NULL DEFAULT 'staff' CHECK (author_kind IN ('doctor', 'patient', 'staff')),
  author_id   TEXT,
  state       TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'acknowledged', 'replied')),
  reply       TEXT,
  created_at  TEXT NOT NULL
);

-- Once issued, an invoice is part of the till's chain: its lines, totals and hashes never
-- change again (a credit note corrects it) and payments are never rewritten.
CREATE TRIGGER invoices_frozen BEFORE UPDATE ON invoices
WHEN OLD.status <> 'open' AND (
  NEW.number IS NOT OLD.number OR NEW.till IS NOT OLD.till OR NEW.site_id IS NOT OLD.site_id OR
  NEW.kind IS NOT OLD.kind OR NEW.refers_to_id IS NOT OLD.refers_to_id OR
  NEW.patient_id IS NOT OLD.patient_id OR NEW.currency IS NOT OLD.currency OR
  NEW.total_minor IS NOT OLD.total_minor OR NEW.tax_minor IS NOT OLD.tax_minor OR
  NEW.prev_hash IS NOT OLD.prev_hash OR NEW.hash IS NOT OLD.hash OR
  NEW.issued_at IS NOT OLD.issued_at OR NEW.deleted <> OLD.deleted OR NEW.status = 'open')
BEGIN
  SELECT RAISE (ABORT, 'an issued invoice cannot change; issue a credit note instead');
END;

CREATE TRIGGER invoice_lines_frozen_insert BEFORE INSERT ON invoice_lines
WHEN (SELECT status FROM invoices WHERE id = NEW.invoice_id) <> 'open'
BEGIN
  SELECT RAISE (ABORT, 'an issued invoice cannot change; issue a credit note instead');
END;

CREATE TRIGGER invoice_lines_frozen_update BEFORE UPDATE ON invoice_lines
WHEN (SELECT status FROM invoices WHERE id = OLD.invoice_id) <> 'open'
BEGIN
  SELECT RAISE (ABORT, 'an issued invoice cannot change; issue a credit note instead');
END;

CREATE TRIGGER invoice_lines_no_delete BEFORE DELETE ON invoice_lines BEGIN
  SELECT RAISE (ABORT, 'invoice lines are never deleted');
END;

CREATE TRIGGER payments_no_update BEFORE UPDATE ON payments BEGIN
  SELECT RAISE (ABORT, 'payments are never changed; record a refund instead');
END;

CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments BEGIN
  SELECT RAISE (ABORT, 'payments are never deleted; record a refund instead');
END;

CREATE INDEX invoices_chain ON invoices (site_id, till, issued_at) WHERE issued_at IS NOT NULL;
