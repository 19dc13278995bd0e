-- Where a journal entry came from, and the one function that does a posting's ordered steps.
ALTER TABLE "journal_entries" ADD COLUMN "source_type" text;--> statement-breakpoint
ALTER TABLE "journal_entries" ADD COLUMN "source_id" uuid;--> statement-breakpoint
CREATE INDEX "journal_entries_source_idx" ON "journal_entries" USING btree ("tenant_id","source_type","source_id");--> statement-breakpoint
ALTER TABLE "journal_entries" ADD CONSTRAINT "journal_entries_source_check" CHECK ((source_type is null) = (source_id is null) and (source_type is null or source_type ~ '^[a-z][a-z_]{0,39}$'));--> statement-breakpoint
-- The ordered steps of a posting, in one round trip (docs/posting.md). Everything before this call
-- (validation, inserting the draft entry and its lines) needs no tenant-wide order; what follows
-- does, so it happens here, last, under the tenant's audit-chain lock:
--   0. the entry's period row FOR SHARE, before the chain lock (the lock order everywhere: period
--      rows, then the chain lock, then counter, balance and ledger_versions rows);
--   1. the audit-chain advisory lock;
--   2. the next number of the fiscal year from the counter row (locked until commit: gapless);
--   3. draft → posted (the guard trigger share-locks the open period, the balances trigger updates
--      account_balances, the report-cache trigger bumps ledger_versions);
--   4. for a reversal, the original's reversed_by_id (it bumps ledger_versions too, so it is ordered);
--   5. the posting's one audit event, its `after` completed with the entry id and number (chained by its trigger).
-- SECURITY INVOKER: it runs as paksa_app inside withTenant, so row-level security applies to every
-- statement, exactly as if the application had sent them one by one.
CREATE OR REPLACE FUNCTION app_ledger_post(
  p_entry uuid, p_reversal_of uuid,
  p_actor_type text, p_actor_id uuid, p_request_id text, p_ip text, p_user_agent text,
  p_action text, p_entity_id text, p_before jsonb, p_after jsonb
) RETURNS TABLE (number integer, posted_at timestamptz, version integer, updated_at timestamptz)
LANGUAGE plpgsql SECURITY INVOKER AS $$
DECLARE
  e_tenant uuid;
  e_year uuid;
  e_period uuid;
  n integer;
BEGIN
  SELECT j.tenant_id, j.fiscal_year_id, j.period_id INTO e_tenant, e_year, e_period FROM journal_entries j WHERE j.id = p_entry;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'NOT_FOUND: journal entry % not found', p_entry USING ERRCODE = 'no_data_found';
  END IF;
  PERFORM 1 FROM fiscal_periods p WHERE p.tenant_id = e_tenant AND p.id = e_period FOR SHARE;
  PERFORM pg_advisory_xact_lock(hashtextextended('audit:' || e_tenant::text, 0));
  INSERT INTO entry_counters AS c (tenant_id, fiscal_year_id, last_number) VALUES (e_tenant, e_year, 1)
  ON CONFLICT (tenant_id, fiscal_year_id) DO UPDATE SET last_number = c.last_number + 1
  RETURNING c.last_number INTO n;
  RETURN QUERY
    UPDATE journal_entries j SET status = 'posted', number = n, posted_at = now(), posted_by = p_actor_id, version = j.version + 1, updated_at = now()
     WHERE j.tenant_id = e_tenant AND j.id = p_entry AND j.status = 'draft'
    RETURNING j.number, j.posted_at, j.version, j.updated_at;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'LEDGER_ALREADY_POSTED: journal entry % is already posted', p_entry USING ERRCODE = 'check_violation';
  END IF;
  IF p_reversal_of IS NOT NULL THEN
    UPDATE journal_entries j SET reversed_by_id = p_entry, updated_at = now()
     WHERE j.tenant_id = e_tenant AND j.id = p_reversal_of AND j.reversed_by_id IS NULL;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'LEDGER_ALREADY_REVERSED: journal entry % is already reversed', p_reversal_of USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  INSERT INTO audit_events (tenant_id, actor_type, actor_id, action, entity_type, entity_id, before, after, request_id, ip, user_agent, seq, prev_hash, hash)
  VALUES (e_tenant, p_actor_type, p_actor_id, p_action, 'journal_entry', p_entity_id, p_before,
          coalesce(p_after, '{}'::jsonb) || jsonb_build_object('entryId', p_entry, 'number', n), p_request_id, p_ip, left(p_user_agent, 512), 0, '', '');
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_ledger_post(uuid, uuid, text, uuid, text, text, text, text, text, jsonb, jsonb) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_ledger_post(uuid, uuid, text, uuid, text, text, text, text, text, jsonb, jsonb) TO paksa_app;

--> statement-breakpoint
-- The closed-period guard now covers drafts too: a draft is written into an open period only, and
-- FOR SHARE on the period makes a concurrent close wait for the draft's transaction (and the draft
-- wait for a close in progress, then see the period closed). Closing counts the period's drafts
-- under its own lock on the period row, so no draft can be left in a closed period. Posted entries
-- stay immutable as before.
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
  PERFORM 1 FROM fiscal_periods p
   WHERE p.tenant_id = NEW.tenant_id AND p.id = NEW.period_id AND p.status = 'open'
     AND NEW.date BETWEEN p.start_date AND p.end_date
     FOR SHARE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'LEDGER_PERIOD_CLOSED: % is not in an open period', NEW.date USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
