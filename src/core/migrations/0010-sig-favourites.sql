-- Version 9: a prescriber's favourite directions ("sigs") for a medicine, to write them again
-- in one step. Each belongs to one prescriber and syncs to their other workstations.
-- Nothing here depends on migrations after 5.

CREATE TABLE sig_favourites (
  id            TEXT PRIMARY KEY,
  org_id        TEXT NOT NULL,
  updated_hlc   TEXT NOT NULL,
  updated_by    TEXT NOT NULL,
  deleted       INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  user_id       TEXT NOT NULL REFERENCES users (id),
  product_id    TEXT NOT NULL REFERENCES products (id),
  label         TEXT NOT NULL CHECK (length (trim (label)) > 0),
  dose          TEXT,
  frequency     TEXT,
  route         TEXT,
  duration_days INTEGER CHECK (duration_days IS NULL OR duration_days > 0),
  quantity      INTEGER NOT NULL CHECK (quantity > 0),
  repeats       INTEGER NOT NULL DEFAULT 0 CHECK (repeats BETWEEN 0 AND 12),
  instructions  TEXT,
  created_at    TEXT NOT NULL
);
CREATE INDEX sig_favourites_user ON sig_favourites (user_id, product_id);
