-- Version 13: a password an administrator set (a reset) is the user's to replace: they are
-- asked for their own at their next login. Their own change clears it.
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0
  CHECK (must_change_password IN (0, 1));
