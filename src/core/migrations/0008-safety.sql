-- Version 8: prescribing safety. The rules come from data/safety/ and are loaded by RxDesk
-- itself on every workstation (reference data, never synced, replaced whole when the shipped
-- files change); the reasons prescribers give for overriding severe alerts are synced records.
-- Nothing here depends on migration 7.

-- Interaction rules between two medicines or groups. A key is an INN (lowercase) or an ATC
-- prefix (uppercase); *_except lists INNs or ATC prefixes the key leaves out, '!' between them.
CREATE TABLE safety_interactions (
  id       INTEGER PRIMARY KEY,
  a_key    TEXT NOT NULL CHECK (length (a_key) > 0),
  a_except TEXT,
  b_key    TEXT NOT NULL CHECK (length (b_key) > 0),
  b_except TEXT,
  severity TEXT NOT NULL CHECK (severity IN ('contraindicated', 'major', 'moderate', 'minor')),
  message  TEXT NOT NULL CHECK (length (message) > 0)
);
CREATE INDEX safety_interactions_a ON safety_interactions (a_key);
CREATE INDEX safety_interactions_b ON safety_interactions (b_key);

-- Allergy classes, the names a class goes by (its own and aliases, lowercase), the medicines
-- it covers, and the classes a reaction to it may carry over to.
CREATE TABLE safety_allergy_classes (
  name        TEXT PRIMARY KEY,
  same_class  TEXT NOT NULL CHECK (same_class IN ('contraindicated', 'major', 'moderate', 'minor')),
  description TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE safety_allergy_names (
  name  TEXT PRIMARY KEY,
  class TEXT NOT NULL REFERENCES safety_allergy_classes (name)
) WITHOUT ROWID;

CREATE TABLE safety_allergy_members (
  class       TEXT NOT NULL REFERENCES safety_allergy_classes (name),
  key         TEXT NOT NULL,
  except_keys TEXT,
  PRIMARY KEY (class, key)
) WITHOUT ROWID;

CREATE TABLE safety_cross_sensitivity (
  class    TEXT NOT NULL REFERENCES safety_allergy_classes (name),
  related  TEXT NOT NULL REFERENCES safety_allergy_classes (name),
  severity TEXT NOT NULL CHECK (severity IN ('contraindicated', 'major', 'moderate', 'minor')),
  note     TEXT NOT NULL,
  PRIMARY KEY (class, related)
) WITHOUT ROWID;

-- Usual adult maximum per day (per_days 1) or per week (per_days 7), in mg or units.
-- route: a formulary route, 'parenteral' (any injection) or 'systemic' (every route but the
-- local ones); release: '' (any), 'immediate' or 'modified'.
CREATE TABLE safety_max_doses (
  id       INTEGER PRIMARY KEY,
  inn      TEXT NOT NULL,
  route    TEXT NOT NULL,
  release  TEXT NOT NULL DEFAULT '' CHECK (release IN ('', 'immediate', 'modified')),
  amount   REAL NOT NULL CHECK (amount > 0),
  unit     TEXT NOT NULL CHECK (unit IN ('mg', 'units')),
  per_days INTEGER NOT NULL CHECK (per_days IN (1, 7)),
  note     TEXT NOT NULL
);
CREATE INDEX safety_max_doses_inn ON safety_max_doses (inn);

-- ATC level-4 groups where two members together are usually deliberate.
CREATE TABLE safety_duplicate_exceptions (
  atc_group TEXT PRIMARY KEY CHECK (length (atc_group) = 5),
  note      TEXT NOT NULL
) WITHOUT ROWID;

-- A prescriber's reason for going ahead despite a contraindicated or major alert: one row per
-- alert, written with the prescription. Append-only.
CREATE TABLE safety_overrides (
  id              TEXT PRIMARY KEY,
  org_id          TEXT NOT NULL,
  updated_hlc     TEXT NOT NULL,
  updated_by      TEXT NOT NULL,
  deleted         INTEGER NOT NULL DEFAULT 0 CHECK (deleted = 0),
  prescription_id TEXT NOT NULL REFERENCES prescriptions (id),
  kind            TEXT NOT NULL CHECK (kind IN ('interaction', 'allergy', 'duplicate', 'dose')),
  severity        TEXT NOT NULL
                  CHECK (severity IN ('contraindicated', 'major', 'moderate', 'minor')),
  message         TEXT NOT NULL CHECK (length (message) > 0),
  reason          TEXT NOT NULL CHECK (length (trim (reason)) >= 10),
  at              TEXT NOT NULL
);
CREATE INDEX safety_overrides_rx ON safety_overrides (prescription_id);
CREATE TRIGGER safety_overrides_no_update BEFORE UPDATE ON safety_overrides BEGIN
  SELECT RAISE (ABORT, 'an override is never changed');
END;
CREATE TRIGGER safety_overrides_no_delete BEFORE DELETE ON safety_overrides BEGIN
  SELECT RAISE (ABORT, 'an override is never deleted');
END;
