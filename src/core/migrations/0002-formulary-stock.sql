-- Version 2: the formulary (medicines, their other names, products and packs) and the
-- stock ledger (batches and signed movements; quantity on hand is their sum).

CREATE TABLE drugs (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL,
  updated_hlc TEXT NOT NULL,
  updated_by  TEXT NOT NULL,
  deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  inn         TEXT NOT NULL UNIQUE CHECK (length (inn) > 0)
);

CREATE TABLE drug_synonyms (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL,
  updated_hlc TEXT NOT NULL,
  updated_by  TEXT NOT NULL,
  deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  drug_id     TEXT NOT NULL REFERENCES drugs (id),
  name        TEXT NOT NULL CHECK (length (name) > 0),
  kind        TEXT NOT NULL CHECK (kind IN ('synonym', 'brand')),
  UNIQUE (drug_id, name)
);

CREATE TABLE products (
  id            TEXT PRIMARY KEY,
  org_id        TEXT NOT NULL,
  updated_hlc   TEXT NOT NULL,
  updated_by    TEXT NOT NULL,
  deleted       INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  code          TEXT NOT NULL UNIQUE,
  drug_id       TEXT NOT NULL REFERENCES drugs (id),
  atc           TEXT NOT NULL CHECK (length (atc) = 7 AND atc GLOB '[A-Z][0-9][0-9][A-Z][A-Z][0-9][0-9]'),
  form          TEXT NOT NULL,
  strength      TEXT NOT NULL,
  route         TEXT NOT NULL,
  rx_only       INTEGER NOT NULL CHECK (rx_only IN (0, 1)),
  controlled    INTEGER NOT NULL CHECK (controlled IN (0, 1)),
  eml           INTEGER NOT NULL DEFAULT 0 CHECK (eml IN (0, 1)),
  reorder_level INTEGER NOT NULL DEFAULT 0 CHECK (reorder_level >= 0),
  gtin          TEXT
);
CREATE INDEX products_drug ON products (drug_id);
CREATE INDEX products_atc ON products (atc);
CREATE INDEX products_gtin ON products (gtin) WHERE gtin IS NOT NULL;

CREATE TABLE packs (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL,
  updated_hlc TEXT NOT NULL,
  updated_by  TEXT NOT NULL,
  deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  product_id  TEXT NOT NULL REFERENCES products (id),
  size        INTEGER NOT NULL CHECK (size > 0),
  unit        TEXT NOT NULL,
  price_minor INTEGER NOT NULL CHECK (price_minor >= 0),
  UNIQUE (product_id, size)
);

-- The search index: one row per product (rowid = products.rowid) with the medicine's
-- generic name, every other name it goes by, and its form and strength.
CREATE VIRTUAL TABLE drug_fts USING fts5 (
  name, synonyms, detail,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3 4'
);
CREATE VIRTUAL TABLE drug_fts_vocab USING fts5vocab (drug_fts, 'col');

CREATE TRIGGER products_fts_ai AFTER INSERT ON products WHEN NEW.deleted = 0 BEGIN
  INSERT INTO drug_fts (rowid, name, synonyms, detail)
  SELECT NEW.rowid, d.inn,
         coalesce ((SELECT group_concat (s.name, ' ') FROM drug_synonyms s
                    WHERE s.drug_id = d.id AND s.deleted = 0), ''),
         NEW.form || ' ' || NEW.strength || ' ' || NEW.route || ' ' || NEW.atc
  FROM drugs d WHERE d.id = NEW.drug_id;
END;
CREATE TRIGGER products_fts_au AFTER UPDATE ON products BEGIN
  DELETE FROM drug_fts WHERE rowid = OLD.rowid;
  INSERT INTO drug_fts (rowid, name, synonyms, detail)
  SELECT NEW.rowid, d.inn,
         coalesce ((SELECT group_concat (s.name, ' ') FROM drug_synonyms s
                    WHERE s.drug_id = d.id AND s.deleted = 0), ''),
         NEW.form || ' ' || NEW.strength || ' ' || NEW.route || ' ' || NEW.atc
  FROM drugs d WHERE d.id = NEW.drug_id AND NEW.deleted = 0;
END;

-- A new or changed name re-indexes every product of that medicine.
CREATE TRIGGER drug_synonyms_fts_ai AFTER INSERT ON drug_synonyms BEGIN
  UPDATE products SET drug_id = drug_id WHERE drug_id = NEW.drug_id;
END;
CREATE TRIGGER drug_synonyms_fts_au AFTER UPDATE ON drug_synonyms BEGIN
  UPDATE products SET drug_id = drug_id WHERE drug_id IN (OLD.drug_id, NEW.drug_id);
END;
CREATE TRIGGER drugs_fts_au AFTER UPDATE OF inn ON drugs BEGIN
  UPDATE products SET drug_id = drug_id WHERE drug_id = NEW.id;
END;

CREATE TABLE stock_batches (
  id              TEXT PRIMARY KEY,
  org_id          TEXT NOT NULL,
  updated_hlc     TEXT NOT NULL,
  updated_by      TEXT NOT NULL,
  deleted         INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  site_id         TEXT NOT NULL REFERENCES sites (id),
  product_id      TEXT NOT NULL REFERENCES products (id),
  lot             TEXT NOT NULL CHECK (length (lot) > 0),
  expiry          TEXT NOT NULL CHECK (expiry GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  gtin            TEXT,
  serial          TEXT,
  supplier        TEXT,
  unit_cost_minor INTEGER CHECK (unit_cost_minor >= 0),
  received_at     TEXT NOT NULL,
  UNIQUE (site_id, product_id, lot)
);
CREATE INDEX stock_batches_product ON stock_batches (product_id, expiry);

-- Signed quantities: receive > 0, dispense < 0, adjust either way. Never updated.
CREATE TABLE stock_movements (
  id             TEXT PRIMARY KEY,
  org_id         TEXT NOT NULL,
  updated_hlc    TEXT NOT NULL,
  updated_by     TEXT NOT NULL,
  deleted        INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  batch_id       TEXT NOT NULL REFERENCES stock_batches (id),
  kind           TEXT NOT NULL CHECK (kind IN ('receive', 'dispense', 'adjust', 'return', 'expire', 'sale')),
  quantity       INTEGER NOT NULL CHECK (quantity <> 0),
  reason         TEXT,
  reference_kind TEXT,
  reference_id   TEXT,
  at             TEXT NOT NULL,
  CHECK ((kind = 'receive' AND quantity > 0) OR
         (kind IN ('dispense', 'return', 'expire', 'sale') AND quantity < 0) OR
         (kind = 'adjust'))
);
CREATE INDEX stock_movements_batch ON stock_movements (batch_id);
CREATE TRIGGER stock_movements_no_update BEFORE UPDATE OF batch_id, kind, quantity ON stock_movements BEGIN
  SELECT RAISE (ABORT, 'stock movements are a ledger: record a correcting movement instead');
END;
