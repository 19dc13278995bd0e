-- Vendor credits, bill payments and purchase allocations (issue 13 point 3; SPEC §5 `vendor-credits`,
-- `bill-payments`). The purchase side of 0019 (receipts, sales_allocations) and 0026 (the allocation
-- dates), with the same rules held by the database:
--
-- * A vendor credit is a `bills` row of kind 'vendor_credit': the vendor's credit note, with the
--   bill's lines, taxes and attachments. Its life: draft → (issue) open, posted (Dr AP control the
--   total, Cr each line's account and each recoverable tax account), numbered `VC-000001`
--   (document_counters kind 'vendor_credit') → void (reversal; refused while allocated). It stays
--   open while allocations use it up (its amount_allocated moves; its status does not), as a sales
--   credit note stays issued. A bill (kind 'bill') keeps the statuses of 0025.
-- * A bill payment: money paid to a vendor, posted when recorded (Dr AP control, Cr the payment
--   account), numbered `PAY-000001` (kind 'bill_payment'); its unallocated rest is a prepayment to
--   the vendor (a debit left on the AP control account). Void once, releasing its allocations.
-- * purchase_allocations: part of a payment or of an open vendor credit paying a bill of the same
--   vendor and currency. The trigger locks the source, then the bill, FOR UPDATE, refuses an
--   over-allocation on either side and moves amount_allocated and the bill's status
--   open ↔ partially_paid ↔ paid; it stores the bill's date and due date and the source's date with
--   the allocation (as 0026 does for sales) so the aged payables need no join per allocation.
--
-- Lock order (server/domain/purchases/README.md): source row, then bill rows (by id), then the
-- period rows, then the audit-chain lock — the same as the sales side.

-- 1. Vendor credits in `bills`
ALTER TABLE "bills" ADD COLUMN "kind" text DEFAULT 'bill' NOT NULL;
--> statement-breakpoint
-- The bill a credit was issued against (optional, informational: allocation is separate).
ALTER TABLE "bills" ADD COLUMN "credited_bill_id" uuid;
--> statement-breakpoint
ALTER TABLE "bills" ALTER COLUMN "vendor_reference" DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE "bills"
  ADD CONSTRAINT "bills_kind_check" CHECK (kind IN ('bill', 'vendor_credit')),
  -- a bill always has the vendor's reference; a vendor credit may not
  ADD CONSTRAINT "bills_reference_check" CHECK (kind = 'vendor_credit' OR vendor_reference IS NOT NULL),
  -- a vendor credit is draft, open (issued) or void, and is never awaiting approval
  ADD CONSTRAINT "bills_credit_status_check" CHECK (kind = 'bill' OR status IN ('draft', 'open', 'void')),
  ADD CONSTRAINT "bills_credited_bill_check" CHECK (credited_bill_id IS NULL OR (kind = 'vendor_credit' AND credited_bill_id <> id)),
  ADD CONSTRAINT "bills_credited_bill_fkey" FOREIGN KEY ("tenant_id", "credited_bill_id") REFERENCES "bills"("tenant_id", "id"),
  -- the target of an allocation's bill_id and vendor_credit_id: same vendor and currency by the foreign key
  ADD CONSTRAINT "bills_match_key" UNIQUE ("tenant_id", "id", "vendor_id", "currency");
--> statement-breakpoint
-- The duplicate guard per kind: a vendor's credit note numbers are not its invoice numbers.
DROP INDEX "bills_vendor_reference_key";
--> statement-breakpoint
CREATE UNIQUE INDEX "bills_vendor_reference_key" ON "bills" USING btree ("tenant_id", "kind", "vendor_id", lower("vendor_reference")) WHERE status <> 'void';
--> statement-breakpoint
DROP INDEX "bills_list_idx";
--> statement-breakpoint
CREATE INDEX "bills_list_idx" ON "bills" USING btree ("tenant_id", "kind", "date", "id");
--> statement-breakpoint
CREATE INDEX "bills_vendor_idx" ON "bills" USING btree ("tenant_id", "vendor_id", "kind", "status");
--> statement-breakpoint

-- A document's kind never changes, and a bill or credit is voided only with nothing allocated
-- (BILL_HAS_ALLOCATIONS; the allocation trigger takes the same row lock, so a void and an
-- allocation are decided one after the other). Fires before bills_guard (name order).
CREATE OR REPLACE FUNCTION app_bill_allocations_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.kind IS DISTINCT FROM OLD.kind OR NEW.credited_bill_id IS DISTINCT FROM OLD.credited_bill_id AND OLD.status <> 'draft' THEN
    RAISE EXCEPTION 'BILL_NOT_DRAFT: a document''s kind never changes, nor a posted credit''s bill' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF NEW.status = 'void' AND OLD.status <> 'void' AND NEW.amount_allocated <> 0 THEN
    RAISE EXCEPTION 'BILL_HAS_ALLOCATIONS: % % has % % allocated; void the payments first', CASE WHEN OLD.kind = 'bill' THEN 'bill' ELSE 'vendor credit' END, OLD.number, NEW.amount_allocated, OLD.currency
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER bills_allocations_guard BEFORE UPDATE ON bills
  FOR EACH ROW EXECUTE FUNCTION app_bill_allocations_guard();
--> statement-breakpoint

-- 2. Bill payments
CREATE TABLE "bill_payments" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"id" uuid DEFAULT app_uuid_v7() NOT NULL,
	-- gapless per tenant: PAY-000001 from document_counters (kind 'bill_payment', prefix 'PAY-')
	"number" text NOT NULL,
	"vendor_id" uuid NOT NULL,
	"date" date NOT NULL,
	"amount" numeric(20, 4) NOT NULL,
	"currency" char(3) NOT NULL,
	"exchange_rate" numeric(24, 10) NOT NULL,
	"payment_account_id" uuid NOT NULL,
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
	CONSTRAINT "bill_payments_pkey" PRIMARY KEY("tenant_id", "id"),
	CONSTRAINT "bill_payments_number_key" UNIQUE("tenant_id", "number"),
	CONSTRAINT "bill_payments_match_key" UNIQUE("tenant_id", "id", "vendor_id", "currency"),
	CONSTRAINT "bill_payments_vendor_fkey" FOREIGN KEY ("tenant_id", "vendor_id") REFERENCES "vendors"("tenant_id", "id"),
	CONSTRAINT "bill_payments_account_fkey" FOREIGN KEY ("tenant_id", "payment_account_id") REFERENCES "accounts"("tenant_id", "id"),
	CONSTRAINT "bill_payments_entry_fkey" FOREIGN KEY ("tenant_id", "journal_entry_id") REFERENCES "journal_entries"("tenant_id", "id"),
	CONSTRAINT "bill_payments_void_entry_fkey" FOREIGN KEY ("tenant_id", "void_entry_id") REFERENCES "journal_entries"("tenant_id", "id"),
	CONSTRAINT "bill_payments_status_check" CHECK (status IN ('active', 'void')),
	CONSTRAINT "bill_payments_currency_check" CHECK (currency ~ '^[A-Z]{3}$'),
	CONSTRAINT "bill_payments_rate_check" CHECK (exchange_rate > 0),
	CONSTRAINT "bill_payments_amount_check" CHECK (amount > 0),
	CONSTRAINT "bill_payments_allocated_check" CHECK (amount_allocated >= 0 AND amount_allocated <= amount),
	CONSTRAINT "bill_payments_void_check" CHECK ((status = 'void') = (void_entry_id IS NOT NULL AND voided_at IS NOT NULL) AND (status = 'active' OR amount_allocated = 0)),
	CONSTRAINT "bill_payments_text_check" CHECK (char_length(reference) <= 100 AND char_length(memo) <= 1000 AND char_length(number) <= 40)
);
--> statement-breakpoint
CREATE INDEX "bill_payments_list_idx" ON "bill_payments" USING btree ("tenant_id", "date", "id");
--> statement-breakpoint
CREATE INDEX "bill_payments_vendor_idx" ON "bill_payments" USING btree ("tenant_id", "vendor_id", "status");
--> statement-breakpoint

-- 3. Purchase allocations: `amount` (the documents' common currency) of a payment or an open vendor
-- credit paying a bill, on `date` (never before either document). base_amount_bill /
-- base_amount_source: the base taken off each side (amount × that side's rate, rounded; the
-- allocation that settles a side takes its whole remaining base, so a settled document carries
-- nothing on the AP control account). fx_entry_id: the posting of the realised difference, null
-- when none. released_at: the payment was voided. bill_date, bill_due, source_date: set by the
-- trigger from the rows it locks (for the aged payables), fixed afterwards.
CREATE TABLE "purchase_allocations" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"id" uuid DEFAULT app_uuid_v7() NOT NULL,
	"bill_id" uuid NOT NULL,
	"payment_id" uuid,
	"vendor_credit_id" uuid,
	"vendor_id" uuid NOT NULL,
	"currency" char(3) NOT NULL,
	"date" date NOT NULL,
	"amount" numeric(20, 4) NOT NULL,
	"base_amount_bill" numeric(20, 4) NOT NULL,
	"base_amount_source" numeric(20, 4) NOT NULL,
	"fx_entry_id" uuid,
	"released_at" timestamp with time zone,
	"bill_date" date NOT NULL,
	"bill_due" date NOT NULL,
	"source_date" date NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "purchase_allocations_pkey" PRIMARY KEY("tenant_id", "id"),
	CONSTRAINT "purchase_allocations_bill_fkey" FOREIGN KEY ("tenant_id", "bill_id", "vendor_id", "currency") REFERENCES "bills"("tenant_id", "id", "vendor_id", "currency"),
	CONSTRAINT "purchase_allocations_vendor_credit_fkey" FOREIGN KEY ("tenant_id", "vendor_credit_id", "vendor_id", "currency") REFERENCES "bills"("tenant_id", "id", "vendor_id", "currency"),
	CONSTRAINT "purchase_allocations_payment_fkey" FOREIGN KEY ("tenant_id", "payment_id", "vendor_id", "currency") REFERENCES "bill_payments"("tenant_id", "id", "vendor_id", "currency"),
	CONSTRAINT "purchase_allocations_fx_entry_fkey" FOREIGN KEY ("tenant_id", "fx_entry_id") REFERENCES "journal_entries"("tenant_id", "id"),
	CONSTRAINT "purchase_allocations_source_check" CHECK (num_nonnulls(payment_id, vendor_credit_id) = 1),
	CONSTRAINT "purchase_allocations_amount_check" CHECK (amount > 0 AND base_amount_bill >= 0 AND base_amount_source >= 0),
	-- a vendor credit's allocation is never released (a credit with allocations is not voided)
	CONSTRAINT "purchase_allocations_release_check" CHECK (released_at IS NULL OR payment_id IS NOT NULL)
);
--> statement-breakpoint
CREATE INDEX "purchase_allocations_bill_idx" ON "purchase_allocations" USING btree ("tenant_id", "bill_id");
--> statement-breakpoint
CREATE INDEX "purchase_allocations_payment_idx" ON "purchase_allocations" USING btree ("tenant_id", "payment_id") WHERE payment_id IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "purchase_allocations_vendor_credit_idx" ON "purchase_allocations" USING btree ("tenant_id", "vendor_credit_id") WHERE vendor_credit_id IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "purchase_allocations_vendor_idx" ON "purchase_allocations" USING btree ("tenant_id", "vendor_id", "date");
--> statement-breakpoint
-- The aging's corrections: unreleased allocations dated after the report's date, and released ones.
CREATE INDEX "purchase_allocations_after_idx" ON "purchase_allocations" USING btree ("tenant_id", "date") INCLUDE ("vendor_id", "currency", "amount", "bill_date", "bill_due", "source_date") WHERE released_at IS NULL;
--> statement-breakpoint
CREATE INDEX "purchase_allocations_released_idx" ON "purchase_allocations" USING btree ("tenant_id", "date") WHERE released_at IS NOT NULL;
--> statement-breakpoint

-- An allocation written (INSERT) or released (released_at set): lock the source, then the bill,
-- check, and move both sides' amount_allocated and the bill's status. Nothing else about an
-- allocation changes but fx_entry_id, once, and released_at, once; it is never deleted.
CREATE OR REPLACE FUNCTION app_purchase_allocation_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  s_status text;
  s_amount numeric;
  s_allocated numeric;
  s_date date;
  s_vendor uuid;
  s_currency text;
  s_kind text;
  b_kind text;
  b_status text;
  b_total numeric;
  b_allocated numeric;
  b_date date;
  b_due date;
  b_vendor uuid;
  b_currency text;
  b_number text;
  delta numeric;
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'ALLOCATION_IMMUTABLE: an allocation is never deleted; void the payment to release it' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'UPDATE' THEN
    IF (NEW.tenant_id, NEW.id, NEW.bill_id, NEW.payment_id, NEW.vendor_credit_id, NEW.vendor_id, NEW.currency, NEW.date, NEW.amount,
        NEW.base_amount_bill, NEW.base_amount_source, NEW.created_by, NEW.created_at, NEW.bill_date, NEW.bill_due, NEW.source_date)
       IS DISTINCT FROM
       (OLD.tenant_id, OLD.id, OLD.bill_id, OLD.payment_id, OLD.vendor_credit_id, OLD.vendor_id, OLD.currency, OLD.date, OLD.amount,
        OLD.base_amount_bill, OLD.base_amount_source, OLD.created_by, OLD.created_at, OLD.bill_date, OLD.bill_due, OLD.source_date)
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
  IF NEW.payment_id IS NOT NULL THEN
    SELECT p.status, p.amount, p.amount_allocated, p.date, p.vendor_id, p.currency, 'payment'
      INTO s_status, s_amount, s_allocated, s_date, s_vendor, s_currency, s_kind
      FROM bill_payments p WHERE p.tenant_id = NEW.tenant_id AND p.id = NEW.payment_id FOR UPDATE;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'ALLOCATION_SOURCE_NOT_OPEN: payment % does not exist', NEW.payment_id USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'INSERT' AND s_status <> 'active' THEN
      RAISE EXCEPTION 'ALLOCATION_SOURCE_NOT_OPEN: the payment is void' USING ERRCODE = 'check_violation';
    END IF;
  ELSE
    SELECT c.status, c.total, c.amount_allocated, c.date, c.vendor_id, c.currency, c.kind
      INTO s_status, s_amount, s_allocated, s_date, s_vendor, s_currency, s_kind
      FROM bills c WHERE c.tenant_id = NEW.tenant_id AND c.id = NEW.vendor_credit_id FOR UPDATE;
    IF NOT FOUND OR s_kind <> 'vendor_credit' THEN
      RAISE EXCEPTION 'ALLOCATION_SOURCE_NOT_OPEN: % is not a vendor credit', NEW.vendor_credit_id USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'INSERT' AND s_status <> 'open' THEN
      RAISE EXCEPTION 'ALLOCATION_SOURCE_NOT_OPEN: the vendor credit is %', s_status USING ERRCODE = 'check_violation';
    END IF;
  END IF;

  -- 2. then the bill
  SELECT b.kind, b.status, b.total, b.amount_allocated, b.date, b.due_date, b.vendor_id, b.currency, b.number
    INTO b_kind, b_status, b_total, b_allocated, b_date, b_due, b_vendor, b_currency, b_number
    FROM bills b WHERE b.tenant_id = NEW.tenant_id AND b.id = NEW.bill_id FOR UPDATE;
  IF NOT FOUND OR b_kind <> 'bill' THEN
    RAISE EXCEPTION 'ALLOCATION_BILL_NOT_OPEN: % is not a bill', NEW.bill_id USING ERRCODE = 'check_violation';
  END IF;

  IF TG_OP = 'INSERT' THEN
    IF b_status NOT IN ('open', 'partially_paid') THEN
      RAISE EXCEPTION 'ALLOCATION_BILL_NOT_OPEN: bill % is %', coalesce(b_number, 'unposted'), b_status USING ERRCODE = 'check_violation';
    END IF;
    IF b_vendor <> NEW.vendor_id OR s_vendor <> NEW.vendor_id THEN
      RAISE EXCEPTION 'ALLOCATION_VENDOR_MISMATCH: the bill and the % belong to different vendors', replace(s_kind, '_', ' ') USING ERRCODE = 'check_violation';
    END IF;
    IF b_currency <> NEW.currency OR s_currency <> NEW.currency THEN
      RAISE EXCEPTION 'ALLOCATION_CURRENCY_MISMATCH: the bill is in %, the % in %', b_currency, replace(s_kind, '_', ' '), s_currency USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.date < b_date OR NEW.date < s_date THEN
      RAISE EXCEPTION 'ALLOCATION_INVALID: an allocation is dated on or after both documents (%)', greatest(b_date, s_date) USING ERRCODE = 'check_violation';
    END IF;
    IF b_allocated + delta > b_total THEN
      RAISE EXCEPTION 'ALLOCATION_EXCEEDS_DUE: bill % has % % due', b_number, b_total - b_allocated, b_currency USING ERRCODE = 'check_violation';
    END IF;
    IF s_allocated + delta > s_amount THEN
      RAISE EXCEPTION 'ALLOCATION_EXCEEDS_AVAILABLE: the % has % % unallocated', replace(s_kind, '_', ' '), s_amount - s_allocated, s_currency USING ERRCODE = 'check_violation';
    END IF;
    NEW.bill_date := b_date;
    NEW.bill_due := b_due;
    NEW.source_date := s_date;
  END IF;

  IF NEW.payment_id IS NOT NULL THEN
    UPDATE bill_payments SET amount_allocated = amount_allocated + delta WHERE tenant_id = NEW.tenant_id AND id = NEW.payment_id;
  ELSE
    UPDATE bills SET amount_allocated = amount_allocated + delta WHERE tenant_id = NEW.tenant_id AND id = NEW.vendor_credit_id;
  END IF;
  UPDATE bills
     SET amount_allocated = b_allocated + delta,
         status = CASE WHEN b_allocated + delta = 0 THEN 'open' WHEN b_allocated + delta = b_total THEN 'paid' ELSE 'partially_paid' END
   WHERE tenant_id = NEW.tenant_id AND id = NEW.bill_id;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER purchase_allocations_apply BEFORE INSERT OR UPDATE OR DELETE ON purchase_allocations
  FOR EACH ROW EXECUTE FUNCTION app_purchase_allocation_apply();
--> statement-breakpoint

-- A payment's figures never change; only its allocations move amount_allocated, and the void
-- (status, void entry, voided_at) happens once. Never deleted.
CREATE OR REPLACE FUNCTION app_bill_payment_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'BILL_PAYMENT_IMMUTABLE: payment % is never deleted; void it', OLD.number USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF OLD.status = 'void'
     OR (NEW.tenant_id, NEW.id, NEW.number, NEW.vendor_id, NEW.date, NEW.amount, NEW.currency, NEW.exchange_rate, NEW.payment_account_id,
         NEW.reference, NEW.memo, NEW.journal_entry_id, NEW.created_by, NEW.created_at)
        IS DISTINCT FROM
        (OLD.tenant_id, OLD.id, OLD.number, OLD.vendor_id, OLD.date, OLD.amount, OLD.currency, OLD.exchange_rate, OLD.payment_account_id,
         OLD.reference, OLD.memo, OLD.journal_entry_id, OLD.created_by, OLD.created_at) THEN
    RAISE EXCEPTION 'BILL_PAYMENT_IMMUTABLE: payment % changes only by its allocations and its void', OLD.number USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER bill_payments_guard BEFORE UPDATE OR DELETE ON bill_payments
  FOR EACH ROW EXECUTE FUNCTION app_bill_payment_guard();
--> statement-breakpoint
SELECT app_apply_tenant_policy('bill_payments');
--> statement-breakpoint
SELECT app_apply_tenant_policy('purchase_allocations');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON bill_payments, purchase_allocations TO paksa_app;
