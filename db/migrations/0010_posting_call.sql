-- A new manual entry posted in one call (docs/posting.md, "One call"): the lines' accounts and the
-- period looked up, the entry and its lines inserted, then the ordered steps of app_ledger_post —
-- so an API posting is `begin` (sent with the tenant binding), this call, `commit`.
--
-- Refusals found here come back as a row (refusal, refusal_line, the account's code and currency)
-- before anything is written: no error, so the transaction stays usable, and no lock beyond the
-- rows read. The application turns them into the same 4xx as its own checks (entries.ts):
--   UNKNOWN_ACCOUNT, LEDGER_ACCOUNT_INACTIVE, LEDGER_PARENT_ACCOUNT, LEDGER_CURRENCY_MISMATCH — the
--     first line (in line order) whose account is missing or unusable, checked in that order per line;
--   NO_PERIOD — no fiscal period holds the date (the application creates the year, then posts the
--     usual way);
--   LEDGER_PERIOD_CLOSED — the period is closed.
-- Everything else (amounts, balance, rate, decimals) the application checked before the call.
-- After that, the same database guards as always: the guard trigger share-locks the open period
-- when the entry is inserted (a close in progress makes it wait, then refuses), and
-- app_ledger_post takes the period FOR SHARE again, then the chain lock — the one lock order.
-- SECURITY INVOKER: runs as paksa_app inside withTenant, under row-level security.
--
-- p_entry: {date, memo, reference, currency, exchangeRate} (amounts and the rate as decimal strings)
-- p_lines: [{accountId | accountCode, description, debit, credit, baseDebit, baseCredit}] in line order
CREATE OR REPLACE FUNCTION app_ledger_post_new(
  p_tenant uuid, p_entry jsonb, p_lines jsonb,
  p_actor_type text, p_actor_id uuid, p_request_id text, p_ip text, p_user_agent text,
  p_action text, p_after jsonb
) RETURNS TABLE (
  refusal text, refusal_line integer, refusal_code text, refusal_currency text,
  entry_id uuid, fiscal_year_id uuid, period_id uuid, created_at text,
  number integer, posted_at text, version integer, updated_at text,
  line_ids uuid[], account_ids uuid[], account_codes text[], account_names text[]
)
LANGUAGE plpgsql SECURITY INVOKER AS $$
DECLARE
  v_date date := (p_entry->>'date')::date;
  v_currency text := p_entry->>'currency';
  r record;
  v_ids uuid[] := '{}';
  v_codes text[] := '{}';
  v_names text[] := '{}';
  v_period uuid;
  v_year uuid;
  v_status text;
  v_entry uuid;
  v_created timestamptz;
  v_lines uuid[];
  v_posted record;
BEGIN
  FOR r IN
    SELECT e.ord, a.id, a.code, a.name, a.is_active, a.currency,
           a.id IS NOT NULL AND EXISTS (SELECT 1 FROM accounts c WHERE c.tenant_id = a.tenant_id AND c.parent_id = a.id) AS is_parent
      FROM jsonb_array_elements(p_lines) WITH ORDINALITY AS e(v, ord)
      LEFT JOIN LATERAL (
        SELECT x.* FROM accounts x
         WHERE x.tenant_id = p_tenant AND e.v->>'accountId' IS NOT NULL
           AND x.id = (e.v->>'accountId')::uuid AND x.id::text = e.v->>'accountId'
        UNION ALL
        SELECT x.* FROM accounts x
         WHERE x.tenant_id = p_tenant AND e.v->>'accountId' IS NULL AND x.code = e.v->>'accountCode'
      ) a ON true
     ORDER BY e.ord
  LOOP
    refusal := CASE
      WHEN r.id IS NULL THEN 'UNKNOWN_ACCOUNT'
      WHEN NOT r.is_active THEN 'LEDGER_ACCOUNT_INACTIVE'
      WHEN r.is_parent THEN 'LEDGER_PARENT_ACCOUNT'
      WHEN r.currency IS NOT NULL AND r.currency <> v_currency THEN 'LEDGER_CURRENCY_MISMATCH'
    END;
    IF refusal IS NOT NULL THEN
      refusal_line := r.ord - 1;
      refusal_code := r.code;
      refusal_currency := r.currency;
      RETURN NEXT;
      RETURN;
    END IF;
    v_ids := v_ids || r.id;
    v_codes := v_codes || r.code;
    v_names := v_names || r.name;
  END LOOP;

  SELECT p.id, p.fiscal_year_id, p.status INTO v_period, v_year, v_status
    FROM fiscal_periods p WHERE p.tenant_id = p_tenant AND p.start_date <= v_date AND p.end_date >= v_date;
  IF NOT FOUND OR v_status = 'closed' THEN
    refusal := CASE WHEN v_status = 'closed' THEN 'LEDGER_PERIOD_CLOSED' ELSE 'NO_PERIOD' END;
    RETURN NEXT;
    RETURN;
  END IF;

  INSERT INTO journal_entries AS j (tenant_id, fiscal_year_id, period_id, date, memo, reference, currency, exchange_rate, kind, created_by)
  VALUES (p_tenant, v_year, v_period, v_date, p_entry->>'memo', p_entry->>'reference', v_currency, (p_entry->>'exchangeRate')::numeric, 'manual', p_actor_id)
  RETURNING j.id, j.created_at INTO v_entry, v_created;

  WITH ins AS (
    INSERT INTO journal_lines AS l (tenant_id, entry_id, line_no, account_id, description, debit, credit, base_debit, base_credit, is_rounding, entry_date)
    SELECT p_tenant, v_entry, e.ord, v_ids[e.ord::int], e.v->>'description', (e.v->>'debit')::numeric, (e.v->>'credit')::numeric,
           (e.v->>'baseDebit')::numeric, (e.v->>'baseCredit')::numeric, false, v_date
      FROM jsonb_array_elements(p_lines) WITH ORDINALITY AS e(v, ord)
     ORDER BY e.ord
    RETURNING l.id, l.line_no
  )
  SELECT array_agg(ins.id ORDER BY ins.line_no) INTO v_lines FROM ins;

  SELECT * INTO v_posted FROM app_ledger_post(v_entry, NULL, p_actor_type, p_actor_id, p_request_id, p_ip, p_user_agent,
                                               p_action, v_entry::text, NULL, p_after);
  entry_id := v_entry;
  fiscal_year_id := v_year;
  period_id := v_period;
  created_at := to_char(v_created AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
  number := v_posted.number;
  posted_at := to_char(v_posted.posted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
  version := v_posted.version;
  updated_at := to_char(v_posted.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
  line_ids := v_lines;
  account_ids := v_ids;
  account_codes := v_codes;
  account_names := v_names;
  RETURN NEXT;
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_ledger_post_new(uuid, jsonb, jsonb, text, uuid, text, text, text, text, jsonb) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_ledger_post_new(uuid, jsonb, jsonb, text, uuid, text, text, text, text, jsonb) TO paksa_app;
