-- Version 7: what dispensing and the daily closing read often. The dispensings table itself
-- came with version 6; a dispense's stock movement names it (reference_kind 'dispensing'),
-- and the daily (Z) report sums payments by when they were taken.
CREATE INDEX stock_movements_reference ON stock_movements (reference_kind, reference_id)
  WHERE reference_id IS NOT NULL;
CREATE INDEX payments_at ON payments (at);
CREATE INDEX invoices_issued ON invoices (issued_at) WHERE issued_at IS NOT NULL;
