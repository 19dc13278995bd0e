-- Cash and bank, part 3 (issue 14 point 3; SPEC §5 `bank-transactions/{id}/suggestions|match|
-- categorize|unmatch`, `bank-rules`): matching bank lines to GL lines. What the database holds,
-- whatever the application does:
--
-- * A match names a GL line of a POSTED entry on the bank account's own GL account, an entry that is
--   neither reversed nor a reversal (a voided receipt's money never reached the bank), and its amount
--   is that line's signed amount in the bank account's currency: base debit − credit when the bank
--   account keeps the base currency, the entry's own debit − credit otherwise (the GL account then
--   takes only that currency). BANK_MATCH_LINE_INVALID.
-- * A match is inserted or deleted, never changed; a reconciled bank line's matches do neither
--   (BANK_TRANSACTION_RECONCILED).
-- * At commit (DEFERRABLE INITIALLY DEFERRED constraint triggers): a bank line with matches has them
--   sum to its amount exactly, and is `matched` or `reconciled`; a line without matches is not
--   `matched`. BANK_MATCH_UNBALANCED.
-- * An entry with a matched line is not reversed (a matched receipt is unmatched before it is
--   voided): BANK_ENTRY_MATCHED.
-- * A GL line is matched at most once: UNIQUE (tenant_id, journal_line_id), migration 0031.
--
-- The index journal_lines_amount_idx lets the suggestions find the GL lines of one amount on one
-- account without reading the account's other lines (base-currency bank accounts, the usual case).

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
  SELECT jl.account_id, jl.debit - jl.credit AS own, jl.base_debit - jl.base_credit AS base_amount, e.status, e.reversed_by_id, e.reversal_of_id
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
--> statement-breakpoint
CREATE TRIGGER bank_matches_guard BEFORE INSERT OR UPDATE OR DELETE ON bank_matches
  FOR EACH ROW EXECUTE FUNCTION app_bank_matches_guard();
--> statement-breakpoint

-- At commit: the bank line's matches sum to its amount and its status says whether it has any.
CREATE OR REPLACE FUNCTION app_bank_transaction_matched_check(t_tenant uuid, t_id uuid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  t_amount numeric;
  t_status text;
  n integer;
  total numeric;
BEGIN
  SELECT t.amount, t.status INTO t_amount, t_status FROM bank_transactions t WHERE t.tenant_id = t_tenant AND t.id = t_id;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  SELECT count(*), coalesce(sum(m.amount), 0) INTO n, total FROM bank_matches m WHERE m.tenant_id = t_tenant AND m.bank_transaction_id = t_id;
  IF n > 0 AND total <> t_amount THEN
    RAISE EXCEPTION 'BANK_MATCH_UNBALANCED: bank line % is % but its matched GL lines sum to %', t_id, t_amount, total
      USING ERRCODE = 'check_violation';
  END IF;
  IF (n > 0 AND t_status = 'unmatched') OR (n = 0 AND t_status = 'matched') THEN
    RAISE EXCEPTION 'BANK_MATCH_UNBALANCED: bank line % is % with % matched GL lines', t_id, t_status, n
      USING ERRCODE = 'check_violation';
  END IF;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_bank_matches_balanced() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM app_bank_transaction_matched_check(coalesce(NEW.tenant_id, OLD.tenant_id), coalesce(NEW.bank_transaction_id, OLD.bank_transaction_id));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_bank_transactions_matched() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM app_bank_transaction_matched_check(NEW.tenant_id, NEW.id);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER bank_matches_balanced AFTER INSERT OR DELETE ON bank_matches
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION app_bank_matches_balanced();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER bank_transactions_matched AFTER UPDATE OF status ON bank_transactions
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION app_bank_transactions_matched();
--> statement-breakpoint

-- An entry whose line matches a bank line is not reversed until the bank line is unmatched.
CREATE OR REPLACE FUNCTION app_bank_matched_entry_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM bank_matches m JOIN journal_lines jl ON jl.tenant_id = m.tenant_id AND jl.id = m.journal_line_id
             WHERE jl.tenant_id = NEW.tenant_id AND jl.entry_id = NEW.id) THEN
    RAISE EXCEPTION 'BANK_ENTRY_MATCHED: entry % has a line matched to a bank line; unmatch the bank line first', NEW.id
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER journal_entries_bank_matched BEFORE UPDATE OF reversed_by_id ON journal_entries
  FOR EACH ROW WHEN (OLD.reversed_by_id IS NULL AND NEW.reversed_by_id IS NOT NULL)
  EXECUTE FUNCTION app_bank_matched_entry_guard();
--> statement-breakpoint

CREATE INDEX "journal_lines_amount_idx" ON "journal_lines" USING btree ("tenant_id", "account_id", (base_debit - base_credit), "entry_date");
--> statement-breakpoint
CREATE INDEX "bank_matches_rule_idx" ON "bank_matches" USING btree ("tenant_id", "rule_id") WHERE rule_id IS NOT NULL;
