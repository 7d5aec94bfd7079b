-- Version 5: what signing, second factors and emergency access need.

-- The clinic's own certificate authority and the certificates it issued (one per doctor key).
-- Private keys are stored encrypted (PKCS#8, PBES2 AES-256); their passphrases live only in
-- the desktop keyring. A certificate is revoked by setting revoked_at, never by deletion, so
-- the list of revoked serials travels with sync like any other row.
CREATE TABLE certificates (
  id            TEXT PRIMARY KEY,
  org_id        TEXT NOT NULL,
  updated_hlc   TEXT NOT NULL,
  updated_by    TEXT NOT NULL,
  deleted       INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  kind          TEXT NOT NULL CHECK (kind IN ('ca', 'signing')),
  user_id       TEXT REFERENCES users (id),
  serial        TEXT NOT NULL UNIQUE,
  subject       TEXT NOT NULL,
  certificate   TEXT NOT NULL,          -- PEM
  private_key   TEXT,                   -- encrypted PKCS#8 PEM
  not_before    TEXT NOT NULL,
  not_after     TEXT NOT NULL,
  revoked_at    TEXT,
  revoke_reason TEXT,
  CHECK ((kind = 'ca') = (user_id IS NULL))
);
CREATE INDEX certificates_user ON certificates (user_id);

-- A signed prescription: the exact bytes that were signed, the signature and the certificate
-- it was made with. Never changed; a new version supersedes.
CREATE TABLE prescription_signatures (
  id              TEXT PRIMARY KEY,
  org_id          TEXT NOT NULL,
  updated_hlc     TEXT NOT NULL,
  updated_by      TEXT NOT NULL,
  deleted         INTEGER NOT NULL DEFAULT 0 CHECK (deleted = 0),
  prescription_id TEXT NOT NULL UNIQUE REFERENCES prescriptions (id),
  certificate_id  TEXT NOT NULL REFERENCES certificates (id),
  algorithm       TEXT NOT NULL,
  signed_bytes    TEXT NOT NULL,          -- canonical JSON of the prescription
  signature       TEXT NOT NULL,          -- base64
  second_factor   INTEGER NOT NULL DEFAULT 0 CHECK (second_factor IN (0, 1)),
  signed_at       TEXT NOT NULL
);
CREATE TRIGGER prescription_signatures_no_update BEFORE UPDATE ON prescription_signatures BEGIN
  SELECT RAISE (ABORT, 'a signature is never changed; supersede the prescription instead');
END;
CREATE TRIGGER prescription_signatures_no_delete BEFORE DELETE ON prescription_signatures BEGIN
  SELECT RAISE (ABORT, 'a signature is never deleted');
END;

-- A signed prescription's content is frozen: its items cannot change once signed.
CREATE TRIGGER prescription_items_frozen BEFORE UPDATE ON prescription_items
WHEN (SELECT status FROM prescriptions WHERE id = OLD.prescription_id) <> 'draft'
BEGIN
  SELECT RAISE (ABORT, 'a signed prescription cannot be edited; supersede it instead');
END;
CREATE TRIGGER prescription_items_frozen_insert BEFORE INSERT ON prescription_items
WHEN (SELECT status FROM prescriptions WHERE id = NEW.prescription_id) <> 'draft'
BEGIN
  SELECT RAISE (ABORT, 'a signed prescription cannot be edited; supersede it instead');
END;

-- Time-based one-time passwords (RFC 6238). The seed is encrypted with a key derived from the
-- user's password (so it is useless without it); last_step refuses a code used before.
CREATE TABLE user_totp (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL,
  updated_hlc TEXT NOT NULL,
  updated_by  TEXT NOT NULL,
  deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  user_id     TEXT NOT NULL UNIQUE REFERENCES users (id),
  secret      TEXT NOT NULL,          -- base64 (salt, nonce, AES-256-GCM ciphertext and tag)
  enrolled_at TEXT NOT NULL,
  last_step   INTEGER NOT NULL DEFAULT 0
);

-- Emergency ("break-glass") access to a record the user's role would not open: a reason,
-- an expiry, and the audit trail around it.
CREATE TABLE break_glass (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL,
  updated_hlc TEXT NOT NULL,
  updated_by  TEXT NOT NULL,
  deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  user_id     TEXT NOT NULL REFERENCES users (id),
  patient_id  TEXT NOT NULL REFERENCES patients (id),
  reason      TEXT NOT NULL CHECK (length (reason) >= 10),
  started_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL CHECK (expires_at > started_at)
);
CREATE INDEX break_glass_user ON break_glass (user_id, expires_at);

-- Failed logins on this workstation (not synced: back-off protects this machine).
CREATE TABLE login_failures (
  username     TEXT PRIMARY KEY,
  failures     INTEGER NOT NULL DEFAULT 0,
  last_failure TEXT NOT NULL
) WITHOUT ROWID;

-- A patient whose record is restricted (staff, a public figure, a sensitive case): opening it
-- needs emergency access with a reason, unless the user is an administrator.
ALTER TABLE patients ADD COLUMN restricted INTEGER NOT NULL DEFAULT 0 CHECK (restricted IN (0, 1));
