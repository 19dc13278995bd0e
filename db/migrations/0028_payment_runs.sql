-- Payment runs (issue 13 point 4; SPEC §5 `payment-runs`, §4 maker-checker): a batch of bills to
-- pay from one cash or bank account, prepared by one person and approved by another with ap:pay
-- before anything posts. Approval creates one bill payment per vendor and currency and stores the
-- bank files (pain.001.001.03 and CSV) it produced, so every download gives the same bytes.
-- `number` (`PR-000001`, gapless, `document_counters` kind `payment_run`) is given when the run is
-- prepared; a cancelled run keeps it.
CREATE TABLE "payment_runs" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"id" uuid DEFAULT app_uuid_v7() NOT NULL,
	"number" text NOT NULL,
	"status" text DEFAULT 'prepared' NOT NULL,
	"date" date NOT NULL,
	"payment_account_id" uuid NOT NULL,
	"due_on_or_before" date,
	"prepared_by" uuid NOT NULL,
	"prepared_at" timestamp with time zone DEFAULT now() NOT NULL,
	"approved_by" uuid,
	"approved_at" timestamp with time zone,
	"cancelled_by" uuid,
	"cancelled_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_runs_pkey" PRIMARY KEY("tenant_id", "id"),
	CONSTRAINT "payment_runs_number_key" UNIQUE("tenant_id", "number"),
	-- what the items' copy of the status references (ON UPDATE CASCADE keeps it in step)
	CONSTRAINT "payment_runs_status_key" UNIQUE("tenant_id", "id", "status"),
	CONSTRAINT "payment_runs_account_fkey" FOREIGN KEY ("tenant_id", "payment_account_id") REFERENCES "accounts"("tenant_id", "id"),
	CONSTRAINT "payment_runs_status_check" CHECK (status IN ('prepared', 'approved', 'cancelled')),
	-- approved: by someone other than the preparer (SPEC §4: money leaving takes a second person)
	CONSTRAINT "payment_runs_four_eyes_check" CHECK (approved_by IS NULL OR approved_by <> prepared_by),
	CONSTRAINT "payment_runs_approved_check" CHECK ((status = 'approved') = (approved_by IS NOT NULL AND approved_at IS NOT NULL)),
	CONSTRAINT "payment_runs_cancelled_check" CHECK ((status = 'cancelled') = (cancelled_by IS NOT NULL AND cancelled_at IS NOT NULL))
);
--> statement-breakpoint
CREATE INDEX "payment_runs_list_idx" ON "payment_runs" USING btree ("tenant_id", "date", "id");
--> statement-breakpoint

-- One bill of a run: the open amount it pays (in the bill's currency, taken when the run is
-- prepared and checked again under lock at approval), the vendor it pays, and after approval the
-- bill payment that paid it, or why it was left out (no usable bank details).
CREATE TABLE "payment_run_items" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"run_id" uuid NOT NULL,
	"run_status" text DEFAULT 'prepared' NOT NULL,
	"bill_id" uuid NOT NULL,
	"vendor_id" uuid NOT NULL,
	"currency" char(3) NOT NULL,
	"amount" numeric(20, 4) NOT NULL,
	"excluded_reason" text,
	"payment_id" uuid,
	CONSTRAINT "payment_run_items_pkey" PRIMARY KEY("tenant_id", "run_id", "bill_id"),
	CONSTRAINT "payment_run_items_run_fkey" FOREIGN KEY ("tenant_id", "run_id", "run_status") REFERENCES "payment_runs"("tenant_id", "id", "status") ON UPDATE CASCADE,
	CONSTRAINT "payment_run_items_bill_fkey" FOREIGN KEY ("tenant_id", "bill_id") REFERENCES "bills"("tenant_id", "id"),
	CONSTRAINT "payment_run_items_vendor_fkey" FOREIGN KEY ("tenant_id", "vendor_id") REFERENCES "vendors"("tenant_id", "id"),
	CONSTRAINT "payment_run_items_payment_fkey" FOREIGN KEY ("tenant_id", "payment_id") REFERENCES "bill_payments"("tenant_id", "id"),
	CONSTRAINT "payment_run_items_amount_check" CHECK (amount > 0),
	CONSTRAINT "payment_run_items_currency_check" CHECK (currency ~ '^[A-Z]{3}$'),
	CONSTRAINT "payment_run_items_excluded_check" CHECK (excluded_reason IN ('no_account', 'invalid_iban', 'invalid_account_number', 'invalid_bic')),
	CONSTRAINT "payment_run_items_paid_check" CHECK (payment_id IS NULL OR excluded_reason IS NULL)
);
--> statement-breakpoint
-- A bill is in at most one prepared run: two runs never pay it twice.
CREATE UNIQUE INDEX "payment_run_items_prepared_key" ON "payment_run_items" USING btree ("tenant_id", "bill_id") WHERE run_status = 'prepared';
--> statement-breakpoint
CREATE INDEX "payment_run_items_bill_idx" ON "payment_run_items" USING btree ("tenant_id", "bill_id");
--> statement-breakpoint

-- The files approval produced, as downloaded: never changed, so a download's SHA-256 names them.
CREATE TABLE "payment_run_files" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"run_id" uuid NOT NULL,
	"format" text NOT NULL,
	"file_name" text NOT NULL,
	"media_type" text NOT NULL,
	"bytes" bytea NOT NULL,
	"sha256" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_run_files_pkey" PRIMARY KEY("tenant_id", "run_id", "format"),
	CONSTRAINT "payment_run_files_run_fkey" FOREIGN KEY ("tenant_id", "run_id") REFERENCES "payment_runs"("tenant_id", "id"),
	CONSTRAINT "payment_run_files_check" CHECK (
	  format IN ('pain001', 'csv') AND media_type IN ('application/xml', 'text/csv')
	  AND octet_length(bytes) > 0 AND sha256 = encode(sha256(bytes), 'hex') AND char_length(file_name) BETWEEN 1 AND 100)
);
--> statement-breakpoint

-- A run changes only from prepared, to approved or cancelled, and only in what that step sets;
-- approval needs every bill paid or left out with a reason (the items are written first). A run
-- is never deleted.
CREATE OR REPLACE FUNCTION app_payment_run_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'PAYMENT_RUN_NOT_PREPARED: payment run % is kept; cancel it instead', OLD.number USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF OLD.status <> 'prepared' OR NEW.status = 'prepared'
     OR (NEW.number, NEW.date, NEW.payment_account_id, NEW.due_on_or_before, NEW.prepared_by, NEW.prepared_at, NEW.created_at)
        IS DISTINCT FROM
        (OLD.number, OLD.date, OLD.payment_account_id, OLD.due_on_or_before, OLD.prepared_by, OLD.prepared_at, OLD.created_at) THEN
    RAISE EXCEPTION 'PAYMENT_RUN_NOT_PREPARED: payment run % is %; only a prepared run is approved or cancelled', OLD.number, OLD.status USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF NEW.status = 'approved' AND EXISTS (
    SELECT 1 FROM payment_run_items i
     WHERE i.tenant_id = NEW.tenant_id AND i.run_id = NEW.id AND i.payment_id IS NULL AND i.excluded_reason IS NULL) THEN
    RAISE EXCEPTION 'PAYMENT_RUN_NOT_PREPARED: every bill of an approved run is paid or left out with a reason' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER payment_runs_guard BEFORE UPDATE OR DELETE ON payment_runs
  FOR EACH ROW EXECUTE FUNCTION app_payment_run_guard();
--> statement-breakpoint
-- Items are added to a prepared run only; while it is prepared only the outcome (payment, reason)
-- is written; the status copy moves with the run (the cascade). Never deleted.
CREATE OR REPLACE FUNCTION app_payment_run_items_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.run_status <> 'prepared' THEN
      RAISE EXCEPTION 'PAYMENT_RUN_NOT_PREPARED: bills are added to a prepared run only' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'DELETE' OR OLD.run_status <> 'prepared'
     OR (NEW.run_id, NEW.bill_id, NEW.vendor_id, NEW.currency, NEW.amount) IS DISTINCT FROM (OLD.run_id, OLD.bill_id, OLD.vendor_id, OLD.currency, OLD.amount) THEN
    RAISE EXCEPTION 'PAYMENT_RUN_NOT_PREPARED: the bills of a payment run are fixed once it is approved or cancelled' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER payment_run_items_guard BEFORE INSERT OR UPDATE OR DELETE ON payment_run_items
  FOR EACH ROW EXECUTE FUNCTION app_payment_run_items_guard();
--> statement-breakpoint
-- Files are written by the approval, in the same transaction, while the run is still prepared.
CREATE OR REPLACE FUNCTION app_payment_run_files_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM payment_runs r WHERE r.tenant_id = NEW.tenant_id AND r.id = NEW.run_id AND r.status = 'prepared';
  IF NOT FOUND THEN
    RAISE EXCEPTION 'PAYMENT_RUN_NOT_PREPARED: the files of a payment run are written once, at its approval' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER payment_run_files_guard BEFORE INSERT ON payment_run_files
  FOR EACH ROW EXECUTE FUNCTION app_payment_run_files_guard();
--> statement-breakpoint
SELECT app_apply_tenant_policy('payment_runs');
--> statement-breakpoint
SELECT app_apply_tenant_policy('payment_run_items');
--> statement-breakpoint
SELECT app_apply_tenant_policy('payment_run_files');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON payment_runs, payment_run_items TO paksa_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON payment_run_files TO paksa_app;
