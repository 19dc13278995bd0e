-- Receipts and allocations (issue 12 point 5): money received from a customer, and what of it (or of
-- an issued credit note) pays which invoice. The database, not the code, holds the subledger's
-- arithmetic under concurrency: an allocation's triggers lock the source (receipt or credit note)
-- and then the invoice FOR UPDATE, refuse an over-allocation on either side, and move
-- `amount_allocated` and the invoice's status issued ↔ partially_paid ↔ paid.
--
-- Lock order (server/domain/sales/README.md): source row, then invoice rows (by id), then what
-- postings take (period rows, audit-chain lock). The code takes the same rows in the same order
-- before it posts, so the triggers only find locks their transaction already holds.
CREATE TABLE "receipts" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"id" uuid DEFAULT app_uuid_v7() NOT NULL,
	-- gapless per tenant: RCT-000001 from document_counters (kind 'receipt', prefix 'RCT-')
	"number" text NOT NULL,
	"customer_id" uuid NOT NULL,
	"date" date NOT NULL,
	"amount" numeric(20, 4) NOT NULL,
	"currency" char(3) NOT NULL,
	"exchange_rate" numeric(24, 10) NOT NULL,
	"deposit_account_id" uuid NOT NULL,
	"reference" text,
	"memo" text,
	"amount_allocated" numeric(20, 4) DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"journal_entry_id" uuid NOT NULL,
	"void_entry_id" uuid,
	"voided_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "receipts_pkey" PRIMARY KEY("tenant_id", "id"),
	CONSTRAINT "receipts_number_key" UNIQUE("tenant_id", "number"),
	-- the target of an allocation's receipt_id: same customer and currency by the foreign key
	CONSTRAINT "receipts_match_key" UNIQUE("tenant_id", "id", "customer_id", "currency"),
	CONSTRAINT "receipts_customer_fkey" FOREIGN KEY ("tenant_id", "customer_id") REFERENCES "customers"("tenant_id", "id"),
	CONSTRAINT "receipts_deposit_account_fkey" FOREIGN KEY ("tenant_id", "deposit_account_id") REFERENCES "accounts"("tenant_id", "id"),
	CONSTRAINT "receipts_entry_fkey" FOREIGN KEY ("tenant_id", "journal_entry_id") REFERENCES "journal_entries"("tenant_id", "id"),
	CONSTRAINT "receipts_void_entry_fkey" FOREIGN KEY ("tenant_id", "void_entry_id") REFERENCES "journal_entries"("tenant_id", "id"),
	CONSTRAINT "receipts_status_check" CHECK (status IN ('active', 'void')),
	CONSTRAINT "receipts_currency_check" CHECK (currency ~ '^[A-Z]{3}$'),
	CONSTRAINT "receipts_rate_check" CHECK (exchange_rate > 0),
	CONSTRAINT "receipts_amount_check" CHECK (amount > 0),
	CONSTRAINT "receipts_allocated_check" CHECK (amount_allocated >= 0 AND amount_allocated <= amount),
	-- a void receipt has released all its allocations, and has its reversal
	CONSTRAINT "receipts_void_check" CHECK ((status = 'void') = (void_entry_id IS NOT NULL AND voided_at IS NOT NULL) AND (status = 'active' OR amount_allocated = 0)),
	CONSTRAINT "receipts_text_check" CHECK (char_length(reference) <= 100 AND char_length(memo) <= 1000 AND char_length(number) <= 40)
);
--> statement-breakpoint
CREATE INDEX "receipts_list_idx" ON "receipts" USING btree ("tenant_id", "date", "id");
--> statement-breakpoint
CREATE INDEX "receipts_customer_idx" ON "receipts" USING btree ("tenant_id", "customer_id", "status");
--> statement-breakpoint

-- One allocation: `amount` (in the documents' common currency) of a receipt or an issued credit note
-- paying an invoice, on `date` (never before either document). base_amount_invoice /
-- base_amount_source: the base the allocation takes off each side — amount × that side's rate,
-- rounded, except that the allocation which settles a side fully takes that side's whole remaining
-- base, so a settled document carries nothing on the AR control account. fx_entry_id: the posting of
-- base_amount_invoice − base_amount_source (realised FX), null when they are equal. released_at: the
-- receipt was voided; the allocation no longer counts but is kept for history.
CREATE TABLE "sales_allocations" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"id" uuid DEFAULT app_uuid_v7() NOT NULL,
	"invoice_id" uuid NOT NULL,
	"receipt_id" uuid,
	"credit_note_id" uuid,
	"customer_id" uuid NOT NULL,
	"currency" char(3) NOT NULL,
	"date" date NOT NULL,
	"amount" numeric(20, 4) NOT NULL,
	"base_amount_invoice" numeric(20, 4) NOT NULL,
	"base_amount_source" numeric(20, 4) NOT NULL,
	"fx_entry_id" uuid,
	"released_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sales_allocations_pkey" PRIMARY KEY("tenant_id", "id"),
	CONSTRAINT "sales_allocations_invoice_fkey" FOREIGN KEY ("tenant_id", "invoice_id", "customer_id", "currency") REFERENCES "sales_documents"("tenant_id", "id", "customer_id", "currency"),
	CONSTRAINT "sales_allocations_credit_note_fkey" FOREIGN KEY ("tenant_id", "credit_note_id", "customer_id", "currency") REFERENCES "sales_documents"("tenant_id", "id", "customer_id", "currency"),
	CONSTRAINT "sales_allocations_receipt_fkey" FOREIGN KEY ("tenant_id", "receipt_id", "customer_id", "currency") REFERENCES "receipts"("tenant_id", "id", "customer_id", "currency"),
	CONSTRAINT "sales_allocations_fx_entry_fkey" FOREIGN KEY ("tenant_id", "fx_entry_id") REFERENCES "journal_entries"("tenant_id", "id"),
	CONSTRAINT "sales_allocations_source_check" CHECK (num_nonnulls(receipt_id, credit_note_id) = 1),
	CONSTRAINT "sales_allocations_amount_check" CHECK (amount > 0 AND base_amount_invoice >= 0 AND base_amount_source >= 0),
	-- a credit note's allocation is never released (a credit note with allocations is not voided)
	CONSTRAINT "sales_allocations_release_check" CHECK (released_at IS NULL OR receipt_id IS NOT NULL)
);
--> statement-breakpoint
CREATE INDEX "sales_allocations_invoice_idx" ON "sales_allocations" USING btree ("tenant_id", "invoice_id");
--> statement-breakpoint
CREATE INDEX "sales_allocations_receipt_idx" ON "sales_allocations" USING btree ("tenant_id", "receipt_id") WHERE receipt_id IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "sales_allocations_credit_note_idx" ON "sales_allocations" USING btree ("tenant_id", "credit_note_id") WHERE credit_note_id IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "sales_allocations_customer_idx" ON "sales_allocations" USING btree ("tenant_id", "customer_id", "date");
--> statement-breakpoint

-- An allocation written (INSERT) or released (released_at set): lock the source, then the invoice,
-- check, and move both sides' amount_allocated and the invoice's status. Nothing else about an
-- allocation changes but fx_entry_id, once (set after the FX posting that names the allocation),
-- and released_at, once; it is never deleted.
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
        NEW.base_amount_invoice, NEW.base_amount_source, NEW.created_by, NEW.created_at)
       IS DISTINCT FROM
       (OLD.tenant_id, OLD.id, OLD.invoice_id, OLD.receipt_id, OLD.credit_note_id, OLD.customer_id, OLD.currency, OLD.date, OLD.amount,
        OLD.base_amount_invoice, OLD.base_amount_source, OLD.created_by, OLD.created_at)
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
  SELECT d.kind, d.status, d.total, d.amount_allocated, d.date, d.customer_id, d.currency, d.number
    INTO i_kind, i_status, i_total, i_allocated, i_date, i_customer, i_currency, i_number
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
--> statement-breakpoint
CREATE TRIGGER sales_allocations_apply BEFORE INSERT OR UPDATE OR DELETE ON sales_allocations
  FOR EACH ROW EXECUTE FUNCTION app_sales_allocation_apply();
--> statement-breakpoint

-- A receipt's figures never change; only its allocations move amount_allocated, and the void
-- (status, void entry, voided_at) happens once. Never deleted.
CREATE OR REPLACE FUNCTION app_receipt_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'RECEIPT_IMMUTABLE: receipt % is never deleted; void it', OLD.number USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF OLD.status = 'void'
     OR (NEW.tenant_id, NEW.id, NEW.number, NEW.customer_id, NEW.date, NEW.amount, NEW.currency, NEW.exchange_rate, NEW.deposit_account_id,
         NEW.reference, NEW.memo, NEW.journal_entry_id, NEW.created_by, NEW.created_at)
        IS DISTINCT FROM
        (OLD.tenant_id, OLD.id, OLD.number, OLD.customer_id, OLD.date, OLD.amount, OLD.currency, OLD.exchange_rate, OLD.deposit_account_id,
         OLD.reference, OLD.memo, OLD.journal_entry_id, OLD.created_by, OLD.created_at) THEN
    RAISE EXCEPTION 'RECEIPT_IMMUTABLE: receipt % changes only by its allocations and its void', OLD.number USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER receipts_guard BEFORE UPDATE OR DELETE ON receipts
  FOR EACH ROW EXECUTE FUNCTION app_receipt_guard();
--> statement-breakpoint
SELECT app_apply_tenant_policy('receipts');
--> statement-breakpoint
SELECT app_apply_tenant_policy('sales_allocations');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON receipts, sales_allocations TO paksa_app;
