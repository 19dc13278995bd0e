-- Vendors (issue 13 point 1; SPEC §4 "Encryption at rest", §5 `vendors`, §6 module 6). A vendor
-- mirrors a customer, plus its bank account: AES-256-GCM ciphertext (server/core/encryption.ts,
-- key id inside), a keyed hash to find the same account on another vendor without decrypting, and
-- the masked view everyone else sees. The plain number is never stored.
CREATE TABLE "vendors" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"id" uuid DEFAULT app_uuid_v7() NOT NULL,
	"code" text,
	"name" text NOT NULL,
	"email" text,
	"phone" text,
	"currency" char(3),
	"payment_terms_days" integer,
	"tax_number" text,
	"address" text,
	"is_active" boolean DEFAULT true NOT NULL,
	"bank_account_ciphertext" text,
	"bank_account_hash" text,
	"bank_account_masked" jsonb,
	"bank_account_confirmed_by" uuid,
	"bank_account_confirmed_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "vendors_pkey" PRIMARY KEY("tenant_id", "id"),
	CONSTRAINT "vendors_terms_check" CHECK (payment_terms_days IS NULL OR payment_terms_days BETWEEN 0 AND 3650),
	CONSTRAINT "vendors_email_check" CHECK (email IS NULL OR email = lower(email)),
	CONSTRAINT "vendors_bank_account_check" CHECK (
		(bank_account_ciphertext IS NULL) = (bank_account_masked IS NULL)
		AND (bank_account_hash IS NULL OR bank_account_ciphertext IS NOT NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "vendors_code_key" ON "vendors" USING btree ("tenant_id", "code") WHERE code IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "vendors_name_idx" ON "vendors" USING btree ("tenant_id", lower("name"));
--> statement-breakpoint
CREATE INDEX "vendors_bank_account_hash_idx" ON "vendors" USING btree ("tenant_id", "bank_account_hash") WHERE bank_account_hash IS NOT NULL;
--> statement-breakpoint

-- A change of a vendor's bank details (SPEC §4 maker-checker: money leaving the organisation takes a
-- second person). The request waits `pending` until someone other than the requester confirms it;
-- a newer request supersedes it. A null ciphertext asks to remove the account. At most one pending
-- change per vendor; a decided change never changes again.
CREATE TABLE "vendor_bank_changes" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"id" uuid DEFAULT app_uuid_v7() NOT NULL,
	"vendor_id" uuid NOT NULL,
	"ciphertext" text,
	"hash" text,
	"masked" jsonb,
	"status" text DEFAULT 'pending' NOT NULL,
	"requested_by" uuid NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"confirmed_by" uuid,
	"confirmed_at" timestamp with time zone,
	CONSTRAINT "vendor_bank_changes_pkey" PRIMARY KEY("tenant_id", "id"),
	CONSTRAINT "vendor_bank_changes_vendor_fkey" FOREIGN KEY ("tenant_id", "vendor_id") REFERENCES "vendors"("tenant_id", "id"),
	CONSTRAINT "vendor_bank_changes_status_check" CHECK (status IN ('pending', 'confirmed', 'superseded')),
	CONSTRAINT "vendor_bank_changes_account_check" CHECK ((ciphertext IS NULL) = (masked IS NULL) AND (hash IS NULL OR ciphertext IS NOT NULL)),
	CONSTRAINT "vendor_bank_changes_confirmed_check" CHECK ((status = 'confirmed') = (confirmed_by IS NOT NULL AND confirmed_at IS NOT NULL)),
	-- The maker never checks their own change, whatever the application does.
	CONSTRAINT "vendor_bank_changes_four_eyes_check" CHECK (confirmed_by IS NULL OR confirmed_by <> requested_by)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "vendor_bank_changes_pending_key" ON "vendor_bank_changes" USING btree ("tenant_id", "vendor_id") WHERE status = 'pending';
--> statement-breakpoint
CREATE INDEX "vendor_bank_changes_vendor_idx" ON "vendor_bank_changes" USING btree ("tenant_id", "vendor_id", "requested_at");
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_vendor_bank_changes_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR OLD.status <> 'pending'
     OR (to_jsonb(NEW) - 'status' - 'confirmed_by' - 'confirmed_at') <> (to_jsonb(OLD) - 'status' - 'confirmed_by' - 'confirmed_at') THEN
    RAISE EXCEPTION 'VENDOR_BANK_CHANGE_NOT_PENDING: a bank detail change is decided once and never edited' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER vendor_bank_changes_guard BEFORE UPDATE OR DELETE ON vendor_bank_changes
  FOR EACH ROW EXECUTE FUNCTION app_vendor_bank_changes_guard();
--> statement-breakpoint
-- The vendor's bank account is written only by a confirmation: a new vendor starts without one, and
-- the account changes only to what a change confirmed in this same transaction (confirmed_at =
-- now()) carries, by the confirmer it names.
CREATE OR REPLACE FUNCTION app_vendors_bank_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.bank_account_ciphertext IS NOT NULL THEN
      RAISE EXCEPTION 'VENDOR_BANK_CHANGE_UNCONFIRMED: a new vendor''s bank account waits for a second person''s confirmation' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.bank_account_ciphertext IS DISTINCT FROM OLD.bank_account_ciphertext
     OR NEW.bank_account_hash IS DISTINCT FROM OLD.bank_account_hash
     OR NEW.bank_account_masked IS DISTINCT FROM OLD.bank_account_masked THEN
    PERFORM 1 FROM vendor_bank_changes c
     WHERE c.tenant_id = NEW.tenant_id AND c.vendor_id = NEW.id AND c.status = 'confirmed'
       AND c.confirmed_at = now() AND c.confirmed_by = NEW.bank_account_confirmed_by
       AND c.ciphertext IS NOT DISTINCT FROM NEW.bank_account_ciphertext
       AND c.hash IS NOT DISTINCT FROM NEW.bank_account_hash
       AND c.masked IS NOT DISTINCT FROM NEW.bank_account_masked;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'VENDOR_BANK_CHANGE_UNCONFIRMED: a vendor''s bank account changes only by a confirmed change' USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER vendors_bank_guard BEFORE INSERT OR UPDATE ON vendors
  FOR EACH ROW EXECUTE FUNCTION app_vendors_bank_guard();
--> statement-breakpoint
SELECT app_apply_tenant_policy('vendors');
--> statement-breakpoint
SELECT app_apply_tenant_policy('vendor_bank_changes');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON vendors, vendor_bank_changes TO paksa_app;
