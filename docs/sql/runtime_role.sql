-- The role the application runs as: it reads and writes rows, and owns nothing, so it cannot
-- disable, drop or alter the append-only triggers, nor TRUNCATE (docs/operations.md).
-- Run as the owner of the tables (the role migrations run as), once per database:
--   psql "$OWNER_DATABASE_URL" -v app=careteams_app -f docs/sql/runtime_role.sql
-- The role itself is made beforehand by a superuser: CREATE ROLE careteams_app LOGIN PASSWORD '…';
GRANT USAGE ON SCHEMA public TO :"app";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app";
-- Tables and sequences that later migrations (run by the owner) create get the same grants.
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO :"app";
