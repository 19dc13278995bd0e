-- Row-level security, grants and the invariants the identity tables must hold even against
-- application bugs. Each block says which invariant it holds.

-- Tenant tables: RLS enabled and forced, one tenant_isolation policy each.
SELECT app_apply_tenant_policy('memberships');
--> statement-breakpoint
SELECT app_apply_tenant_policy('refresh_tokens');
--> statement-breakpoint
SELECT app_apply_tenant_policy('audit_events');
--> statement-breakpoint
SELECT app_apply_tenant_policy('idempotency_keys');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON memberships, refresh_tokens, idempotency_keys TO paksa_app;
--> statement-breakpoint
-- Audit events are append-only for the app: no UPDATE/DELETE grant, and a trigger below.
GRANT SELECT, INSERT ON audit_events TO paksa_app;
--> statement-breakpoint
-- Only the roles a membership may hold, and at least one of them.
ALTER TABLE memberships ADD CONSTRAINT memberships_roles_check CHECK (
  cardinality(roles) >= 1
  AND roles <@ ARRAY['owner','admin','accountant','ap_clerk','ar_clerk','viewer','auditor']::text[]
);
--> statement-breakpoint
ALTER TABLE tenants ADD CONSTRAINT tenants_slug_check CHECK (slug ~ '^[a-z][a-z0-9-]{1,30}[a-z0-9]$' AND slug NOT LIKE 'xn--%');
--> statement-breakpoint
ALTER TABLE tenants ADD CONSTRAINT tenants_status_check CHECK (status IN ('active', 'suspended'));
--> statement-breakpoint
ALTER TABLE tenants ADD CONSTRAINT tenants_fiscal_month_check CHECK (fiscal_year_start_month BETWEEN 1 AND 12);
--> statement-breakpoint
ALTER TABLE tenants ADD CONSTRAINT tenants_currency_check CHECK (base_currency ~ '^[A-Z]{3}$');
--> statement-breakpoint
ALTER TABLE users ADD CONSTRAINT users_email_lower_check CHECK (email = lower(email));
--> statement-breakpoint
ALTER TABLE platform_admins ADD CONSTRAINT platform_admins_email_lower_check CHECK (email = lower(email));
--> statement-breakpoint

-- Platform tables. The app role sees its own tenant row and the users who are members of it,
-- and may change only its own user row (profile, password). The platform role manages them all.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_self ON tenants FOR SELECT TO paksa_app USING (id = app_current_tenant());
--> statement-breakpoint
CREATE POLICY platform_all ON tenants TO paksa_platform USING (true) WITH CHECK (true);
--> statement-breakpoint
GRANT SELECT ON tenants TO paksa_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON tenants TO paksa_platform;
--> statement-breakpoint
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE users FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY member_read ON users FOR SELECT TO paksa_app
  USING (EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = users.id));
--> statement-breakpoint
CREATE POLICY self_update ON users FOR UPDATE TO paksa_app
  USING (id = app_current_user() AND EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = users.id))
  WITH CHECK (id = app_current_user());
--> statement-breakpoint
CREATE POLICY platform_all ON users TO paksa_platform USING (true) WITH CHECK (true);
--> statement-breakpoint
GRANT SELECT ON users TO paksa_app;
--> statement-breakpoint
GRANT UPDATE (name, password_hash, updated_at) ON users TO paksa_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON users TO paksa_platform;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON platform_admins TO paksa_platform;
--> statement-breakpoint
-- Usage figures in the back-office: the platform role may read memberships, never write them.
CREATE POLICY platform_read ON memberships FOR SELECT TO paksa_platform USING (true);
--> statement-breakpoint
GRANT SELECT ON memberships TO paksa_platform;
--> statement-breakpoint
GRANT SELECT, INSERT ON platform_audit_events TO paksa_platform;
--> statement-breakpoint

-- A tenant admin adds people by e-mail. The app role cannot read platform users outside its
-- tenant, so this definer function finds-or-creates one and returns only its id. It never changes
-- an existing user's name, e-mail or password: `created` tells the caller whether it made one.
CREATE OR REPLACE FUNCTION app_ensure_user(p_email text, p_name text, p_password_hash text)
RETURNS TABLE (user_id uuid, created boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF app_current_tenant() IS NULL THEN
    RAISE EXCEPTION 'app_ensure_user needs a tenant context' USING ERRCODE = 'insufficient_privilege';
  END IF;
  INSERT INTO users (email, name, password_hash) VALUES (lower(p_email), p_name, p_password_hash)
  ON CONFLICT (email) DO NOTHING
  RETURNING users.id, true INTO user_id, created;
  IF user_id IS NULL THEN
    SELECT u.id, false INTO user_id, created FROM users u WHERE u.email = lower(p_email);
  END IF;
  RETURN NEXT;
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_ensure_user(text, text, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_ensure_user(text, text, text) TO paksa_app;
--> statement-breakpoint

-- Audit chain. The hash covers every column but itself, serialised as a JSON array (unambiguous).
CREATE OR REPLACE FUNCTION app_audit_hash(e audit_events) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to(jsonb_build_array(
    e.prev_hash, e.seq, e.tenant_id, e.id,
    to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    e.actor_type, e.actor_id, e.action, e.entity_type, e.entity_id,
    e.before, e.after, e.request_id, e.ip, e.user_agent
  )::text, 'UTF8')), 'hex')
$$;
--> statement-breakpoint
-- Fills seq/prev_hash/hash. The per-tenant advisory lock serialises writers, so each event links to
-- the one committed before it and seq has no forks.
CREATE OR REPLACE FUNCTION app_audit_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  last_seq bigint;
  last_hash text;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('audit:' || NEW.tenant_id::text, 0));
  SELECT seq, hash INTO last_seq, last_hash FROM audit_events
   WHERE tenant_id = NEW.tenant_id ORDER BY seq DESC LIMIT 1;
  NEW.seq := coalesce(last_seq, 0) + 1;
  NEW.prev_hash := coalesce(last_hash, repeat('0', 64));
  NEW.occurred_at := date_trunc('microseconds', NEW.occurred_at);
  NEW.hash := app_audit_hash(NEW);
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events
  FOR EACH ROW EXECUTE FUNCTION app_audit_chain();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit events are append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION app_audit_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION app_audit_append_only();
