-- General-ledger invariants held by PostgreSQL itself, whatever code writes (SPEC 6.3).
-- Errors carry a stable code as the message's first word so the API can name the refusal.

SELECT app_apply_tenant_policy('accounts');
--> statement-breakpoint
SELECT app_apply_tenant_policy('fiscal_years');
--> statement-breakpoint
SELECT app_apply_tenant_policy('fiscal_periods');
--> statement-breakpoint
SELECT app_apply_tenant_policy('journal_entries');
--> statement-breakpoint
SELECT app_apply_tenant_policy('journal_lines');
--> statement-breakpoint
SELECT app_apply_tenant_policy('entry_counters');
--> statement-breakpoint
SELECT app_apply_tenant_policy('account_balances');
--> statement-breakpoint
SELECT app_apply_tenant_policy('exchange_rates');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON accounts, fiscal_years, fiscal_periods, entry_counters, account_balances TO paksa_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON journal_entries, journal_lines, exchange_rates TO paksa_app;
--> statement-breakpoint

ALTER TABLE accounts ADD CONSTRAINT accounts_type_check CHECK (type IN ('asset','liability','equity','revenue','expense'));
--> statement-breakpoint
-- Each subtype belongs to exactly one type.
ALTER TABLE accounts ADD CONSTRAINT accounts_subtype_check CHECK (
  (type = 'asset' AND subtype IN ('cash','bank','receivable','inventory','prepaid','other_current_asset','fixed_asset','accumulated_depreciation'))
  OR (type = 'liability' AND subtype IN ('payable','tax_payable','accrued_liability','loan','unearned_revenue'))
  OR (type = 'equity' AND subtype IN ('capital','retained_earnings','dividends','drawings'))
  OR (type = 'revenue' AND subtype IN ('operating_revenue','other_income'))
  OR (type = 'expense' AND subtype IN ('cost_of_sales','operating_expense','depreciation','other_expense'))
);
--> statement-breakpoint
ALTER TABLE accounts ADD CONSTRAINT accounts_code_check CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9.-]{0,19}$');
--> statement-breakpoint
ALTER TABLE accounts ADD CONSTRAINT accounts_not_own_parent CHECK (parent_id IS DISTINCT FROM id);
--> statement-breakpoint
ALTER TABLE fiscal_years ADD CONSTRAINT fiscal_years_dates_check CHECK (end_date > start_date);
--> statement-breakpoint
ALTER TABLE fiscal_periods ADD CONSTRAINT fiscal_periods_dates_check CHECK (end_date >= start_date AND number BETWEEN 1 AND 12);
--> statement-breakpoint
ALTER TABLE journal_entries ADD CONSTRAINT journal_entries_number_check CHECK ((status = 'posted') = (number IS NOT NULL));
--> statement-breakpoint
ALTER TABLE journal_entries ADD CONSTRAINT journal_entries_rate_check CHECK (exchange_rate > 0);
--> statement-breakpoint
-- Exactly one positive side; amounts never negative. The rounding line is zero in the entry's
-- currency and carries exactly one positive base side.
ALTER TABLE journal_lines ADD CONSTRAINT journal_lines_one_side_check CHECK (
  debit >= 0 AND credit >= 0 AND base_debit >= 0 AND base_credit >= 0
  AND CASE WHEN is_rounding
    THEN debit = 0 AND credit = 0 AND ((base_debit > 0) <> (base_credit > 0))
    ELSE ((debit > 0) <> (credit > 0)) AND (base_debit = 0 OR debit > 0) AND (base_credit = 0 OR credit > 0)
  END
);
--> statement-breakpoint
ALTER TABLE exchange_rates ADD CONSTRAINT exchange_rates_rate_check CHECK (rate > 0);
--> statement-breakpoint

-- A posted entry balances, in its own currency and in base currency, and has at least two lines.
-- Deferred to commit, so an entry and its lines can be written in any order within a transaction.
CREATE OR REPLACE FUNCTION app_ledger_check_balanced() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  e_id uuid;
  e_tenant uuid;
  e_status text;
  n int;
  d numeric; c numeric; bd numeric; bc numeric;
BEGIN
  IF TG_TABLE_NAME = 'journal_entries' THEN
    e_id := NEW.id; e_tenant := NEW.tenant_id;
  ELSIF TG_OP = 'DELETE' THEN
    e_id := OLD.entry_id; e_tenant := OLD.tenant_id;
  ELSE
    e_id := NEW.entry_id; e_tenant := NEW.tenant_id;
  END IF;
  SELECT status INTO e_status FROM journal_entries WHERE tenant_id = e_tenant AND id = e_id;
  IF e_status IS DISTINCT FROM 'posted' THEN RETURN NULL; END IF;
  SELECT count(*), coalesce(sum(debit),0), coalesce(sum(credit),0), coalesce(sum(base_debit),0), coalesce(sum(base_credit),0)
    INTO n, d, c, bd, bc
    FROM journal_lines WHERE tenant_id = e_tenant AND entry_id = e_id;
  IF n < 2 THEN
    RAISE EXCEPTION 'LEDGER_TOO_FEW_LINES: posted entry % has % line(s)', e_id, n USING ERRCODE = 'check_violation';
  END IF;
  IF d <> c OR bd <> bc THEN
    RAISE EXCEPTION 'LEDGER_UNBALANCED: posted entry % does not balance (debit % credit %, base debit % credit %)', e_id, d, c, bd, bc
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER journal_entries_balanced AFTER INSERT OR UPDATE ON journal_entries
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION app_ledger_check_balanced();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER journal_lines_balanced AFTER INSERT OR UPDATE OR DELETE ON journal_lines
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION app_ledger_check_balanced();
--> statement-breakpoint

-- Posted entries are immutable: never deleted, and the only change allowed is recording, once,
-- the entry that reverses them. Posting (draft → posted) must land in an open period.
CREATE OR REPLACE FUNCTION app_ledger_guard_entry() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status = 'posted' THEN
      RAISE EXCEPTION 'LEDGER_POSTED_IMMUTABLE: posted entry % cannot be deleted', OLD.id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.status = 'posted' THEN
    IF OLD.reversed_by_id IS NULL AND NEW.reversed_by_id IS NOT NULL
       AND (to_jsonb(NEW) - 'reversed_by_id' - 'updated_at') = (to_jsonb(OLD) - 'reversed_by_id' - 'updated_at') THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION 'LEDGER_POSTED_IMMUTABLE: posted entry % cannot be changed', OLD.id USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF NEW.status = 'posted' THEN
    -- FOR SHARE: a period cannot be closed by a concurrent transaction until this posting commits.
    PERFORM 1 FROM fiscal_periods p
     WHERE p.tenant_id = NEW.tenant_id AND p.id = NEW.period_id AND p.status = 'open'
       AND NEW.date BETWEEN p.start_date AND p.end_date
       FOR SHARE;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'LEDGER_PERIOD_CLOSED: % is not in an open period', NEW.date USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER journal_entries_guard BEFORE INSERT OR UPDATE OR DELETE ON journal_entries
  FOR EACH ROW EXECUTE FUNCTION app_ledger_guard_entry();
--> statement-breakpoint

-- Lines of a posted entry are immutable; lines are written while the entry is a draft.
CREATE OR REPLACE FUNCTION app_ledger_guard_line() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  e_tenant uuid := coalesce(NEW.tenant_id, OLD.tenant_id);
  e_id uuid := coalesce(NEW.entry_id, OLD.entry_id);
BEGIN
  IF EXISTS (SELECT 1 FROM journal_entries WHERE tenant_id = e_tenant AND id = e_id AND status = 'posted')
     OR (TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM journal_entries WHERE tenant_id = OLD.tenant_id AND id = OLD.entry_id AND status = 'posted')) THEN
    RAISE EXCEPTION 'LEDGER_POSTED_IMMUTABLE: lines of posted entry % cannot be changed', e_id USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN coalesce(NEW, OLD);
END $$;
--> statement-breakpoint
CREATE TRIGGER journal_lines_guard BEFORE INSERT OR UPDATE OR DELETE ON journal_lines
  FOR EACH ROW EXECUTE FUNCTION app_ledger_guard_line();
--> statement-breakpoint

-- Balances per account and period follow posting, in the posting transaction.
CREATE OR REPLACE FUNCTION app_ledger_apply_balances() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO account_balances AS b (tenant_id, account_id, period_id, debit, credit)
  SELECT l.tenant_id, l.account_id, NEW.period_id, sum(l.base_debit), sum(l.base_credit)
    FROM journal_lines l WHERE l.tenant_id = NEW.tenant_id AND l.entry_id = NEW.id
   GROUP BY l.tenant_id, l.account_id
  ON CONFLICT (tenant_id, account_id, period_id)
  DO UPDATE SET debit = b.debit + excluded.debit, credit = b.credit + excluded.credit;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER journal_entries_balances AFTER UPDATE OF status ON journal_entries
  FOR EACH ROW WHEN (OLD.status = 'draft' AND NEW.status = 'posted')
  EXECUTE FUNCTION app_ledger_apply_balances();
