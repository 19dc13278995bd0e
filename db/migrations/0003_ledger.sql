CREATE TABLE "account_balances" (
	"tenant_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"period_id" uuid NOT NULL,
	"debit" numeric(20, 4) DEFAULT '0' NOT NULL,
	"credit" numeric(20, 4) DEFAULT '0' NOT NULL,
	CONSTRAINT "account_balances_pkey" PRIMARY KEY("tenant_id","account_id","period_id")
);
--> statement-breakpoint
CREATE TABLE "accounts" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT app_uuid_v7() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"subtype" text NOT NULL,
	"parent_id" uuid,
	"currency" char(3),
	"is_active" boolean DEFAULT true NOT NULL,
	"system_key" text,
	"description" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accounts_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "accounts_code_key" UNIQUE("tenant_id","code")
);
--> statement-breakpoint
CREATE TABLE "entry_counters" (
	"tenant_id" uuid NOT NULL,
	"fiscal_year_id" uuid NOT NULL,
	"last_number" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "entry_counters_pkey" PRIMARY KEY("tenant_id","fiscal_year_id")
);
--> statement-breakpoint
CREATE TABLE "exchange_rates" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT app_uuid_v7() NOT NULL,
	"currency" char(3) NOT NULL,
	"date" date NOT NULL,
	"rate" numeric(24, 10) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "exchange_rates_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "exchange_rates_currency_date_key" UNIQUE("tenant_id","currency","date")
);
--> statement-breakpoint
CREATE TABLE "fiscal_periods" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT app_uuid_v7() NOT NULL,
	"fiscal_year_id" uuid NOT NULL,
	"number" smallint NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fiscal_periods_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "fiscal_periods_start_key" UNIQUE("tenant_id","start_date"),
	CONSTRAINT "fiscal_periods_number_key" UNIQUE("tenant_id","fiscal_year_id","number")
);
--> statement-breakpoint
CREATE TABLE "fiscal_years" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT app_uuid_v7() NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"closing_entry_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fiscal_years_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "fiscal_years_start_key" UNIQUE("tenant_id","start_date")
);
--> statement-breakpoint
CREATE TABLE "journal_entries" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT app_uuid_v7() NOT NULL,
	"fiscal_year_id" uuid NOT NULL,
	"period_id" uuid NOT NULL,
	"number" integer,
	"date" date NOT NULL,
	"memo" text NOT NULL,
	"reference" text,
	"currency" char(3) NOT NULL,
	"exchange_rate" numeric(24, 10) NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"kind" text DEFAULT 'manual' NOT NULL,
	"reversal_of_id" uuid,
	"reversed_by_id" uuid,
	"posted_at" timestamp with time zone,
	"posted_by" uuid,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "journal_entries_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "journal_entries_number_key" UNIQUE("tenant_id","fiscal_year_id","number")
);
--> statement-breakpoint
CREATE TABLE "journal_lines" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT app_uuid_v7() NOT NULL,
	"entry_id" uuid NOT NULL,
	"line_no" smallint NOT NULL,
	"account_id" uuid NOT NULL,
	"description" text,
	"debit" numeric(20, 4) DEFAULT '0' NOT NULL,
	"credit" numeric(20, 4) DEFAULT '0' NOT NULL,
	"base_debit" numeric(20, 4) DEFAULT '0' NOT NULL,
	"base_credit" numeric(20, 4) DEFAULT '0' NOT NULL,
	"is_rounding" boolean DEFAULT false NOT NULL,
	"entry_date" date NOT NULL,
	CONSTRAINT "journal_lines_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "journal_lines_line_key" UNIQUE("tenant_id","entry_id","line_no")
);
--> statement-breakpoint
ALTER TABLE "account_balances" ADD CONSTRAINT "account_balances_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_balances" ADD CONSTRAINT "account_balances_account_fkey" FOREIGN KEY ("tenant_id","account_id") REFERENCES "public"."accounts"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_balances" ADD CONSTRAINT "account_balances_period_fkey" FOREIGN KEY ("tenant_id","period_id") REFERENCES "public"."fiscal_periods"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_parent_fkey" FOREIGN KEY ("tenant_id","parent_id") REFERENCES "public"."accounts"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entry_counters" ADD CONSTRAINT "entry_counters_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entry_counters" ADD CONSTRAINT "entry_counters_year_fkey" FOREIGN KEY ("tenant_id","fiscal_year_id") REFERENCES "public"."fiscal_years"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchange_rates" ADD CONSTRAINT "exchange_rates_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fiscal_periods" ADD CONSTRAINT "fiscal_periods_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fiscal_periods" ADD CONSTRAINT "fiscal_periods_year_fkey" FOREIGN KEY ("tenant_id","fiscal_year_id") REFERENCES "public"."fiscal_years"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fiscal_years" ADD CONSTRAINT "fiscal_years_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journal_entries" ADD CONSTRAINT "journal_entries_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journal_entries" ADD CONSTRAINT "journal_entries_year_fkey" FOREIGN KEY ("tenant_id","fiscal_year_id") REFERENCES "public"."fiscal_years"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journal_entries" ADD CONSTRAINT "journal_entries_period_fkey" FOREIGN KEY ("tenant_id","period_id") REFERENCES "public"."fiscal_periods"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journal_entries" ADD CONSTRAINT "journal_entries_reversal_of_fkey" FOREIGN KEY ("tenant_id","reversal_of_id") REFERENCES "public"."journal_entries"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journal_lines" ADD CONSTRAINT "journal_lines_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journal_lines" ADD CONSTRAINT "journal_lines_entry_fkey" FOREIGN KEY ("tenant_id","entry_id") REFERENCES "public"."journal_entries"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journal_lines" ADD CONSTRAINT "journal_lines_account_fkey" FOREIGN KEY ("tenant_id","account_id") REFERENCES "public"."accounts"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_system_key" ON "accounts" USING btree ("tenant_id","system_key") WHERE system_key is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "journal_entries_reversal_of_key" ON "journal_entries" USING btree ("tenant_id","reversal_of_id") WHERE reversal_of_id is not null;--> statement-breakpoint
CREATE INDEX "journal_entries_date_idx" ON "journal_entries" USING btree ("tenant_id","date");--> statement-breakpoint
CREATE INDEX "journal_entries_status_idx" ON "journal_entries" USING btree ("tenant_id","status","date");--> statement-breakpoint
CREATE INDEX "journal_lines_account_idx" ON "journal_lines" USING btree ("tenant_id","account_id","entry_date");