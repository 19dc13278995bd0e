-- Issuing a sales document in one call (issue 12 point 11: throughput). The application resolves
-- and checks the body, computes the figures and the posting's lines (shared/sales/document-maths.ts,
-- server/domain/ledger/posting-maths.ts) and hands them here; this function writes them in the order
-- the lock order wants (docs/posting.md), in one round trip:
--
--   1. the period of the date (no write yet when it is missing or closed: a refusal row, as
--      app_ledger_post_new answers);
--   2. the document (a new draft row, or the caller's locked draft updated), its lines and their tax
--      per component;
--   3. the next number of its (kind, prefix) counter — the counter row stays locked to commit, so
--      a rollback gives the number back;
--   4. the journal entry with source {type: kind, id} and its lines, described with the number, and
--      app_ledger_post (the chain lock, held to commit);
--   5. the document issued (number, entry, issued_at), its audit event and its event, both with the
--      caller's resource completed by what only this call knows.
--
-- Steps 3–5 are the part every issue of the tenant queues on; they run here without a round trip
-- between them. Every rule the database holds (the immutability triggers, the ledger's guards and
-- balance checks, the constraints) applies to these writes as to any other.
-- SECURITY INVOKER: under row-level security as the caller (paksa_app bound to the tenant).
CREATE OR REPLACE FUNCTION app_sales_issue(
  p_tenant uuid, p_document jsonb, p_lines jsonb, p_taxes jsonb,
  p_prefix text, p_label text, p_memo_tail text, p_posting jsonb,
  p_actor_type text, p_actor_id uuid, p_request_id text, p_ip text, p_user_agent text,
  p_entity text, p_event_type text, p_resource jsonb
) RETURNS TABLE (
  refusal text, document_id uuid, document_number text, journal_entry_id uuid,
  issued_at text, created_at text, version integer
)
LANGUAGE plpgsql SECURITY INVOKER AS $$
DECLARE
  v_kind text := p_document->>'kind';
  v_date date := (p_document->>'date')::date;
  v_now timestamptz := date_trunc('milliseconds', statement_timestamp());
  v_doc uuid := (p_document->>'id')::uuid;
  v_period uuid;
  v_year uuid;
  v_status text;
  v_created timestamptz;
  v_version integer;
  v_n bigint;
  v_number text;
  v_label text;
  v_entry uuid;
  v_resource jsonb;
BEGIN
  SELECT p.id, p.fiscal_year_id, p.status INTO v_period, v_year, v_status
    FROM fiscal_periods p WHERE p.tenant_id = p_tenant AND p.start_date <= v_date AND p.end_date >= v_date;
  IF NOT FOUND OR v_status = 'closed' THEN
    refusal := CASE WHEN v_status = 'closed' THEN 'LEDGER_PERIOD_CLOSED' ELSE 'NO_PERIOD' END;
    RETURN NEXT;
    RETURN;
  END IF;

  IF v_doc IS NULL THEN
    INSERT INTO sales_documents AS d (tenant_id, kind, customer_id, date, due_date, currency, exchange_rate, reference, memo,
                                      amounts_are, invoice_id, subtotal, tax_total, total, created_by, created_at, updated_at)
    VALUES (p_tenant, v_kind, (p_document->>'customerId')::uuid, v_date, (p_document->>'dueDate')::date, p_document->>'currency',
            (p_document->>'exchangeRate')::numeric, p_document->>'reference', p_document->>'memo', p_document->>'amountsAre',
            (p_document->>'invoiceId')::uuid, (p_document->>'subtotal')::numeric, (p_document->>'taxTotal')::numeric,
            (p_document->>'total')::numeric, p_actor_id, v_now, v_now)
    RETURNING d.id, d.created_at, d.version INTO v_doc, v_created, v_version;
  ELSE
    -- The caller's draft, locked by it: the body as resolved now replaces the stored one.
    UPDATE sales_documents AS d SET customer_id = (p_document->>'customerId')::uuid, date = v_date, due_date = (p_document->>'dueDate')::date,
           currency = p_document->>'currency', exchange_rate = (p_document->>'exchangeRate')::numeric, reference = p_document->>'reference',
           memo = p_document->>'memo', amounts_are = p_document->>'amountsAre', invoice_id = (p_document->>'invoiceId')::uuid,
           subtotal = (p_document->>'subtotal')::numeric, tax_total = (p_document->>'taxTotal')::numeric, total = (p_document->>'total')::numeric
     WHERE d.tenant_id = p_tenant AND d.id = v_doc AND d.kind = v_kind AND d.status = 'draft'
    RETURNING d.created_at, d.version INTO v_created, v_version;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'NOT_FOUND: draft % not found', v_doc USING ERRCODE = 'no_data_found';
    END IF;
    DELETE FROM sales_document_lines l WHERE l.tenant_id = p_tenant AND l.document_id = v_doc;
  END IF;

  INSERT INTO sales_document_lines (tenant_id, document_id, line_no, item_id, description, quantity, unit_price, discount_percent,
                                    account_id, tax_rate_id, amount, net, tax, total)
  SELECT p_tenant, v_doc, e.ord, (e.v->>'itemId')::uuid, e.v->>'description', (e.v->>'quantity')::numeric, (e.v->>'unitPrice')::numeric,
         (e.v->>'discountPercent')::numeric, (e.v->>'accountId')::uuid, (e.v->>'taxRateId')::uuid, (e.v->>'amount')::numeric,
         (e.v->>'net')::numeric, (e.v->>'tax')::numeric, (e.v->>'total')::numeric
    FROM jsonb_array_elements(p_lines) WITH ORDINALITY AS e(v, ord);
  INSERT INTO sales_document_line_taxes (tenant_id, document_id, line_no, position, tax_rate_id, name, rate, account_id, net, tax)
  SELECT p_tenant, v_doc, (e->>'lineNo')::smallint, (e->>'position')::smallint, (e->>'taxRateId')::uuid, e->>'name', (e->>'rate')::numeric,
         (e->>'accountId')::uuid, (e->>'net')::numeric, (e->>'tax')::numeric
    FROM jsonb_array_elements(p_taxes) AS e;

  INSERT INTO document_counters AS c (tenant_id, kind, prefix, next_number) VALUES (p_tenant, v_kind, p_prefix, 2)
    ON CONFLICT (tenant_id, kind, prefix) DO UPDATE SET next_number = c.next_number + 1
    RETURNING c.next_number - 1 INTO v_n;
  v_number := p_prefix || lpad(v_n::text, greatest(6, length(v_n::text)), '0');
  v_label := p_label || ' ' || v_number;

  INSERT INTO journal_entries AS j (tenant_id, fiscal_year_id, period_id, date, memo, reference, currency, exchange_rate, kind,
                                    source_type, source_id, created_by)
  VALUES (p_tenant, v_year, v_period, v_date, left(v_label || ': ' || p_memo_tail, 500), p_document->>'reference', p_document->>'currency',
          (p_document->>'exchangeRate')::numeric, 'manual', v_kind, v_doc, p_actor_id)
  RETURNING j.id INTO v_entry;
  -- A line described with the bare label (`Invoice`, `Invoice: tax`) gets the number after it.
  INSERT INTO journal_lines (tenant_id, entry_id, line_no, account_id, description, debit, credit, base_debit, base_credit, is_rounding, entry_date)
  SELECT p_tenant, v_entry, e.ord, (e.v->>'accountId')::uuid,
         CASE WHEN (e.v->>'isRounding')::boolean THEN e.v->>'description'
              ELSE v_label || substr(e.v->>'description', length(p_label) + 1) END,
         (e.v->>'debit')::numeric, (e.v->>'credit')::numeric, (e.v->>'baseDebit')::numeric, (e.v->>'baseCredit')::numeric,
         (e.v->>'isRounding')::boolean, v_date
    FROM jsonb_array_elements(p_posting) WITH ORDINALITY AS e(v, ord);
  PERFORM app_ledger_post(v_entry, NULL, p_actor_type, p_actor_id, p_request_id, p_ip, p_user_agent,
                          'journal_entry.post', v_entry::text, NULL, jsonb_build_object('source', jsonb_build_object('type', v_kind, 'id', v_doc)));

  UPDATE sales_documents AS d SET number = v_number, status = 'issued', journal_entry_id = v_entry, issued_at = v_now,
         version = d.version + 1, updated_at = v_now
   WHERE d.tenant_id = p_tenant AND d.id = v_doc
  RETURNING d.version INTO v_version;

  document_id := v_doc;
  document_number := v_number;
  journal_entry_id := v_entry;
  issued_at := to_char(v_now AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
  created_at := to_char(v_created AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
  version := v_version;
  v_resource := p_resource || jsonb_build_object('id', v_doc, 'number', v_number, 'status', 'issued', 'journalEntryId', v_entry,
    'issuedAt', issued_at, 'createdAt', created_at, 'updatedAt', issued_at, 'version', v_version);
  INSERT INTO audit_events (tenant_id, actor_type, actor_id, action, entity_type, entity_id, before, after, request_id, ip, user_agent, seq, prev_hash, hash)
  VALUES (p_tenant, p_actor_type, p_actor_id, p_entity || '.issue', p_entity, v_doc::text, NULL, v_resource, p_request_id, p_ip,
          left(p_user_agent, 512), 0, '', '');
  INSERT INTO events (tenant_id, type, entity_type, entity_id, data) VALUES (p_tenant, p_event_type, p_entity, v_doc, v_resource);
  RETURN NEXT;
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_sales_issue(uuid, jsonb, jsonb, jsonb, text, text, text, jsonb, text, uuid, text, text, text, text, text, jsonb) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_sales_issue(uuid, jsonb, jsonb, jsonb, text, text, text, jsonb, text, uuid, text, text, text, text, text, jsonb) TO paksa_app;
