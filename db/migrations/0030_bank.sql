-- Cash and bank, part 1 (issue 14 points 1 and 2; SPEC §5 `bank-accounts`, `bank-accounts/{id}/imports`,
-- `bank-transactions`, §6 module 7): bank accounts on GL cash/bank accounts, statement imports and the
-- imported lines. The rules the database holds, whatever the application does:
--
-- * A bank account sits on one GL account (UNIQUE per GL account) that is an asset of subtype cash
--   or bank, takes the bank account's currency (or any), and has no sub-accounts.
-- * Its account number is stored only encrypted (AES-256-GCM, server/core/encryption.ts, bound to the
--   tenant), with a keyed hash and the masked view; the plain number never reaches the database.
-- * The opening balance and its date go together; once its entry is posted (opening_entry_id), the
--   balance, the date, the entry and the GL account no longer change.
-- * An import and its lines are written once: no update or delete of an import, a line changes only
--   its status (matching comes later), and no line is ever deleted.
-- * A line is never imported twice: UNIQUE (tenant_id, bank_account_id, dedupe_key), the key being
--   the bank's id with its position among lines sharing it, else a hash (server/domain/bank/statement.ts
--   lineKeys); a line belongs to an import of its own bank account (composite foreign key).
-- * A line moves money: amount <> 0 (lines of zero are skipped by the importer and counted).

CREATE TABLE "bank_accounts" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"id" uuid DEFAULT app_uuid_v7() NOT NULL,
	"name" text NOT NULL,
	"account_id" uuid NOT NULL,
	"currency" char(3) NOT NULL,
	"account_number_ciphertext" text,
	"account_number_hash" text,
	"account_number_masked" text,
	"opening_balance" numeric(20, 4),
	"opening_balance_date" date,
	"opening_entry_id" uuid,
	"csv_mapping" jsonb,
	"is_active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bank_accounts_pkey" PRIMARY KEY("tenant_id", "id"),
	CONSTRAINT "bank_accounts_account_key" UNIQUE("tenant_id", "account_id"),
	CONSTRAINT "bank_accounts_account_fkey" FOREIGN KEY ("tenant_id", "account_id") REFERENCES "accounts"("tenant_id", "id"),
	CONSTRAINT "bank_accounts_opening_entry_fkey" FOREIGN KEY ("tenant_id", "opening_entry_id") REFERENCES "journal_entries"("tenant_id", "id"),
	CONSTRAINT "bank_accounts_name_check" CHECK (length(btrim(name)) BETWEEN 1 AND 120),
	CONSTRAINT "bank_accounts_currency_check" CHECK (currency ~ '^[A-Z]{3}$'),
	CONSTRAINT "bank_accounts_number_check" CHECK (
		(account_number_ciphertext IS NULL) = (account_number_masked IS NULL)
		AND (account_number_ciphertext IS NULL) = (account_number_hash IS NULL)),
	CONSTRAINT "bank_accounts_opening_check" CHECK (
		(opening_balance IS NULL) = (opening_balance_date IS NULL)
		AND (opening_entry_id IS NULL OR (opening_balance IS NOT NULL AND opening_balance <> 0))),
	CONSTRAINT "bank_accounts_mapping_check" CHECK (csv_mapping IS NULL OR jsonb_typeof(csv_mapping) = 'object')
);
--> statement-breakpoint
CREATE INDEX "bank_accounts_number_hash_idx" ON "bank_accounts" USING btree ("tenant_id", "account_number_hash") WHERE account_number_hash IS NOT NULL;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_bank_accounts_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  gl record;
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'BANK_ACCOUNT_IMMUTABLE: a bank account is deactivated, never deleted' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.opening_entry_id IS NOT NULL
     AND (NEW.opening_entry_id IS DISTINCT FROM OLD.opening_entry_id OR NEW.opening_balance IS DISTINCT FROM OLD.opening_balance
          OR NEW.opening_balance_date IS DISTINCT FROM OLD.opening_balance_date OR NEW.account_id IS DISTINCT FROM OLD.account_id) THEN
    RAISE EXCEPTION 'BANK_OPENING_BALANCE_POSTED: the opening balance of bank account % is posted and no longer changes', OLD.id USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP = 'INSERT' OR NEW.account_id IS DISTINCT FROM OLD.account_id OR NEW.currency IS DISTINCT FROM OLD.currency THEN
    SELECT a.type, a.subtype, a.currency,
           EXISTS (SELECT 1 FROM accounts c WHERE c.tenant_id = a.tenant_id AND c.parent_id = a.id) AS is_parent
      INTO gl FROM accounts a WHERE a.tenant_id = NEW.tenant_id AND a.id = NEW.account_id;
    IF NOT FOUND OR gl.type <> 'asset' OR gl.subtype NOT IN ('cash', 'bank') OR gl.is_parent THEN
      RAISE EXCEPTION 'BANK_ACCOUNT_GL_INVALID: the GL account of a bank account is a cash or bank asset account without sub-accounts' USING ERRCODE = 'check_violation';
    END IF;
    IF gl.currency IS NOT NULL AND gl.currency <> NEW.currency THEN
      RAISE EXCEPTION 'BANK_ACCOUNT_GL_INVALID: the GL account takes only %', gl.currency USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER bank_accounts_guard BEFORE INSERT OR UPDATE OR DELETE ON bank_accounts
  FOR EACH ROW EXECUTE FUNCTION app_bank_accounts_guard();
--> statement-breakpoint

CREATE TABLE "bank_imports" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"id" uuid DEFAULT app_uuid_v7() NOT NULL,
	"bank_account_id" uuid NOT NULL,
	"format" text NOT NULL,
	"file_name" text,
	"sha256" char(64) NOT NULL,
	"lines_total" integer NOT NULL,
	"lines_imported" integer NOT NULL,
	"lines_duplicate" integer NOT NULL,
	"lines_skipped" integer NOT NULL,
	"closing_balance" numeric(20, 4),
	"closing_balance_date" date,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bank_imports_pkey" PRIMARY KEY("tenant_id", "id"),
	CONSTRAINT "bank_imports_account_key" UNIQUE("tenant_id", "id", "bank_account_id"),
	CONSTRAINT "bank_imports_bank_account_fkey" FOREIGN KEY ("tenant_id", "bank_account_id") REFERENCES "bank_accounts"("tenant_id", "id"),
	CONSTRAINT "bank_imports_format_check" CHECK (format IN ('csv', 'ofx', 'camt053')),
	CONSTRAINT "bank_imports_sha256_check" CHECK (sha256 ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "bank_imports_counts_check" CHECK (
		lines_imported >= 0 AND lines_duplicate >= 0 AND lines_skipped >= 0
		AND lines_imported + lines_duplicate + lines_skipped = lines_total),
	CONSTRAINT "bank_imports_closing_check" CHECK ((closing_balance IS NULL) = (closing_balance_date IS NULL))
);
--> statement-breakpoint
CREATE INDEX "bank_imports_account_idx" ON "bank_imports" USING btree ("tenant_id", "bank_account_id", "created_at");
--> statement-breakpoint

CREATE TABLE "bank_transactions" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"id" uuid DEFAULT app_uuid_v7() NOT NULL,
	"bank_account_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"date" date NOT NULL,
	"amount" numeric(20, 4) NOT NULL,
	"description" text NOT NULL,
	"reference" text,
	"bank_id" text,
	"counterparty" text,
	"dedupe_key" text NOT NULL,
	"status" text DEFAULT 'unmatched' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bank_transactions_pkey" PRIMARY KEY("tenant_id", "id"),
	CONSTRAINT "bank_transactions_dedupe_key" UNIQUE("tenant_id", "bank_account_id", "dedupe_key"),
	CONSTRAINT "bank_transactions_bank_account_fkey" FOREIGN KEY ("tenant_id", "bank_account_id") REFERENCES "bank_accounts"("tenant_id", "id"),
	CONSTRAINT "bank_transactions_import_fkey" FOREIGN KEY ("tenant_id", "import_id", "bank_account_id") REFERENCES "bank_imports"("tenant_id", "id", "bank_account_id"),
	CONSTRAINT "bank_transactions_amount_check" CHECK (amount <> 0),
	CONSTRAINT "bank_transactions_status_check" CHECK (status IN ('unmatched', 'matched', 'reconciled'))
);
--> statement-breakpoint
CREATE INDEX "bank_transactions_list_idx" ON "bank_transactions" USING btree ("tenant_id", "bank_account_id", "status", "date", "id");
--> statement-breakpoint
CREATE INDEX "bank_transactions_import_idx" ON "bank_transactions" USING btree ("tenant_id", "import_id");
--> statement-breakpoint
-- What the bank said is kept as it said it: after the insert only the status (and updated_at) moves.
CREATE OR REPLACE FUNCTION app_bank_transactions_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE'
     OR (to_jsonb(NEW) - 'status' - 'updated_at') <> (to_jsonb(OLD) - 'status' - 'updated_at') THEN
    RAISE EXCEPTION 'BANK_TRANSACTION_IMMUTABLE: an imported bank line is kept as the bank sent it' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER bank_transactions_guard BEFORE UPDATE OR DELETE ON bank_transactions
  FOR EACH ROW EXECUTE FUNCTION app_bank_transactions_guard();
--> statement-breakpoint
SELECT app_apply_tenant_policy('bank_accounts');
--> statement-breakpoint
SELECT app_apply_tenant_policy('bank_imports');
--> statement-breakpoint
SELECT app_apply_tenant_policy('bank_transactions');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON bank_accounts, bank_transactions TO paksa_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON bank_imports TO paksa_app;
