-- Bills (issue 13 point 2; SPEC §5 `bills`, §6 module 6, §4 maker-checker). A bill mirrors a sales
-- document (server/domain/sales/documents.ts computes and posts both): the vendor's document, its
-- lines and their tax per component, its figures. Its life: draft → (submit) open, posted at once
-- when its total in base currency is at or below the settings' bill_approval_threshold, else
-- awaiting_approval → (approve, by someone other than the submitter with ap:approve) open, or
-- (reject, with a reason) back to draft. `number` (`BILL-000001`, gapless, `document_counters`
-- kind `bill`) is given when it posts; `vendor_reference` is the vendor's own number, unique per
-- vendor among bills that are not void (409 BILL_DUPLICATE_REFERENCE). Payments (to come) maintain
-- amount_allocated and move open / partially_paid / paid.
ALTER TABLE "tenant_settings" ADD COLUMN "bill_approval_threshold" numeric(20, 4) DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE "tenant_settings" ADD CONSTRAINT "tenant_settings_bill_threshold_check" CHECK (bill_approval_threshold >= 0 AND bill_approval_threshold < 10000000000000000);
--> statement-breakpoint
CREATE TABLE "bills" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"id" uuid DEFAULT app_uuid_v7() NOT NULL,
	"vendor_id" uuid NOT NULL,
	"number" text,
	"vendor_reference" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"date" date NOT NULL,
	"due_date" date NOT NULL,
	"currency" char(3) NOT NULL,
	"exchange_rate" numeric(24, 10) NOT NULL,
	"memo" text,
	"amounts_are" text NOT NULL,
	"subtotal" numeric(20, 4) DEFAULT 0 NOT NULL,
	"tax_total" numeric(20, 4) DEFAULT 0 NOT NULL,
	"total" numeric(20, 4) DEFAULT 0 NOT NULL,
	"amount_allocated" numeric(20, 4) DEFAULT 0 NOT NULL,
	"journal_entry_id" uuid,
	"void_entry_id" uuid,
	"submitted_by" uuid,
	"submitted_at" timestamp with time zone,
	"approved_by" uuid,
	"approved_at" timestamp with time zone,
	"rejected_by" uuid,
	"rejected_at" timestamp with time zone,
	"rejection_reason" text,
	"posted_at" timestamp with time zone,
	"voided_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bills_pkey" PRIMARY KEY("tenant_id", "id"),
	CONSTRAINT "bills_number_key" UNIQUE("tenant_id", "number"),
	CONSTRAINT "bills_vendor_fkey" FOREIGN KEY ("tenant_id", "vendor_id") REFERENCES "vendors"("tenant_id", "id"),
	CONSTRAINT "bills_entry_fkey" FOREIGN KEY ("tenant_id", "journal_entry_id") REFERENCES "journal_entries"("tenant_id", "id"),
	CONSTRAINT "bills_void_entry_fkey" FOREIGN KEY ("tenant_id", "void_entry_id") REFERENCES "journal_entries"("tenant_id", "id"),
	CONSTRAINT "bills_status_check" CHECK (status IN ('draft', 'awaiting_approval', 'open', 'partially_paid', 'paid', 'void')),
	CONSTRAINT "bills_amounts_are_check" CHECK (amounts_are IN ('exclusive', 'inclusive')),
	CONSTRAINT "bills_currency_check" CHECK (currency ~ '^[A-Z]{3}$'),
	CONSTRAINT "bills_rate_check" CHECK (exchange_rate > 0),
	CONSTRAINT "bills_totals_check" CHECK (subtotal >= 0 AND tax_total >= 0 AND total = subtotal + tax_total),
	CONSTRAINT "bills_allocated_check" CHECK (amount_allocated >= 0 AND amount_allocated <= total),
	CONSTRAINT "bills_due_check" CHECK (due_date >= date),
	-- unposted (draft, awaiting approval): no number, no entry, nothing paid; posted (any later status): number, entry, posted_at
	CONSTRAINT "bills_post_check" CHECK (
	  CASE WHEN status IN ('draft', 'awaiting_approval')
	       THEN number IS NULL AND journal_entry_id IS NULL AND posted_at IS NULL AND amount_allocated = 0
	       ELSE number IS NOT NULL AND journal_entry_id IS NOT NULL AND posted_at IS NOT NULL END),
	-- waiting for approval: submitted; approved: by someone other than the submitter (SPEC §4)
	CONSTRAINT "bills_submitted_check" CHECK (status = 'draft' OR (submitted_by IS NOT NULL AND submitted_at IS NOT NULL)),
	CONSTRAINT "bills_four_eyes_check" CHECK (approved_by IS NULL OR (approved_at IS NOT NULL AND approved_by IS DISTINCT FROM submitted_by)),
	CONSTRAINT "bills_rejected_check" CHECK ((rejected_by IS NULL) = (rejected_at IS NULL) AND (rejected_by IS NULL) = (rejection_reason IS NULL)),
	CONSTRAINT "bills_void_check" CHECK ((status = 'void') = (void_entry_id IS NOT NULL AND voided_at IS NOT NULL)),
	CONSTRAINT "bills_text_check" CHECK (char_length(vendor_reference) BETWEEN 1 AND 100 AND char_length(memo) <= 1000 AND char_length(rejection_reason) BETWEEN 1 AND 1000)
);
--> statement-breakpoint
-- The duplicate guard: one vendor's reference once among bills that are not void (a void bill frees it).
CREATE UNIQUE INDEX "bills_vendor_reference_key" ON "bills" USING btree ("tenant_id", "vendor_id", lower("vendor_reference")) WHERE status <> 'void';
--> statement-breakpoint
CREATE INDEX "bills_list_idx" ON "bills" USING btree ("tenant_id", "date", "id");
--> statement-breakpoint
CREATE INDEX "bills_status_idx" ON "bills" USING btree ("tenant_id", "status", "due_date");
--> statement-breakpoint

-- Lines: the expense (or asset) account resolved at save and the figures of shared/sales/document-maths.ts.
CREATE TABLE "bill_lines" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"bill_id" uuid NOT NULL,
	"line_no" smallint NOT NULL,
	"item_id" uuid,
	"description" text NOT NULL,
	"quantity" numeric(19, 4) NOT NULL,
	"unit_price" numeric(20, 4) NOT NULL,
	"discount_percent" numeric(7, 4) DEFAULT 0 NOT NULL,
	"account_id" uuid NOT NULL,
	"tax_rate_id" uuid,
	"amount" numeric(20, 4) NOT NULL,
	"net" numeric(20, 4) NOT NULL,
	"tax" numeric(20, 4) NOT NULL,
	"total" numeric(20, 4) NOT NULL,
	CONSTRAINT "bill_lines_pkey" PRIMARY KEY("tenant_id", "bill_id", "line_no"),
	CONSTRAINT "bill_lines_bill_fkey" FOREIGN KEY ("tenant_id", "bill_id") REFERENCES "bills"("tenant_id", "id") ON DELETE CASCADE,
	CONSTRAINT "bill_lines_item_fkey" FOREIGN KEY ("tenant_id", "item_id") REFERENCES "items"("tenant_id", "id"),
	CONSTRAINT "bill_lines_account_fkey" FOREIGN KEY ("tenant_id", "account_id") REFERENCES "accounts"("tenant_id", "id"),
	CONSTRAINT "bill_lines_tax_rate_fkey" FOREIGN KEY ("tenant_id", "tax_rate_id") REFERENCES "tax_rates"("tenant_id", "id"),
	CONSTRAINT "bill_lines_figures_check" CHECK (
	  line_no >= 1 AND quantity > 0 AND unit_price >= 0 AND discount_percent >= 0 AND discount_percent <= 100
	  AND amount >= 0 AND net >= 0 AND tax >= 0 AND total = net + tax),
	CONSTRAINT "bill_lines_text_check" CHECK (char_length(description) BETWEEN 1 AND 1000)
);
--> statement-breakpoint
CREATE INDEX "bill_lines_tax_rate_idx" ON "bill_lines" USING btree ("tenant_id", "tax_rate_id") WHERE tax_rate_id IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "bill_lines_item_idx" ON "bill_lines" USING btree ("tenant_id", "item_id") WHERE item_id IS NOT NULL;
--> statement-breakpoint

-- The recoverable purchase tax of each line per component, copied as the bill charged it.
CREATE TABLE "bill_line_taxes" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"bill_id" uuid NOT NULL,
	"line_no" smallint NOT NULL,
	"position" smallint NOT NULL,
	"tax_rate_id" uuid NOT NULL,
	"name" text NOT NULL,
	"rate" numeric(7, 4) NOT NULL,
	"account_id" uuid NOT NULL,
	"net" numeric(20, 4) NOT NULL,
	"tax" numeric(20, 4) NOT NULL,
	CONSTRAINT "bill_line_taxes_pkey" PRIMARY KEY("tenant_id", "bill_id", "line_no", "position"),
	CONSTRAINT "bill_line_taxes_line_fkey" FOREIGN KEY ("tenant_id", "bill_id", "line_no") REFERENCES "bill_lines"("tenant_id", "bill_id", "line_no") ON DELETE CASCADE,
	CONSTRAINT "bill_line_taxes_tax_rate_fkey" FOREIGN KEY ("tenant_id", "tax_rate_id") REFERENCES "tax_rates"("tenant_id", "id"),
	CONSTRAINT "bill_line_taxes_account_fkey" FOREIGN KEY ("tenant_id", "account_id") REFERENCES "accounts"("tenant_id", "id"),
	CONSTRAINT "bill_line_taxes_figures_check" CHECK (rate >= 0 AND rate < 1000 AND net >= 0 AND tax >= 0)
);
--> statement-breakpoint
CREATE INDEX "bill_line_taxes_rate_idx" ON "bill_line_taxes" USING btree ("tenant_id", "tax_rate_id");
--> statement-breakpoint

-- The vendor's document as received (PDF, PNG or JPEG, type sniffed from the bytes, at most 10 MiB:
-- BILL_ATTACHMENT_MAX_BYTES in server/domain/purchases/bills.ts), the bytes in the row as the logo's
-- are. Added at any status (evidence arrives late); never changed in place.
CREATE TABLE "bill_attachments" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"id" uuid DEFAULT app_uuid_v7() NOT NULL,
	"bill_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"media_type" text NOT NULL,
	"bytes" bytea NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bill_attachments_pkey" PRIMARY KEY("tenant_id", "id"),
	CONSTRAINT "bill_attachments_bill_fkey" FOREIGN KEY ("tenant_id", "bill_id") REFERENCES "bills"("tenant_id", "id") ON DELETE CASCADE,
	CONSTRAINT "bill_attachments_file_check" CHECK (
	  media_type IN ('application/pdf', 'image/png', 'image/jpeg')
	  AND size = octet_length(bytes) AND size BETWEEN 1 AND 10485760
	  AND sha256 = encode(sha256(bytes), 'hex')
	  AND char_length(file_name) BETWEEN 1 AND 200)
);
--> statement-breakpoint
CREATE INDEX "bill_attachments_bill_idx" ON "bill_attachments" USING btree ("tenant_id", "bill_id");
--> statement-breakpoint

-- A posted bill is immutable but for what payments move (amount_allocated, open / partially_paid /
-- paid) and the void (once, nothing allocated); a void bill changes no more. Only a draft is
-- deleted, and only a draft's lines are written (awaiting approval is fixed too: the approver
-- approves what they saw).
CREATE OR REPLACE FUNCTION app_bill_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status <> 'draft' THEN
      RAISE EXCEPTION 'BILL_NOT_DRAFT: bill % is % and cannot be deleted', coalesce(OLD.number, OLD.vendor_reference), OLD.status USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status = 'draft' THEN
    RETURN NEW;
  END IF;
  IF OLD.status = 'awaiting_approval' THEN
    IF NEW.status NOT IN ('awaiting_approval', 'draft', 'open')
       OR (NEW.vendor_id, NEW.vendor_reference, NEW.date, NEW.due_date, NEW.currency, NEW.exchange_rate, NEW.memo, NEW.amounts_are,
           NEW.subtotal, NEW.tax_total, NEW.total, NEW.created_by, NEW.created_at)
          IS DISTINCT FROM
          (OLD.vendor_id, OLD.vendor_reference, OLD.date, OLD.due_date, OLD.currency, OLD.exchange_rate, OLD.memo, OLD.amounts_are,
           OLD.subtotal, OLD.tax_total, OLD.total, OLD.created_by, OLD.created_at) THEN
      RAISE EXCEPTION 'BILL_NOT_DRAFT: a bill awaiting approval is approved or rejected, not changed' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
  END IF;
  IF OLD.status = 'void' OR NEW.status IN ('draft', 'awaiting_approval')
     OR (NEW.vendor_id, NEW.number, NEW.vendor_reference, NEW.date, NEW.due_date, NEW.currency, NEW.exchange_rate, NEW.memo, NEW.amounts_are,
         NEW.subtotal, NEW.tax_total, NEW.total, NEW.journal_entry_id, NEW.posted_at, NEW.submitted_by, NEW.submitted_at,
         NEW.approved_by, NEW.approved_at, NEW.created_by, NEW.created_at)
        IS DISTINCT FROM
        (OLD.vendor_id, OLD.number, OLD.vendor_reference, OLD.date, OLD.due_date, OLD.currency, OLD.exchange_rate, OLD.memo, OLD.amounts_are,
         OLD.subtotal, OLD.tax_total, OLD.total, OLD.journal_entry_id, OLD.posted_at, OLD.submitted_by, OLD.submitted_at,
         OLD.approved_by, OLD.approved_at, OLD.created_by, OLD.created_at)
     OR (NEW.status = 'void' AND NEW.amount_allocated <> 0) THEN
    RAISE EXCEPTION 'BILL_NOT_DRAFT: bill % is posted; only payments and a void change it', OLD.number USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER bills_guard BEFORE UPDATE OR DELETE ON bills
  FOR EACH ROW EXECUTE FUNCTION app_bill_guard();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_bill_lines_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_status text;
BEGIN
  SELECT b.status INTO v_status FROM bills b
   WHERE b.tenant_id = coalesce(NEW.tenant_id, OLD.tenant_id) AND b.id = coalesce(NEW.bill_id, OLD.bill_id);
  IF v_status IS NOT NULL AND v_status <> 'draft' THEN
    RAISE EXCEPTION 'BILL_NOT_DRAFT: the lines of a submitted bill cannot be changed' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN coalesce(NEW, OLD);
END $$;
--> statement-breakpoint
CREATE TRIGGER bill_lines_guard BEFORE INSERT OR UPDATE OR DELETE ON bill_lines
  FOR EACH ROW EXECUTE FUNCTION app_bill_lines_guard();
--> statement-breakpoint
CREATE TRIGGER bill_line_taxes_guard BEFORE INSERT OR UPDATE OR DELETE ON bill_line_taxes
  FOR EACH ROW EXECUTE FUNCTION app_bill_lines_guard();
--> statement-breakpoint
SELECT app_apply_tenant_policy('bills');
--> statement-breakpoint
SELECT app_apply_tenant_policy('bill_lines');
--> statement-breakpoint
SELECT app_apply_tenant_policy('bill_line_taxes');
--> statement-breakpoint
SELECT app_apply_tenant_policy('bill_attachments');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON bills, bill_lines, bill_line_taxes TO paksa_app;
--> statement-breakpoint
-- Deleted only with their draft (cascade); never changed in place.
GRANT SELECT, INSERT, DELETE ON bill_attachments TO paksa_app;
