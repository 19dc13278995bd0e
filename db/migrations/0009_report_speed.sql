-- Posted movements per account and day, kept by posting like account_balances, so a report as of a
-- date inside a period reads the closed-period balances plus at most one period's days — a few
-- hundred rows — instead of that period's lines (bench/README.md: the lines cost more than
-- scanning the whole ledger, since their entries are found by a scan of journal_entries).
CREATE TABLE "account_day_balances" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"day" date NOT NULL,
	"account_id" uuid NOT NULL,
	"debit" numeric(20, 4) DEFAULT '0' NOT NULL,
	"credit" numeric(20, 4) DEFAULT '0' NOT NULL,
	-- Day first: a report reads every account over a range of days.
	CONSTRAINT "account_day_balances_pkey" PRIMARY KEY("tenant_id","day","account_id"),
	CONSTRAINT "account_day_balances_account_fkey" FOREIGN KEY ("tenant_id","account_id") REFERENCES "accounts"("tenant_id","id")
);
--> statement-breakpoint
SELECT app_apply_tenant_policy('account_day_balances');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON account_day_balances TO paksa_app;
--> statement-breakpoint
-- Follows posting in the posting transaction, after journal_entries_balances (triggers fire in name
-- order), in account order so two postings never take the same rows in opposite orders.
CREATE OR REPLACE FUNCTION app_ledger_apply_day_balances() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO account_day_balances AS b (tenant_id, day, account_id, debit, credit)
  SELECT l.tenant_id, l.entry_date, l.account_id, sum(l.base_debit), sum(l.base_credit)
    FROM journal_lines l WHERE l.tenant_id = NEW.tenant_id AND l.entry_id = NEW.id
   GROUP BY l.tenant_id, l.entry_date, l.account_id
   ORDER BY l.entry_date, l.account_id
  ON CONFLICT (tenant_id, day, account_id)
  DO UPDATE SET debit = b.debit + excluded.debit, credit = b.credit + excluded.credit;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER journal_entries_day_balances AFTER UPDATE OF status ON journal_entries
  FOR EACH ROW WHEN (OLD.status = 'draft' AND NEW.status = 'posted')
  EXECUTE FUNCTION app_ledger_apply_day_balances();
--> statement-breakpoint
-- The ledgers posted before this migration (as the migrating role, which bypasses row-level
-- security like every migration here). SHARE locks out postings until this commits, so none is
-- missed between this snapshot and the trigger above becoming visible.
LOCK TABLE journal_entries IN SHARE MODE;
--> statement-breakpoint
INSERT INTO account_day_balances (tenant_id, day, account_id, debit, credit)
SELECT l.tenant_id, l.entry_date, l.account_id, sum(l.base_debit), sum(l.base_credit)
  FROM journal_lines l JOIN journal_entries e ON e.tenant_id = l.tenant_id AND e.id = l.entry_id
 WHERE e.status = 'posted'
 GROUP BY 1, 2, 3;
--> statement-breakpoint
-- Reports read these rows: a direct change (ledger:recompute --fix) moves the ledger version too.
CREATE TRIGGER account_day_balances_ledger_version_insert AFTER INSERT ON account_day_balances
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION app_bump_ledger_version_rows();
--> statement-breakpoint
CREATE TRIGGER account_day_balances_ledger_version_update AFTER UPDATE ON account_day_balances
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION app_bump_ledger_version_rows();
