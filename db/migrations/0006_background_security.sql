-- Background work tables (SPEC 6.12-6.13): tenant isolation, grants, and the ledger version that
-- report caches are keyed by.

SELECT app_apply_tenant_policy('report_exports');
--> statement-breakpoint
SELECT app_apply_tenant_policy('report_schedules');
--> statement-breakpoint
SELECT app_apply_tenant_policy('mail_outbox');
--> statement-breakpoint
SELECT app_apply_tenant_policy('notifications');
--> statement-breakpoint
SELECT app_apply_tenant_policy('ledger_versions');
--> statement-breakpoint
SELECT app_apply_tenant_policy('invitations');
--> statement-breakpoint
SELECT app_apply_tenant_policy('password_resets');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON report_exports, mail_outbox, notifications, ledger_versions, invitations, password_resets TO paksa_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON report_schedules TO paksa_app;
--> statement-breakpoint
-- The back-office outbox viewer reads every tenant's mail (its reads are audited by the app).
CREATE POLICY platform_read ON mail_outbox FOR SELECT TO paksa_platform USING (true);
--> statement-breakpoint
GRANT SELECT ON mail_outbox TO paksa_platform;
--> statement-breakpoint
ALTER TABLE report_exports ADD CONSTRAINT report_exports_progress_check CHECK (progress BETWEEN 0 AND 100);
--> statement-breakpoint
-- A finished export names its file; only a finished one does.
ALTER TABLE report_exports ADD CONSTRAINT report_exports_done_check CHECK ((status = 'done') = (filename IS NOT NULL AND parts IS NOT NULL));
--> statement-breakpoint
ALTER TABLE report_schedules ADD CONSTRAINT report_schedules_recipients_check CHECK (cardinality(recipients) BETWEEN 1 AND 20);
--> statement-breakpoint

-- Ledger version: one counter per tenant, bumped in the same transaction as any change that can
-- alter a report, so no code path can forget to invalidate a cached report.
CREATE OR REPLACE FUNCTION app_bump_ledger_version() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE t uuid := COALESCE(NEW.tenant_id, OLD.tenant_id);
BEGIN
  INSERT INTO ledger_versions AS v (tenant_id, version) VALUES (t, 1)
  ON CONFLICT (tenant_id) DO UPDATE SET version = v.version + 1;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Posting (and reversal, which posts the reversing entry and links the original).
CREATE TRIGGER journal_entries_ledger_version AFTER UPDATE OF status, reversed_by_id ON journal_entries
  FOR EACH ROW WHEN (NEW.status = 'posted') EXECUTE FUNCTION app_bump_ledger_version();
--> statement-breakpoint
CREATE TRIGGER journal_entries_ledger_version_insert AFTER INSERT ON journal_entries
  FOR EACH ROW WHEN (NEW.status = 'posted') EXECUTE FUNCTION app_bump_ledger_version();
--> statement-breakpoint
CREATE TRIGGER accounts_ledger_version AFTER INSERT OR UPDATE OR DELETE ON accounts
  FOR EACH ROW EXECUTE FUNCTION app_bump_ledger_version();
--> statement-breakpoint
CREATE TRIGGER fiscal_periods_ledger_version AFTER UPDATE ON fiscal_periods
  FOR EACH ROW EXECUTE FUNCTION app_bump_ledger_version();
--> statement-breakpoint
CREATE TRIGGER fiscal_years_ledger_version AFTER UPDATE ON fiscal_years
  FOR EACH ROW EXECUTE FUNCTION app_bump_ledger_version();
--> statement-breakpoint
CREATE TRIGGER exchange_rates_ledger_version AFTER INSERT OR UPDATE OR DELETE ON exchange_rates
  FOR EACH ROW EXECUTE FUNCTION app_bump_ledger_version();
--> statement-breakpoint
-- The worker's upkeep job finds exports whose enqueue was lost (ids and status only).
CREATE POLICY platform_read ON report_exports FOR SELECT TO paksa_platform USING (true);
--> statement-breakpoint
GRANT SELECT (tenant_id, id, status, created_at) ON report_exports TO paksa_platform;
--> statement-breakpoint
-- Maintained balances are what reports read: any direct change to them (a recompute with --fix)
-- moves the version too. Statement-level, once per tenant touched.
CREATE OR REPLACE FUNCTION app_bump_ledger_version_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO ledger_versions AS v (tenant_id, version) SELECT DISTINCT tenant_id, 1 FROM changed_rows
  ON CONFLICT (tenant_id) DO UPDATE SET version = v.version + 1;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER account_balances_ledger_version_insert AFTER INSERT ON account_balances
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION app_bump_ledger_version_rows();
--> statement-breakpoint
CREATE TRIGGER account_balances_ledger_version_update AFTER UPDATE ON account_balances
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION app_bump_ledger_version_rows();
