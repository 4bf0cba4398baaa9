-- Timestamps are stored as UTC wall time (timestamp(3)) and now() is converted with the session's time zone.
-- Connections normally ask for UTC at connect; behind PgBouncer in transaction mode they cannot, so the database's
-- own default is UTC too (existing sessions keep theirs until they reconnect). A role that does not own the
-- database cannot set it: the migration goes on, and the README says to run the statement as the owner.
DO $$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET timezone TO %L', current_database(), 'UTC');
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'not the owner of database %: run ALTER DATABASE % SET timezone TO ''UTC'' as its owner before using PgBouncer', current_database(), current_database();
END
$$;
