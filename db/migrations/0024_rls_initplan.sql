-- The tenant policy evaluates the session's tenant once per query instead of once per row.
--
-- `tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid` is a filter PostgreSQL
-- computes for every row a sequential scan reads (current_setting is STABLE, not a constant): a
-- report over 200,000 rows spent more time on it than on its own arithmetic. Written as a scalar
-- subquery, `(SELECT …)`, the planner makes it an InitPlan: computed once, then compared like a
-- parameter (and still usable as an index condition). What a policy allows does not change: the
-- same expression, the same WITH CHECK; without a tenant in the session it is NULL and no row
-- matches. New tenant tables get the same form from app_apply_tenant_policy, and every table that
-- has the standard policy gets it again here.
CREATE OR REPLACE FUNCTION app_apply_tenant_policy(tbl regclass) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %s', tbl);
  EXECUTE format($p$CREATE POLICY tenant_isolation ON %s
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
    WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))$p$, tbl);
END $$;
--> statement-breakpoint
DO $$
DECLARE
  t regclass;
BEGIN
  FOR t IN SELECT format('%I.%I', schemaname, tablename)::regclass FROM pg_policies
            WHERE policyname = 'tenant_isolation' AND schemaname = current_schema() ORDER BY tablename
  LOOP
    PERFORM app_apply_tenant_policy(t);
  END LOOP;
END $$;
