-- Recurring invoices and dunning reminders (issue 12 point 6; server/domain/sales/README.md "Jobs").
--
-- recurring_invoices: a schedule that makes an invoice from its template at each occurrence
-- (start_date + n × interval weeks/months, the day clipped to the month's last day). The worker's
-- receivables job creates the due ones; recurring_invoice_runs holds one row per occurrence, unique,
-- so an occurrence makes exactly one invoice however often or concurrently the job runs.
-- dunning_reminders: one row per invoice and reminder step (days after the due date), unique, so a
-- reminder is mailed at most once per invoice and step.
CREATE TABLE "recurring_invoices" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"id" uuid DEFAULT app_uuid_v7() NOT NULL,
	"customer_id" uuid NOT NULL,
	"template" jsonb NOT NULL,
	"frequency" text NOT NULL,
	"interval" integer DEFAULT 1 NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date,
	"auto_issue" boolean DEFAULT false NOT NULL,
	"auto_send" boolean DEFAULT false NOT NULL,
	"next_date" date,
	"last_generated_date" date,
	"last_error" text,
	"is_active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "recurring_invoices_pkey" PRIMARY KEY("tenant_id", "id"),
	CONSTRAINT "recurring_invoices_customer_fkey" FOREIGN KEY ("tenant_id", "customer_id") REFERENCES "customers"("tenant_id", "id"),
	CONSTRAINT "recurring_invoices_frequency_check" CHECK (frequency IN ('weekly', 'monthly', 'quarterly', 'yearly')),
	CONSTRAINT "recurring_invoices_interval_check" CHECK (interval BETWEEN 1 AND 120),
	CONSTRAINT "recurring_invoices_dates_check" CHECK (end_date IS NULL OR end_date >= start_date),
	CONSTRAINT "recurring_invoices_next_check" CHECK (next_date IS NULL OR next_date >= start_date),
	CONSTRAINT "recurring_invoices_send_check" CHECK (NOT auto_send OR auto_issue),
	CONSTRAINT "recurring_invoices_template_check" CHECK (jsonb_typeof(template) = 'object')
);
--> statement-breakpoint
CREATE INDEX "recurring_invoices_due_idx" ON "recurring_invoices" USING btree ("next_date", "tenant_id") WHERE is_active AND next_date IS NOT NULL;
--> statement-breakpoint
CREATE TABLE "recurring_invoice_runs" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"id" uuid DEFAULT app_uuid_v7() NOT NULL,
	"recurring_invoice_id" uuid NOT NULL,
	"occurrence_date" date NOT NULL,
	"invoice_id" uuid,
	-- pending: the draft exists, issuing/sending not done yet; done; issue_failed (the draft stays)
	"status" text DEFAULT 'pending' NOT NULL,
	"error" text,
	"mail_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "recurring_invoice_runs_pkey" PRIMARY KEY("tenant_id", "id"),
	CONSTRAINT "recurring_invoice_runs_occurrence_key" UNIQUE("tenant_id", "recurring_invoice_id", "occurrence_date"),
	CONSTRAINT "recurring_invoice_runs_schedule_fkey" FOREIGN KEY ("tenant_id", "recurring_invoice_id") REFERENCES "recurring_invoices"("tenant_id", "id") ON DELETE CASCADE,
	-- a draft the job made may be deleted by hand: the run stays (the occurrence is not made again)
	CONSTRAINT "recurring_invoice_runs_invoice_fkey" FOREIGN KEY ("tenant_id", "invoice_id") REFERENCES "sales_documents"("tenant_id", "id") ON DELETE SET NULL ("invoice_id"),
	CONSTRAINT "recurring_invoice_runs_status_check" CHECK (status IN ('pending', 'done', 'issue_failed'))
);
--> statement-breakpoint
CREATE INDEX "recurring_invoice_runs_invoice_idx" ON "recurring_invoice_runs" USING btree ("tenant_id", "invoice_id") WHERE invoice_id IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "recurring_invoice_runs_pending_idx" ON "recurring_invoice_runs" USING btree ("tenant_id") WHERE status = 'pending';
--> statement-breakpoint
CREATE TABLE "dunning_reminders" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"invoice_id" uuid NOT NULL,
	"step" integer NOT NULL,
	-- sent: mailed; skipped: a higher step was due at the same time and was sent instead;
	-- not_sent: the customer had no e-mail address (recorded so it is not tried every hour)
	"status" text NOT NULL,
	"days_overdue" integer NOT NULL,
	"mail_id" uuid,
	"error" text,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dunning_reminders_pkey" PRIMARY KEY("tenant_id", "invoice_id", "step"),
	CONSTRAINT "dunning_reminders_invoice_fkey" FOREIGN KEY ("tenant_id", "invoice_id") REFERENCES "sales_documents"("tenant_id", "id"),
	CONSTRAINT "dunning_reminders_step_check" CHECK (step BETWEEN 1 AND 3650 AND days_overdue >= step),
	CONSTRAINT "dunning_reminders_status_check" CHECK (status IN ('sent', 'skipped', 'not_sent')),
	CONSTRAINT "dunning_reminders_mail_check" CHECK ((status = 'sent') = (mail_id IS NOT NULL))
);
--> statement-breakpoint
-- The tenant's reminder days after the due date (empty: no reminders), ascending, distinct.
ALTER TABLE "tenant_settings" ADD COLUMN "dunning_days" integer[] DEFAULT '{}' NOT NULL;
--> statement-breakpoint
ALTER TABLE "tenant_settings" ADD CONSTRAINT "tenant_settings_dunning_days_check"
  CHECK (cardinality(dunning_days) <= 10 AND array_position(dunning_days, NULL) IS NULL
         AND 1 <= ALL (dunning_days) AND 3650 >= ALL (dunning_days));
--> statement-breakpoint
SELECT app_apply_tenant_policy('recurring_invoices');
--> statement-breakpoint
SELECT app_apply_tenant_policy('recurring_invoice_runs');
--> statement-breakpoint
SELECT app_apply_tenant_policy('dunning_reminders');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON recurring_invoices, recurring_invoice_runs TO paksa_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON dunning_reminders TO paksa_app;
--> statement-breakpoint
-- The worker's sweep finds the tenants with work as the back-office role, reading only these
-- columns across tenants; the work itself runs inside each tenant's own transaction.
CREATE POLICY platform_read ON recurring_invoices FOR SELECT TO paksa_platform USING (true);
--> statement-breakpoint
GRANT SELECT (tenant_id, next_date, is_active) ON recurring_invoices TO paksa_platform;
--> statement-breakpoint
CREATE POLICY platform_read ON recurring_invoice_runs FOR SELECT TO paksa_platform USING (true);
--> statement-breakpoint
GRANT SELECT (tenant_id, status) ON recurring_invoice_runs TO paksa_platform;
--> statement-breakpoint
CREATE POLICY platform_read ON tenant_settings FOR SELECT TO paksa_platform USING (true);
--> statement-breakpoint
GRANT SELECT (tenant_id, dunning_days) ON tenant_settings TO paksa_platform;
