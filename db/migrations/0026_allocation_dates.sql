-- The aged receivables as of a date (server/domain/sales/ar-reports.ts) correct each document's
-- stored `amount_allocated` by the allocations that count differently on that date: unreleased ones
-- dated after it, and released ones that still counted on it. For the base-currency documents the
-- correction goes straight into the customer's bucket — the invoice's by its due date, the receipt's
-- or credit note's by its date — so the report needs those dates with the allocation: an index range
-- of `sales_allocations` then gives every correction, without a join to the documents per
-- allocation. They are facts of issued documents (which never change), copied by the allocation
-- trigger on insert from the rows it already locks, and fixed like the rest of an allocation.
ALTER TABLE "sales_allocations" ADD COLUMN "invoice_date" date, ADD COLUMN "invoice_due" date, ADD COLUMN "source_date" date;
--> statement-breakpoint
DO $$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT id FROM tenants ORDER BY id LOOP
    PERFORM set_config('app.tenant_id', t.id::text, true);
    UPDATE sales_allocations a
       SET invoice_date = (SELECT i.date FROM sales_documents i WHERE i.tenant_id = a.tenant_id AND i.id = a.invoice_id),
           invoice_due = (SELECT coalesce(i.due_date, i.date) FROM sales_documents i WHERE i.tenant_id = a.tenant_id AND i.id = a.invoice_id),
           source_date = coalesce((SELECT r.date FROM receipts r WHERE r.tenant_id = a.tenant_id AND r.id = a.receipt_id),
                                  (SELECT n.date FROM sales_documents n WHERE n.tenant_id = a.tenant_id AND n.id = a.credit_note_id))
     WHERE a.tenant_id = t.id;
  END LOOP;
  PERFORM set_config('app.tenant_id', '', true);
END $$;
--> statement-breakpoint
ALTER TABLE "sales_allocations" ALTER COLUMN "invoice_date" SET NOT NULL, ALTER COLUMN "invoice_due" SET NOT NULL, ALTER COLUMN "source_date" SET NOT NULL;
--> statement-breakpoint
-- The base-currency corrections: unreleased allocations dated after the report's date.
CREATE INDEX "sales_allocations_after_idx" ON "sales_allocations" USING btree ("tenant_id", "date") INCLUDE ("customer_id", "currency", "amount", "invoice_date", "invoice_due", "source_date") WHERE released_at IS NULL;
--> statement-breakpoint
DROP INDEX "sales_allocations_date_idx";
--> statement-breakpoint
-- app_sales_allocation_apply (0019) with the three dates: set on insert, fixed afterwards.
CREATE OR REPLACE FUNCTION app_sales_allocation_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  s_status text;
  s_amount numeric;
  s_allocated numeric;
  s_date date;
  s_customer uuid;
  s_currency text;
  s_kind text;
  i_kind text;
  i_status text;
  i_total numeric;
  i_allocated numeric;
  i_date date;
  i_due date;
  i_customer uuid;
  i_currency text;
  i_number text;
  delta numeric;
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'ALLOCATION_IMMUTABLE: an allocation is never deleted; void the receipt to release it' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'UPDATE' THEN
    IF (NEW.tenant_id, NEW.id, NEW.invoice_id, NEW.receipt_id, NEW.credit_note_id, NEW.customer_id, NEW.currency, NEW.date, NEW.amount,
        NEW.base_amount_invoice, NEW.base_amount_source, NEW.created_by, NEW.created_at, NEW.invoice_date, NEW.invoice_due, NEW.source_date)
       IS DISTINCT FROM
       (OLD.tenant_id, OLD.id, OLD.invoice_id, OLD.receipt_id, OLD.credit_note_id, OLD.customer_id, OLD.currency, OLD.date, OLD.amount,
        OLD.base_amount_invoice, OLD.base_amount_source, OLD.created_by, OLD.created_at, OLD.invoice_date, OLD.invoice_due, OLD.source_date)
       OR (OLD.fx_entry_id IS NOT NULL AND NEW.fx_entry_id IS DISTINCT FROM OLD.fx_entry_id)
       OR (OLD.released_at IS NOT NULL AND NEW.released_at IS DISTINCT FROM OLD.released_at) THEN
      RAISE EXCEPTION 'ALLOCATION_IMMUTABLE: an allocation changes only by its FX posting and its release' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NOT (OLD.released_at IS NULL AND NEW.released_at IS NOT NULL) THEN
      RETURN NEW;
    END IF;
    delta := -OLD.amount;
  ELSE
    IF NEW.released_at IS NOT NULL THEN
      RAISE EXCEPTION 'ALLOCATION_IMMUTABLE: an allocation is written unreleased' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    delta := NEW.amount;
  END IF;

  -- 1. the source, locked first
  IF NEW.receipt_id IS NOT NULL THEN
    SELECT r.status, r.amount, r.amount_allocated, r.date, r.customer_id, r.currency, 'receipt'
      INTO s_status, s_amount, s_allocated, s_date, s_customer, s_currency, s_kind
      FROM receipts r WHERE r.tenant_id = NEW.tenant_id AND r.id = NEW.receipt_id FOR UPDATE;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'ALLOCATION_SOURCE_NOT_OPEN: receipt % does not exist', NEW.receipt_id USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'INSERT' AND s_status <> 'active' THEN
      RAISE EXCEPTION 'ALLOCATION_SOURCE_NOT_OPEN: the receipt is void' USING ERRCODE = 'check_violation';
    END IF;
  ELSE
    SELECT d.status, d.total, d.amount_allocated, d.date, d.customer_id, d.currency, d.kind
      INTO s_status, s_amount, s_allocated, s_date, s_customer, s_currency, s_kind
      FROM sales_documents d WHERE d.tenant_id = NEW.tenant_id AND d.id = NEW.credit_note_id FOR UPDATE;
    IF NOT FOUND OR s_kind <> 'credit_note' THEN
      RAISE EXCEPTION 'ALLOCATION_SOURCE_NOT_OPEN: % is not a credit note', NEW.credit_note_id USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'INSERT' AND s_status <> 'issued' THEN
      RAISE EXCEPTION 'ALLOCATION_SOURCE_NOT_OPEN: the credit note is %', s_status USING ERRCODE = 'check_violation';
    END IF;
  END IF;

  -- 2. then the invoice
  SELECT d.kind, d.status, d.total, d.amount_allocated, d.date, coalesce(d.due_date, d.date), d.customer_id, d.currency, d.number
    INTO i_kind, i_status, i_total, i_allocated, i_date, i_due, i_customer, i_currency, i_number
    FROM sales_documents d WHERE d.tenant_id = NEW.tenant_id AND d.id = NEW.invoice_id FOR UPDATE;
  IF NOT FOUND OR i_kind <> 'invoice' THEN
    RAISE EXCEPTION 'ALLOCATION_INVOICE_NOT_OPEN: % is not an invoice', NEW.invoice_id USING ERRCODE = 'check_violation';
  END IF;

  IF TG_OP = 'INSERT' THEN
    IF i_status NOT IN ('issued', 'partially_paid') THEN
      RAISE EXCEPTION 'ALLOCATION_INVOICE_NOT_OPEN: invoice % is %', coalesce(i_number, 'draft'), i_status USING ERRCODE = 'check_violation';
    END IF;
    IF i_customer <> NEW.customer_id OR s_customer <> NEW.customer_id THEN
      RAISE EXCEPTION 'ALLOCATION_CUSTOMER_MISMATCH: the invoice and the % belong to different customers', replace(s_kind, '_', ' ') USING ERRCODE = 'check_violation';
    END IF;
    IF i_currency <> NEW.currency OR s_currency <> NEW.currency THEN
      RAISE EXCEPTION 'ALLOCATION_CURRENCY_MISMATCH: the invoice is in %, the % in %', i_currency, replace(s_kind, '_', ' '), s_currency USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.date < i_date OR NEW.date < s_date THEN
      RAISE EXCEPTION 'ALLOCATION_INVALID: an allocation is dated on or after both documents (%)', greatest(i_date, s_date) USING ERRCODE = 'check_violation';
    END IF;
    IF i_allocated + delta > i_total THEN
      RAISE EXCEPTION 'ALLOCATION_EXCEEDS_DUE: invoice % has % % due', i_number, i_total - i_allocated, i_currency USING ERRCODE = 'check_violation';
    END IF;
    IF s_allocated + delta > s_amount THEN
      RAISE EXCEPTION 'ALLOCATION_EXCEEDS_AVAILABLE: the % has % % unallocated', replace(s_kind, '_', ' '), s_amount - s_allocated, s_currency USING ERRCODE = 'check_violation';
    END IF;
    -- The dates the aging reads with the allocation (0026), whatever the writer says.
    NEW.invoice_date := i_date;
    NEW.invoice_due := i_due;
    NEW.source_date := s_date;
  END IF;

  IF NEW.receipt_id IS NOT NULL THEN
    UPDATE receipts SET amount_allocated = amount_allocated + delta WHERE tenant_id = NEW.tenant_id AND id = NEW.receipt_id;
  ELSE
    UPDATE sales_documents SET amount_allocated = amount_allocated + delta WHERE tenant_id = NEW.tenant_id AND id = NEW.credit_note_id;
  END IF;
  UPDATE sales_documents
     SET amount_allocated = i_allocated + delta,
         status = CASE WHEN i_allocated + delta = 0 THEN 'issued' WHEN i_allocated + delta = i_total THEN 'paid' ELSE 'partially_paid' END
   WHERE tenant_id = NEW.tenant_id AND id = NEW.invoice_id;
  RETURN NEW;
END $$;
