-- Cash and bank: statement imports above 5,000 lines run in the worker (issue 14 point 2, SPEC §5
-- "as a worker job with progress above that"). One row per such import: the request stores the
-- file's text in file storage (server/core/files.ts, `bank-imports:<tenant>:<job>`), writes this row
-- and enqueues it after the commit (an outbox kind); the worker parses, writes the import in one
-- transaction and finishes the row. The rules the database holds:
--
-- * `queued → running → done | failed`; a finished job (done or failed) never changes again.
-- * A done job names its import (composite foreign key: an import of the job's own bank account);
--   a failed one its error code and message, and no import.
-- * Progress is 0–100; the lines counted never go below zero and written never above the total.
-- * Jobs are never deleted (they are the history of what was asked); the app role may only insert,
--   read and update.

CREATE TABLE "bank_import_jobs" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"id" uuid DEFAULT app_uuid_v7() NOT NULL,
	"bank_account_id" uuid NOT NULL,
	"format" text NOT NULL,
	"file_name" text,
	"mapping" jsonb,
	"save_mapping" boolean DEFAULT false NOT NULL,
	"size" bigint NOT NULL,
	"parts" integer NOT NULL,
	"sha256" char(64) NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"progress" smallint DEFAULT 0 NOT NULL,
	"lines_parsed" integer DEFAULT 0 NOT NULL,
	"lines_total" integer,
	"lines_written" integer DEFAULT 0 NOT NULL,
	"lines_categorized" integer DEFAULT 0 NOT NULL,
	"import_id" uuid,
	"error_code" text,
	"error" text,
	"error_fields" jsonb,
	"attempt_token" uuid,
	"attempts" integer DEFAULT 0 NOT NULL,
	"requested_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "bank_import_jobs_pkey" PRIMARY KEY("tenant_id", "id"),
	CONSTRAINT "bank_import_jobs_bank_account_fkey" FOREIGN KEY ("tenant_id", "bank_account_id") REFERENCES "bank_accounts"("tenant_id", "id"),
	CONSTRAINT "bank_import_jobs_import_fkey" FOREIGN KEY ("tenant_id", "import_id", "bank_account_id") REFERENCES "bank_imports"("tenant_id", "id", "bank_account_id"),
	CONSTRAINT "bank_import_jobs_format_check" CHECK (format IN ('csv', 'ofx', 'camt053')),
	CONSTRAINT "bank_import_jobs_status_check" CHECK (status IN ('queued', 'running', 'done', 'failed')),
	CONSTRAINT "bank_import_jobs_progress_check" CHECK (progress BETWEEN 0 AND 100),
	CONSTRAINT "bank_import_jobs_lines_check" CHECK (lines_parsed >= 0 AND lines_written >= 0 AND (lines_total IS NULL OR lines_written <= lines_total)),
	CONSTRAINT "bank_import_jobs_size_check" CHECK (size > 0 AND parts > 0),
	CONSTRAINT "bank_import_jobs_done_check" CHECK ((status = 'done') = (import_id IS NOT NULL)),
	CONSTRAINT "bank_import_jobs_failed_check" CHECK ((status = 'failed') = (error_code IS NOT NULL)),
	CONSTRAINT "bank_import_jobs_mapping_check" CHECK (mapping IS NULL OR jsonb_typeof(mapping) = 'object')
);
--> statement-breakpoint
CREATE INDEX "bank_import_jobs_account_idx" ON "bank_import_jobs" USING btree ("tenant_id", "bank_account_id", "created_at");
--> statement-breakpoint
CREATE INDEX "bank_import_jobs_waiting_idx" ON "bank_import_jobs" USING btree ("created_at") WHERE status = 'queued';
--> statement-breakpoint
-- A finished job stays as it finished.
CREATE OR REPLACE FUNCTION app_bank_import_jobs_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'BANK_IMPORT_JOB_IMMUTABLE: an import job is kept' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF OLD.status IN ('done', 'failed') AND to_jsonb(NEW) <> to_jsonb(OLD) THEN
    RAISE EXCEPTION 'BANK_IMPORT_JOB_IMMUTABLE: import job % is finished', OLD.id USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER bank_import_jobs_guard BEFORE UPDATE OR DELETE ON bank_import_jobs
  FOR EACH ROW EXECUTE FUNCTION app_bank_import_jobs_guard();
--> statement-breakpoint
SELECT app_apply_tenant_policy('bank_import_jobs');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON bank_import_jobs TO paksa_app;
--> statement-breakpoint
-- The outbox relay and the back-office read waiting and failed jobs across tenants (never the mapping).
CREATE POLICY platform_read ON bank_import_jobs FOR SELECT TO paksa_platform USING (true);
--> statement-breakpoint
GRANT SELECT (tenant_id, id, status, created_at, format, file_name, attempts, error, size, finished_at) ON bank_import_jobs TO paksa_platform;
