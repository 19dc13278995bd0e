-- Cash and bank, transfers between two foreign currencies (issue 14 point 4: "different currencies
-- with both amounts, FX difference to the FX account"). A journal entry has one currency, and a GL
-- account with a fixed foreign currency has its foreign balance read from its lines' amounts; a
-- USD → GBP transfer is one entry in USD whose GBP bank line must still say how many pounds moved.
--
-- * journal_lines.account_amount: the line's signed amount in its ACCOUNT's own currency (debit
--   positive, credit negative), set only where that differs from the entry's: on a line whose
--   account has a fixed currency that is neither the entry's currency nor the base currency (the
--   base amounts already are a base-currency account's own). Null everywhere else. A fixed-currency
--   account's foreign balance is sum(coalesce(account_amount, debit - credit)).
-- * CHECK: never on a base-only (rounding) line, and with the line's sign.
-- * Trigger: only on such an account (422 LEDGER_CURRENCY_MISMATCH otherwise); an entry with such a
--   line keeps its currency, and an account with such a line its currency. Posted lines stay
--   immutable as before (app_ledger_guard_line), and the reversal carries the negated amount.
-- * The bank match guard of 0032 reads a foreign bank account's line amount the same way.

ALTER TABLE "journal_lines" ADD COLUMN "account_amount" numeric(20, 4);
--> statement-breakpoint
ALTER TABLE journal_lines ADD CONSTRAINT journal_lines_account_amount_check CHECK (
  account_amount IS NULL OR (NOT is_rounding AND CASE WHEN debit > 0 THEN account_amount > 0 ELSE account_amount < 0 END)
);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_ledger_guard_account_amount() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  a_currency text;
  a_code text;
  e_currency text;
  base text;
BEGIN
  SELECT a.currency, a.code INTO a_currency, a_code FROM accounts a WHERE a.tenant_id = NEW.tenant_id AND a.id = NEW.account_id;
  SELECT j.currency INTO e_currency FROM journal_entries j WHERE j.tenant_id = NEW.tenant_id AND j.id = NEW.entry_id;
  SELECT t.base_currency INTO base FROM tenants t WHERE t.id = NEW.tenant_id;
  IF a_currency IS NULL OR a_currency = e_currency OR a_currency = base THEN
    RAISE EXCEPTION 'LEDGER_CURRENCY_MISMATCH: account % takes % and the entry is in %; an amount in the account''s own currency belongs only on a foreign account of another currency than the entry''s',
      a_code, coalesce(a_currency, 'any currency'), e_currency USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER journal_lines_account_amount BEFORE INSERT OR UPDATE ON journal_lines
  FOR EACH ROW WHEN (NEW.account_amount IS NOT NULL) EXECUTE FUNCTION app_ledger_guard_account_amount();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_ledger_guard_account_amount_owner() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'journal_entries' THEN
    IF EXISTS (SELECT 1 FROM journal_lines l WHERE l.tenant_id = NEW.tenant_id AND l.entry_id = NEW.id AND l.account_amount IS NOT NULL) THEN
      RAISE EXCEPTION 'LEDGER_CURRENCY_MISMATCH: entry % has a line in its account''s own currency; it keeps its currency %', NEW.id, OLD.currency
        USING ERRCODE = 'check_violation';
    END IF;
  ELSIF EXISTS (SELECT 1 FROM journal_lines l WHERE l.tenant_id = NEW.tenant_id AND l.account_id = NEW.id AND l.account_amount IS NOT NULL) THEN
    RAISE EXCEPTION 'LEDGER_CURRENCY_MISMATCH: account % has lines in its own currency; it keeps its currency %', NEW.code, OLD.currency
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER journal_entries_account_amount BEFORE UPDATE OF currency ON journal_entries
  FOR EACH ROW WHEN (NEW.currency IS DISTINCT FROM OLD.currency) EXECUTE FUNCTION app_ledger_guard_account_amount_owner();
--> statement-breakpoint
CREATE TRIGGER accounts_account_amount BEFORE UPDATE OF currency ON accounts
  FOR EACH ROW WHEN (NEW.currency IS DISTINCT FROM OLD.currency) EXECUTE FUNCTION app_ledger_guard_account_amount_owner();
--> statement-breakpoint

-- 0032's guard, with a foreign bank account's line amount read as coalesce(account_amount, debit − credit).
CREATE OR REPLACE FUNCTION app_bank_matches_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  m_tenant uuid := coalesce(NEW.tenant_id, OLD.tenant_id);
  m_transaction uuid := coalesce(NEW.bank_transaction_id, OLD.bank_transaction_id);
  t_status text;
  t_reconciliation uuid;
  b_gl uuid;
  b_currency text;
  base text;
  l record;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    -- Deleting a rule sets its matches' rule_id to null (the foreign key's ON DELETE SET NULL).
    IF NEW.rule_id IS NULL AND (to_jsonb(NEW) - 'rule_id') = (to_jsonb(OLD) - 'rule_id') THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION 'BANK_MATCH_IMMUTABLE: a match is made or undone, never changed' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  SELECT t.status, t.reconciliation_id INTO t_status, t_reconciliation
    FROM bank_transactions t WHERE t.tenant_id = m_tenant AND t.id = m_transaction;
  IF t_status = 'reconciled' OR t_reconciliation IS NOT NULL THEN
    RAISE EXCEPTION 'BANK_TRANSACTION_RECONCILED: bank line % is reconciled; its matches no longer change', m_transaction
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  SELECT a.account_id, a.currency INTO b_gl, b_currency FROM bank_accounts a WHERE a.tenant_id = NEW.tenant_id AND a.id = NEW.bank_account_id;
  SELECT tn.base_currency INTO base FROM tenants tn WHERE tn.id = NEW.tenant_id;
  SELECT jl.account_id, coalesce(jl.account_amount, jl.debit - jl.credit) AS own, jl.base_debit - jl.base_credit AS base_amount,
         e.status, e.reversed_by_id, e.reversal_of_id
    INTO l
    FROM journal_lines jl JOIN journal_entries e ON e.tenant_id = jl.tenant_id AND e.id = jl.entry_id
    WHERE jl.tenant_id = NEW.tenant_id AND jl.id = NEW.journal_line_id;
  IF l.status IS DISTINCT FROM 'posted' OR l.account_id IS DISTINCT FROM b_gl THEN
    RAISE EXCEPTION 'BANK_MATCH_LINE_INVALID: GL line % is not a posted line on the bank account''s GL account', NEW.journal_line_id
      USING ERRCODE = 'check_violation';
  END IF;
  IF l.reversed_by_id IS NOT NULL OR l.reversal_of_id IS NOT NULL THEN
    RAISE EXCEPTION 'BANK_MATCH_LINE_INVALID: GL line % belongs to a reversed entry or a reversal', NEW.journal_line_id
      USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.amount <> (CASE WHEN b_currency = base THEN l.base_amount ELSE l.own END) THEN
    RAISE EXCEPTION 'BANK_MATCH_LINE_INVALID: the match''s amount % is not GL line %''s amount in %', NEW.amount, NEW.journal_line_id, b_currency
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
