-- Version 10: a tax rate per product. NULL means the clinic's default rate, kept in meta as
-- "tax_rate_bp" (basis points: 2000 = 20 %), 0 until the clinic sets one. An invoice line
-- keeps the rate it was sold at, so a later change of rate never alters an issued invoice.

ALTER TABLE products ADD COLUMN tax_rate_bp INTEGER
  CHECK (tax_rate_bp IS NULL OR tax_rate_bp BETWEEN 0 AND 10000);

INSERT OR IGNORE INTO meta (key, value) VALUES ('tax_rate_bp', '0');
