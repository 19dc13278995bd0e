-- Sales documents (issue 12 points 4–5): invoices and credit notes in one table, their lines, the
-- tax per line and component as issued, and the gapless document counters. Receipts and
-- allocations (another migration) maintain `amount_allocated` and move the status between
-- issued / partially_paid / paid; this one only bounds it.
--
-- A draft has no number, no journal entry and can be changed or deleted; issuing gives it the next
-- number of its (kind, prefix) counter and posts one entry with source {type: kind, id}; voiding
-- posts the reversal with the same source. An issued document's figures never change: the
-- triggers below refuse it whatever the code does.
CREATE TABLE "sales_documents" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"id" uuid DEFAULT app_uuid_v7() NOT NULL,
	"kind" text NOT NULL,
	"customer_id" uuid NOT NULL,
	"number" text,
	"status" text DEFAULT 'draft' NOT NULL,
	"date" date NOT NULL,
	"due_date" date,
	"currency" char(3) NOT NULL,
	"exchange_rate" numeric(24, 10) NOT NULL,
	"reference" text,
	"memo" text,
	"amounts_are" text NOT NULL,
	"subtotal" numeric(20, 4) DEFAULT 0 NOT NULL,
	"tax_total" numeric(20, 4) DEFAULT 0 NOT NULL,
	"total" numeric(20, 4) DEFAULT 0 NOT NULL,
	"amount_allocated" numeric(20, 4) DEFAULT 0 NOT NULL,
	"invoice_id" uuid,
	"journal_entry_id" uuid,
	"void_entry_id" uuid,
	"issued_at" timestamp with time zone,
	"voided_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sales_documents_pkey" PRIMARY KEY("tenant_id", "id"),
	CONSTRAINT "sales_documents_number_key" UNIQUE("tenant_id", "kind", "number"),
	-- the target of a credit note's invoice_id: same customer and currency by the foreign key
	CONSTRAINT "sales_documents_match_key" UNIQUE("tenant_id", "id", "customer_id", "currency"),
	CONSTRAINT "sales_documents_customer_fkey" FOREIGN KEY ("tenant_id", "customer_id") REFERENCES "customers"("tenant_id", "id"),
	CONSTRAINT "sales_documents_invoice_fkey" FOREIGN KEY ("tenant_id", "invoice_id", "customer_id", "currency") REFERENCES "sales_documents"("tenant_id", "id", "customer_id", "currency"),
	CONSTRAINT "sales_documents_entry_fkey" FOREIGN KEY ("tenant_id", "journal_entry_id") REFERENCES "journal_entries"("tenant_id", "id"),
	CONSTRAINT "sales_documents_void_entry_fkey" FOREIGN KEY ("tenant_id", "void_entry_id") REFERENCES "journal_entries"("tenant_id", "id"),
	CONSTRAINT "sales_documents_kind_check" CHECK (kind IN ('invoice', 'credit_note')),
	CONSTRAINT "sales_documents_status_check" CHECK (status IN ('draft', 'issued', 'partially_paid', 'paid', 'void')),
	CONSTRAINT "sales_documents_amounts_are_check" CHECK (amounts_are IN ('exclusive', 'inclusive')),
	CONSTRAINT "sales_documents_currency_check" CHECK (currency ~ '^[A-Z]{3}$'),
	CONSTRAINT "sales_documents_rate_check" CHECK (exchange_rate > 0),
	CONSTRAINT "sales_documents_totals_check" CHECK (subtotal >= 0 AND tax_total >= 0 AND total = subtotal + tax_total),
	CONSTRAINT "sales_documents_allocated_check" CHECK (amount_allocated >= 0 AND amount_allocated <= total),
	CONSTRAINT "sales_documents_invoice_check" CHECK (invoice_id IS NULL OR (kind = 'credit_note' AND invoice_id <> id)),
	CONSTRAINT "sales_documents_due_check" CHECK (due_date IS NULL OR (kind = 'invoice' AND due_date >= date)),
	-- drafts: no number, no entry; issued (any later status): number, entry, issued_at
	CONSTRAINT "sales_documents_issue_check" CHECK (
	  CASE WHEN status = 'draft'
	       THEN number IS NULL AND journal_entry_id IS NULL AND issued_at IS NULL AND amount_allocated = 0
	       ELSE number IS NOT NULL AND journal_entry_id IS NOT NULL AND issued_at IS NOT NULL END),
	CONSTRAINT "sales_documents_void_check" CHECK ((status = 'void') = (void_entry_id IS NOT NULL AND voided_at IS NOT NULL)),
	CONSTRAINT "sales_documents_text_check" CHECK (char_length(reference) <= 100 AND char_length(memo) <= 1000)
);
--> statement-breakpoint
CREATE INDEX "sales_documents_list_idx" ON "sales_documents" USING btree ("tenant_id", "kind", "date", "id");
--> statement-breakpoint
CREATE INDEX "sales_documents_customer_idx" ON "sales_documents" USING btree ("tenant_id", "customer_id", "kind", "status");
--> statement-breakpoint
CREATE INDEX "sales_documents_invoice_idx" ON "sales_documents" USING btree ("tenant_id", "invoice_id") WHERE invoice_id IS NOT NULL;
--> statement-breakpoint

-- Lines: the income account resolved at save (the line's, else the item's) and the figures of
-- shared/sales/document-maths.ts, fixed to the currency's minor unit.
CREATE TABLE "sales_document_lines" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"document_id" uuid NOT NULL,
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
	CONSTRAINT "sales_document_lines_pkey" PRIMARY KEY("tenant_id", "document_id", "line_no"),
	CONSTRAINT "sales_document_lines_document_fkey" FOREIGN KEY ("tenant_id", "document_id") REFERENCES "sales_documents"("tenant_id", "id") ON DELETE CASCADE,
	CONSTRAINT "sales_document_lines_item_fkey" FOREIGN KEY ("tenant_id", "item_id") REFERENCES "items"("tenant_id", "id"),
	CONSTRAINT "sales_document_lines_account_fkey" FOREIGN KEY ("tenant_id", "account_id") REFERENCES "accounts"("tenant_id", "id"),
	CONSTRAINT "sales_document_lines_tax_rate_fkey" FOREIGN KEY ("tenant_id", "tax_rate_id") REFERENCES "tax_rates"("tenant_id", "id"),
	CONSTRAINT "sales_document_lines_figures_check" CHECK (
	  line_no >= 1 AND quantity > 0 AND unit_price >= 0 AND discount_percent >= 0 AND discount_percent <= 100
	  AND amount >= 0 AND net >= 0 AND tax >= 0 AND total = net + tax),
	CONSTRAINT "sales_document_lines_text_check" CHECK (char_length(description) BETWEEN 1 AND 1000)
);
--> statement-breakpoint
CREATE INDEX "sales_document_lines_tax_rate_idx" ON "sales_document_lines" USING btree ("tenant_id", "tax_rate_id") WHERE tax_rate_id IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "sales_document_lines_item_idx" ON "sales_document_lines" USING btree ("tenant_id", "item_id") WHERE item_id IS NOT NULL;
--> statement-breakpoint

-- The tax of each line per component, with the component's name, rate and account copied: what the
-- document charged, whatever happens to the rate later (the PDF's tax per rate, the tax summary).
-- A simple rate is one component at position 0.
CREATE TABLE "sales_document_line_taxes" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"document_id" uuid NOT NULL,
	"line_no" smallint NOT NULL,
	"position" smallint NOT NULL,
	"tax_rate_id" uuid NOT NULL,
	"name" text NOT NULL,
	"rate" numeric(7, 4) NOT NULL,
	"account_id" uuid NOT NULL,
	"net" numeric(20, 4) NOT NULL,
	"tax" numeric(20, 4) NOT NULL,
	CONSTRAINT "sales_document_line_taxes_pkey" PRIMARY KEY("tenant_id", "document_id", "line_no", "position"),
	CONSTRAINT "sales_document_line_taxes_line_fkey" FOREIGN KEY ("tenant_id", "document_id", "line_no") REFERENCES "sales_document_lines"("tenant_id", "document_id", "line_no") ON DELETE CASCADE,
	CONSTRAINT "sales_document_line_taxes_tax_rate_fkey" FOREIGN KEY ("tenant_id", "tax_rate_id") REFERENCES "tax_rates"("tenant_id", "id"),
	CONSTRAINT "sales_document_line_taxes_account_fkey" FOREIGN KEY ("tenant_id", "account_id") REFERENCES "accounts"("tenant_id", "id"),
	CONSTRAINT "sales_document_line_taxes_figures_check" CHECK (rate >= 0 AND rate < 1000 AND net >= 0 AND tax >= 0)
);
--> statement-breakpoint
CREATE INDEX "sales_document_line_taxes_rate_idx" ON "sales_document_line_taxes" USING btree ("tenant_id", "tax_rate_id");
--> statement-breakpoint

-- Gapless numbers per tenant, document kind and prefix: the issuing transaction takes the row with
-- UPDATE … RETURNING (a row lock until commit), so a rolled-back issue gives its number back and
-- concurrent issues queue on the row. A new prefix starts its own series at 1.
CREATE TABLE "document_counters" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"kind" text NOT NULL,
	"prefix" text NOT NULL,
	"next_number" bigint DEFAULT 1 NOT NULL,
	CONSTRAINT "document_counters_pkey" PRIMARY KEY("tenant_id", "kind", "prefix"),
	CONSTRAINT "document_counters_next_check" CHECK (next_number >= 1),
	CONSTRAINT "document_counters_kind_check" CHECK (kind ~ '^[a-z][a-z_]{0,39}$')
);
--> statement-breakpoint

-- An issued document is immutable but for what the subledger moves: amount_allocated and the
-- status between issued / partially_paid / paid (allocations), and the void (status, void entry,
-- voided_at) once; a void document changes no more. A non-draft is never deleted, and the lines and
-- taxes of a non-draft are never written.
CREATE OR REPLACE FUNCTION app_sales_document_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status <> 'draft' THEN
      RAISE EXCEPTION 'SALES_DOCUMENT_NOT_DRAFT: % % is issued and cannot be deleted', OLD.kind, OLD.number USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status = 'draft' THEN
    RETURN NEW;
  END IF;
  IF OLD.status = 'void' OR NEW.status = 'draft'
     OR (NEW.kind, NEW.customer_id, NEW.number, NEW.date, NEW.due_date, NEW.currency, NEW.exchange_rate, NEW.reference, NEW.memo,
         NEW.amounts_are, NEW.subtotal, NEW.tax_total, NEW.total, NEW.invoice_id, NEW.journal_entry_id, NEW.issued_at, NEW.created_by, NEW.created_at)
        IS DISTINCT FROM
        (OLD.kind, OLD.customer_id, OLD.number, OLD.date, OLD.due_date, OLD.currency, OLD.exchange_rate, OLD.reference, OLD.memo,
         OLD.amounts_are, OLD.subtotal, OLD.tax_total, OLD.total, OLD.invoice_id, OLD.journal_entry_id, OLD.issued_at, OLD.created_by, OLD.created_at)
     OR (NEW.status = 'void' AND NEW.amount_allocated <> 0) THEN
    RAISE EXCEPTION 'SALES_DOCUMENT_NOT_DRAFT: % % is issued; only allocations and a void change it', OLD.kind, OLD.number USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER sales_documents_guard BEFORE UPDATE OR DELETE ON sales_documents
  FOR EACH ROW EXECUTE FUNCTION app_sales_document_guard();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_sales_document_lines_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_status text;
BEGIN
  -- a draft deleted with its lines (ON DELETE CASCADE) is no longer visible here: nothing to guard
  SELECT d.status INTO v_status FROM sales_documents d
   WHERE d.tenant_id = coalesce(NEW.tenant_id, OLD.tenant_id) AND d.id = coalesce(NEW.document_id, OLD.document_id);
  IF v_status IS NOT NULL AND v_status <> 'draft' THEN
    RAISE EXCEPTION 'SALES_DOCUMENT_NOT_DRAFT: the lines of an issued document cannot be changed' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN coalesce(NEW, OLD);
END $$;
--> statement-breakpoint
CREATE TRIGGER sales_document_lines_guard BEFORE INSERT OR UPDATE OR DELETE ON sales_document_lines
  FOR EACH ROW EXECUTE FUNCTION app_sales_document_lines_guard();
--> statement-breakpoint
CREATE TRIGGER sales_document_line_taxes_guard BEFORE INSERT OR UPDATE OR DELETE ON sales_document_line_taxes
  FOR EACH ROW EXECUTE FUNCTION app_sales_document_lines_guard();
--> statement-breakpoint
SELECT app_apply_tenant_policy('sales_documents');
--> statement-breakpoint
SELECT app_apply_tenant_policy('sales_document_lines');
--> statement-breakpoint
SELECT app_apply_tenant_policy('sales_document_line_taxes');
--> statement-breakpoint
SELECT app_apply_tenant_policy('document_counters');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON sales_documents, sales_document_lines, sales_document_line_taxes TO paksa_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON document_counters TO paksa_app;
