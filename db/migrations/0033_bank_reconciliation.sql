-- Cash and bank, part 4 (issue 14 points 4 and 5): reconciliation and transfers. What the database
-- holds, whatever the application does:
--
-- * A bank line is `reconciled` exactly when it names a reconciliation (CHECK); it becomes reconciled
--   only from `matched`, into an OPEN reconciliation of its account (completing writes the lines,
--   then the status), and leaves `reconciled` only while its reconciliation is open again (undo
--   reopens the session first): 422 BANK_TRANSACTION_RECONCILED otherwise.
-- * The matches of a reconciled bank line are frozen: none added, changed or deleted (migration
--   0032's bank_matches_guard, which refuses any change to a line that is reconciled or names a
--   reconciliation).
-- * A reconciliation completes only when opening balance + its lines = the statement's ending
--   balance (422 RECONCILIATION_DIFFERENCE); a completed one never changes its figures, and goes
--   back to open only when it is the latest completed one of its account (422
--   RECONCILIATION_NOT_LATEST). A new session's statement date is after every completed one's
--   (422 RECONCILIATION_DATE_INVALID). Nothing is ever deleted (no DELETE grant).
-- * A journal entry one of whose lines is matched to a reconciled bank line cannot be reversed
--   (422 LEDGER_LINE_RECONCILED): undo the reconciliation first.

ALTER TABLE "bank_transactions" ADD CONSTRAINT "bank_transactions_reconciled_check" CHECK ((status = 'reconciled') = (reconciliation_id IS NOT NULL));
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_bank_transactions_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  rec_status text;
BEGIN
  IF TG_OP = 'DELETE'
     OR (to_jsonb(NEW) - 'status' - 'reconciliation_id' - 'updated_at')
        <> (to_jsonb(OLD) - 'status' - 'reconciliation_id' - 'updated_at') THEN
    RAISE EXCEPTION 'BANK_TRANSACTION_IMMUTABLE: an imported bank line is kept as the bank sent it' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF OLD.status = 'reconciled' AND (NEW.status <> 'reconciled' OR NEW.reconciliation_id IS DISTINCT FROM OLD.reconciliation_id) THEN
    SELECT status INTO rec_status FROM bank_reconciliations WHERE tenant_id = OLD.tenant_id AND id = OLD.reconciliation_id;
    IF rec_status IS DISTINCT FROM 'open' THEN
      RAISE EXCEPTION 'BANK_TRANSACTION_RECONCILED: bank line % is reconciled; undo its reconciliation first', OLD.id USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  IF NEW.status = 'reconciled' AND OLD.status <> 'reconciled' THEN
    SELECT status INTO rec_status FROM bank_reconciliations WHERE tenant_id = NEW.tenant_id AND id = NEW.reconciliation_id;
    IF OLD.status <> 'matched' OR rec_status IS DISTINCT FROM 'open' THEN
      RAISE EXCEPTION 'BANK_TRANSACTION_RECONCILED: only a matched bank line is reconciled, by an open reconciliation' USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_bank_reconciliations_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  cleared numeric;
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'RECONCILIATION_IMMUTABLE: a reconciliation is never deleted' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF EXISTS (SELECT 1 FROM bank_reconciliations r WHERE r.tenant_id = NEW.tenant_id AND r.bank_account_id = NEW.bank_account_id
                  AND r.status = 'completed' AND r.statement_date >= NEW.statement_date) THEN
      RAISE EXCEPTION 'RECONCILIATION_DATE_INVALID: the statement date must be after the last completed reconciliation''s' USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.status <> 'open' THEN
      RAISE EXCEPTION 'RECONCILIATION_IMMUTABLE: a reconciliation starts open' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.tenant_id <> OLD.tenant_id OR NEW.id <> OLD.id OR NEW.bank_account_id <> OLD.bank_account_id THEN
    RAISE EXCEPTION 'RECONCILIATION_IMMUTABLE: a reconciliation stays with its bank account' USING ERRCODE = 'check_violation';
  END IF;
  IF OLD.status = 'completed' THEN
    IF NEW.status <> 'open' OR NEW.statement_date <> OLD.statement_date OR NEW.statement_ending_balance <> OLD.statement_ending_balance
       OR NEW.opening_balance <> OLD.opening_balance THEN
      RAISE EXCEPTION 'RECONCILIATION_IMMUTABLE: a completed reconciliation does not change (undo reopens it)' USING ERRCODE = 'check_violation';
    END IF;
    IF EXISTS (SELECT 1 FROM bank_reconciliations r WHERE r.tenant_id = OLD.tenant_id AND r.bank_account_id = OLD.bank_account_id
                  AND r.status = 'completed' AND r.id <> OLD.id AND r.statement_date > OLD.statement_date) THEN
      RAISE EXCEPTION 'RECONCILIATION_NOT_LATEST: only the latest completed reconciliation of a bank account can be undone' USING ERRCODE = 'check_violation';
    END IF;
  ELSIF NEW.status = 'completed' THEN
    SELECT coalesce(sum(amount), 0) INTO cleared FROM bank_transactions
     WHERE tenant_id = NEW.tenant_id AND reconciliation_id = NEW.id;
    IF NEW.opening_balance + cleared <> NEW.statement_ending_balance THEN
      RAISE EXCEPTION 'RECONCILIATION_DIFFERENCE: opening % + cleared % is not the statement''s ending balance %', NEW.opening_balance, cleared, NEW.statement_ending_balance USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER bank_reconciliations_guard BEFORE INSERT OR UPDATE OR DELETE ON bank_reconciliations
  FOR EACH ROW EXECUTE FUNCTION app_bank_reconciliations_guard();
--> statement-breakpoint
-- A reversal sets the original's reversed_by_id (0008/0013 allow exactly that change on a posted
-- entry); it is refused while a line of the entry is matched to a reconciled bank line.
CREATE OR REPLACE FUNCTION app_ledger_guard_reconciled() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.reversed_by_id IS NULL AND NEW.reversed_by_id IS NOT NULL AND EXISTS (
       SELECT 1 FROM journal_lines l
         JOIN bank_matches m ON m.tenant_id = l.tenant_id AND m.journal_line_id = l.id
         JOIN bank_transactions t ON t.tenant_id = m.tenant_id AND t.id = m.bank_transaction_id
        WHERE l.tenant_id = OLD.tenant_id AND l.entry_id = OLD.id AND t.status = 'reconciled') THEN
    RAISE EXCEPTION 'LEDGER_LINE_RECONCILED: journal entry % has a line in a completed bank reconciliation; undo the reconciliation first', OLD.id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER journal_entries_reconciled_guard BEFORE UPDATE OF reversed_by_id ON journal_entries
  FOR EACH ROW EXECUTE FUNCTION app_ledger_guard_reconciled();
