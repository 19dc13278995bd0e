-- Cash and bank, part 2 (issue 14 points 3–5): the tables matching, rules, transfers and
-- reconciliation work on. Their behaviour (the sums that must agree, what a completed reconciliation
-- freezes) is added by the migrations that build each part; this one holds the shapes and the rules
-- that need no code:
--
-- * A GL line is matched to at most one bank line (UNIQUE (tenant_id, journal_line_id)); a match
--   belongs to a bank line of its own bank account (composite foreign key).
-- * A bank line belongs to at most one reconciliation, of its own bank account.
-- * At most one open reconciliation per bank account.
-- * A rule's amount range is ordered; a transfer goes between two different bank accounts, with
--   positive amounts.

ALTER TABLE "bank_transactions" ADD COLUMN "reconciliation_id" uuid;
--> statement-breakpoint
ALTER TABLE "bank_transactions" ADD CONSTRAINT "bank_transactions_account_key" UNIQUE ("tenant_id", "id", "bank_account_id");
--> statement-breakpoint
-- What the bank said is kept as it said it: after the insert only the status, the reconciliation
-- (and updated_at) move.
CREATE OR REPLACE FUNCTION app_bank_transactions_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE'
     OR (to_jsonb(NEW) - 'status' - 'reconciliation_id' - 'updated_at')
        <> (to_jsonb(OLD) - 'status' - 'reconciliation_id' - 'updated_at') THEN
    RAISE EXCEPTION 'BANK_TRANSACTION_IMMUTABLE: an imported bank line is kept as the bank sent it' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint

CREATE TABLE "bank_reconciliations" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"id" uuid DEFAULT app_uuid_v7() NOT NULL,
	"bank_account_id" uuid NOT NULL,
	"statement_date" date NOT NULL,
	"statement_ending_balance" numeric(20, 4) NOT NULL,
	-- where this session starts: the previous completed session's ending balance, else the bank
	-- account's opening balance (0 when it has none)
	"opening_balance" numeric(20, 4) NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"completed_by" uuid,
	"completed_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bank_reconciliations_pkey" PRIMARY KEY ("tenant_id", "id"),
	CONSTRAINT "bank_reconciliations_account_key" UNIQUE ("tenant_id", "id", "bank_account_id"),
	CONSTRAINT "bank_reconciliations_bank_account_fkey" FOREIGN KEY ("tenant_id", "bank_account_id") REFERENCES "bank_accounts"("tenant_id", "id"),
	CONSTRAINT "bank_reconciliations_status_check" CHECK (status IN ('open', 'completed')),
	CONSTRAINT "bank_reconciliations_completed_check" CHECK ((status = 'completed') = (completed_at IS NOT NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "bank_reconciliations_one_open_key" ON "bank_reconciliations" USING btree ("tenant_id", "bank_account_id") WHERE status = 'open';
--> statement-breakpoint
CREATE INDEX "bank_reconciliations_account_idx" ON "bank_reconciliations" USING btree ("tenant_id", "bank_account_id", "statement_date");
--> statement-breakpoint
ALTER TABLE "bank_transactions" ADD CONSTRAINT "bank_transactions_reconciliation_fkey"
	FOREIGN KEY ("tenant_id", "reconciliation_id", "bank_account_id") REFERENCES "bank_reconciliations"("tenant_id", "id", "bank_account_id");
--> statement-breakpoint
CREATE INDEX "bank_transactions_reconciliation_idx" ON "bank_transactions" USING btree ("tenant_id", "reconciliation_id") WHERE reconciliation_id IS NOT NULL;
--> statement-breakpoint

CREATE TABLE "bank_rules" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"id" uuid DEFAULT app_uuid_v7() NOT NULL,
	"name" text NOT NULL,
	"priority" integer NOT NULL,
	"description_contains" text,
	"amount_min" numeric(20, 4),
	"amount_max" numeric(20, 4),
	"direction" text,
	"account_id" uuid NOT NULL,
	"tax_rate_id" uuid,
	"memo" text,
	"auto_apply" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bank_rules_pkey" PRIMARY KEY ("tenant_id", "id"),
	CONSTRAINT "bank_rules_account_fkey" FOREIGN KEY ("tenant_id", "account_id") REFERENCES "accounts"("tenant_id", "id"),
	CONSTRAINT "bank_rules_tax_rate_fkey" FOREIGN KEY ("tenant_id", "tax_rate_id") REFERENCES "tax_rates"("tenant_id", "id"),
	CONSTRAINT "bank_rules_name_check" CHECK (length(btrim(name)) BETWEEN 1 AND 120),
	CONSTRAINT "bank_rules_priority_check" CHECK (priority BETWEEN 0 AND 1000000),
	CONSTRAINT "bank_rules_direction_check" CHECK (direction IS NULL OR direction IN ('in', 'out')),
	CONSTRAINT "bank_rules_amount_check" CHECK (
		(amount_min IS NULL OR amount_min >= 0) AND (amount_max IS NULL OR amount_max >= 0)
		AND (amount_min IS NULL OR amount_max IS NULL OR amount_min <= amount_max)),
	CONSTRAINT "bank_rules_condition_check" CHECK (
		description_contains IS NOT NULL OR amount_min IS NOT NULL OR amount_max IS NOT NULL OR direction IS NOT NULL)
);
--> statement-breakpoint
CREATE INDEX "bank_rules_priority_idx" ON "bank_rules" USING btree ("tenant_id", "priority", "id");
--> statement-breakpoint

CREATE TABLE "bank_transfers" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"id" uuid DEFAULT app_uuid_v7() NOT NULL,
	"from_bank_account_id" uuid NOT NULL,
	"to_bank_account_id" uuid NOT NULL,
	"date" date NOT NULL,
	-- in the from account's currency, and in the to account's (equal when the currencies are)
	"amount" numeric(20, 4) NOT NULL,
	"to_amount" numeric(20, 4) NOT NULL,
	"reference" text,
	"entry_id" uuid NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bank_transfers_pkey" PRIMARY KEY ("tenant_id", "id"),
	CONSTRAINT "bank_transfers_from_fkey" FOREIGN KEY ("tenant_id", "from_bank_account_id") REFERENCES "bank_accounts"("tenant_id", "id"),
	CONSTRAINT "bank_transfers_to_fkey" FOREIGN KEY ("tenant_id", "to_bank_account_id") REFERENCES "bank_accounts"("tenant_id", "id"),
	CONSTRAINT "bank_transfers_entry_fkey" FOREIGN KEY ("tenant_id", "entry_id") REFERENCES "journal_entries"("tenant_id", "id"),
	CONSTRAINT "bank_transfers_entry_key" UNIQUE ("tenant_id", "entry_id"),
	CONSTRAINT "bank_transfers_accounts_check" CHECK (from_bank_account_id <> to_bank_account_id),
	CONSTRAINT "bank_transfers_amount_check" CHECK (amount > 0 AND to_amount > 0)
);
--> statement-breakpoint
CREATE INDEX "bank_transfers_date_idx" ON "bank_transfers" USING btree ("tenant_id", "date", "id");
--> statement-breakpoint

CREATE TABLE "bank_matches" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"id" uuid DEFAULT app_uuid_v7() NOT NULL,
	"bank_transaction_id" uuid NOT NULL,
	"bank_account_id" uuid NOT NULL,
	"journal_line_id" uuid NOT NULL,
	-- the GL line's signed amount in the bank account's currency (debit − credit: money in positive)
	"amount" numeric(20, 4) NOT NULL,
	-- how the match was made: picked GL lines, a receipt's or a bill payment's line, a line posted by
	-- categorising (by hand or by a rule), a transfer's line
	"source" text NOT NULL,
	"rule_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bank_matches_pkey" PRIMARY KEY ("tenant_id", "id"),
	CONSTRAINT "bank_matches_line_key" UNIQUE ("tenant_id", "journal_line_id"),
	CONSTRAINT "bank_matches_transaction_fkey" FOREIGN KEY ("tenant_id", "bank_transaction_id", "bank_account_id") REFERENCES "bank_transactions"("tenant_id", "id", "bank_account_id"),
	CONSTRAINT "bank_matches_journal_line_fkey" FOREIGN KEY ("tenant_id", "journal_line_id") REFERENCES "journal_lines"("tenant_id", "id"),
	CONSTRAINT "bank_matches_rule_fkey" FOREIGN KEY ("tenant_id", "rule_id") REFERENCES "bank_rules"("tenant_id", "id") ON DELETE SET NULL ("rule_id"),
	CONSTRAINT "bank_matches_amount_check" CHECK (amount <> 0),
	CONSTRAINT "bank_matches_source_check" CHECK (source IN ('journal_line', 'receipt', 'bill_payment', 'categorized', 'rule', 'transfer')),
	-- a rule's match names its rule until the rule is deleted
	CONSTRAINT "bank_matches_rule_check" CHECK (rule_id IS NULL OR source = 'rule')
);
--> statement-breakpoint
CREATE INDEX "bank_matches_transaction_idx" ON "bank_matches" USING btree ("tenant_id", "bank_transaction_id");
--> statement-breakpoint
SELECT app_apply_tenant_policy('bank_reconciliations');
--> statement-breakpoint
SELECT app_apply_tenant_policy('bank_rules');
--> statement-breakpoint
SELECT app_apply_tenant_policy('bank_transfers');
--> statement-breakpoint
SELECT app_apply_tenant_policy('bank_matches');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON bank_reconciliations TO paksa_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON bank_rules, bank_matches TO paksa_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON bank_transfers TO paksa_app;
