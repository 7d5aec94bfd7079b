-- A signed prescription's items stay frozen, but an item written before the signature (by
-- HLC) is part of what was signed, and may reach another workstation after the signature:
-- the workstation that wrote it sends a prescription's entries over more than one push when
-- they straddle a batch, and the server then files the earlier ones after the signature. So
-- an item may still be written into a signed prescription when its clock reading precedes the
-- signature's; anything written after signing is refused as before. Locally the clock only
-- moves forward, so this changes nothing for edits made on this workstation.
DROP TRIGGER prescription_items_frozen;
DROP TRIGGER prescription_items_frozen_insert;

-- An update must also be a newer version (a later clock reading than the row has): an edit
-- that keeps the row's clock is an edit behind the write path's back.
CREATE TRIGGER prescription_items_frozen BEFORE UPDATE ON prescription_items
WHEN (SELECT status FROM prescriptions WHERE id = OLD.prescription_id) <> 'draft'
 AND NOT (NEW.updated_hlc > OLD.updated_hlc
          AND EXISTS (SELECT 1 FROM prescription_signatures s
                      WHERE s.prescription_id = NEW.prescription_id
                        AND NEW.updated_hlc < s.updated_hlc))
BEGIN
  SELECT RAISE (ABORT, 'a signed prescription cannot be edited; supersede it instead');
END;

CREATE TRIGGER prescription_items_frozen_insert BEFORE INSERT ON prescription_items
WHEN (SELECT status FROM prescriptions WHERE id = NEW.prescription_id) <> 'draft'
 AND NOT EXISTS (SELECT 1 FROM prescription_signatures s
                 WHERE s.prescription_id = NEW.prescription_id
                   AND NEW.updated_hlc < s.updated_hlc)
BEGIN
  SELECT RAISE (ABORT, 'a signed prescription cannot be edited; supersede it instead');
END;
