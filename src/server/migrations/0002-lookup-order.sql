-- Version 2: rows are found by (organisation, table, lookup) newest first. Without the HLC in
-- the index SQLite preferred walking every row of the table by primary key, which made each
-- push slower as an organisation grew (a signature lookup per prescription).
DROP INDEX merged_rows_lookup;
CREATE INDEX merged_rows_lookup ON merged_rows (org_id, entity, lookup, hlc);
