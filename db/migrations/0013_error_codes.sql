-- One code per refusal. Changing or deleting a posted entry (or its lines) was refused as
-- LEDGER_POSTED_IMMUTABLE by the database and as LEDGER_ALREADY_POSTED by the application; the
-- database backstop now raises the application's code, so a client sees one code (422
-- LEDGER_ALREADY_POSTED) whichever layer refuses. The function bodies are otherwise those of
-- 0008 (app_ledger_guard_entry) and 0004 (app_ledger_guard_line); the triggers keep pointing at them.
CREATE OR REPLACE FUNCTION app_ledger_guard_entry() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status = 'posted' THEN
      RAISE EXCEPTION 'LEDGER_ALREADY_POSTED: posted entry % cannot be deleted', OLD.id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.status = 'posted' THEN
    IF OLD.reversed_by_id IS NULL AND NEW.reversed_by_id IS NOT NULL
       AND (to_jsonb(NEW) - 'reversed_by_id' - 'updated_at') = (to_jsonb(OLD) - 'reversed_by_id' - 'updated_at') THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION 'LEDGER_ALREADY_POSTED: posted entry % cannot be changed', OLD.id USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  PERFORM 1 FROM fiscal_periods p
   WHERE p.tenant_id = NEW.tenant_id AND p.id = NEW.period_id AND p.status = 'open'
     AND NEW.date BETWEEN p.start_date AND p.end_date
     FOR SHARE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'LEDGER_PERIOD_CLOSED: % is not in an open period', NEW.date USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_ledger_guard_line() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  e_tenant uuid := coalesce(NEW.tenant_id, OLD.tenant_id);
  e_id uuid := coalesce(NEW.entry_id, OLD.entry_id);
BEGIN
  IF EXISTS (SELECT 1 FROM journal_entries WHERE tenant_id = e_tenant AND id = e_id AND status = 'posted')
     OR (TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM journal_entries WHERE tenant_id = OLD.tenant_id AND id = OLD.entry_id AND status = 'posted')) THEN
    RAISE EXCEPTION 'LEDGER_ALREADY_POSTED: lines of posted entry % cannot be changed', e_id USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN coalesce(NEW, OLD);
END $$;
