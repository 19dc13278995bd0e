-- Sales foundation (issue 12, points 1–3): control accounts, sales settings, tax rates, customers
-- and items. Invoices, credit notes and receipts build on these tables next.

-- Control accounts. The flag on the account is the setting itself: settings answer
-- arControlAccountId / apControlAccountId as the flagged receivable and payable account, so "only
-- the two accounts the settings name are control accounts" holds by construction. At most one of
-- each per tenant (the unique index), a control account is an active receivable asset or payable
-- liability (the check); what may post to it is decided by app_ledger_guard_line below.
ALTER TABLE "accounts" ADD COLUMN "is_control" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE accounts ADD CONSTRAINT accounts_control_check CHECK (NOT is_control OR (is_active AND subtype IN ('receivable', 'payable')));
--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_control_key" ON "accounts" USING btree ("tenant_id", "subtype") WHERE is_control;
--> statement-breakpoint

-- Sales settings beside the organisation's (server/domain/settings).
ALTER TABLE "tenant_settings" ADD COLUMN "invoice_prefix" text DEFAULT 'INV-' NOT NULL;
--> statement-breakpoint
ALTER TABLE "tenant_settings" ADD COLUMN "default_payment_terms_days" integer DEFAULT 30 NOT NULL;
--> statement-breakpoint
ALTER TABLE tenant_settings ADD CONSTRAINT tenant_settings_sales_check CHECK (
  char_length(invoice_prefix) <= 20 AND default_payment_terms_days BETWEEN 0 AND 3650
);
--> statement-breakpoint

-- Lines of a posted entry stay immutable (as in 0013), and a manual line never lands on a control
-- account: an entry without a source (a manual entry) or whose source is another entry (a
-- reversal) may not touch one; subledger documents post with their own source type. The account
-- row is read FOR KEY SHARE, so a settings change that makes it a control account (which takes the
-- row FOR UPDATE, then checks that it has no lines) either waits for this line's transaction and
-- then sees the line, or finishes first and is seen here.
CREATE OR REPLACE FUNCTION app_ledger_guard_line() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  e_tenant uuid := coalesce(NEW.tenant_id, OLD.tenant_id);
  e_id uuid := coalesce(NEW.entry_id, OLD.entry_id);
  e_status text;
  e_source text;
  a_control boolean;
  a_code text;
BEGIN
  SELECT j.status, j.source_type INTO e_status, e_source FROM journal_entries j WHERE j.tenant_id = e_tenant AND j.id = e_id;
  IF e_status = 'posted'
     OR (TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM journal_entries WHERE tenant_id = OLD.tenant_id AND id = OLD.entry_id AND status = 'posted')) THEN
    RAISE EXCEPTION 'LEDGER_ALREADY_POSTED: lines of posted entry % cannot be changed', e_id USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP <> 'DELETE' AND (e_source IS NULL OR e_source = 'journal_entry') THEN
    SELECT a.is_control, a.code INTO a_control, a_code FROM accounts a WHERE a.tenant_id = NEW.tenant_id AND a.id = NEW.account_id FOR KEY SHARE;
    IF a_control THEN
      RAISE EXCEPTION 'LEDGER_CONTROL_ACCOUNT: account % is a control account; only its subledger documents post to it', a_code
        USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  RETURN coalesce(NEW, OLD);
END $$;
--> statement-breakpoint

-- The one-call manual posting of 0010 refuses a control account like any unusable account, before
-- writing anything (the application answers 422 LEDGER_CONTROL_ACCOUNT with the line's path). The
-- body is 0010's with that one refusal added; the guard above stays the backstop.
CREATE OR REPLACE FUNCTION app_ledger_post_new(
  p_tenant uuid, p_entry jsonb, p_lines jsonb,
  p_actor_type text, p_actor_id uuid, p_request_id text, p_ip text, p_user_agent text,
  p_action text, p_after jsonb
) RETURNS TABLE (
  refusal text, refusal_line integer, refusal_code text, refusal_currency text,
  entry_id uuid, fiscal_year_id uuid, period_id uuid, created_at text,
  number integer, posted_at text, version integer, updated_at text,
  line_ids uuid[], account_ids uuid[], account_codes text[], account_names text[]
)
LANGUAGE plpgsql SECURITY INVOKER AS $$
DECLARE
  v_date date := (p_entry->>'date')::date;
  v_currency text := p_entry->>'currency';
  r record;
  v_ids uuid[] := '{}';
  v_codes text[] := '{}';
  v_names text[] := '{}';
  v_period uuid;
  v_year uuid;
  v_status text;
  v_entry uuid;
  v_created timestamptz;
  v_lines uuid[];
  v_posted record;
BEGIN
  FOR r IN
    SELECT e.ord, a.id, a.code, a.name, a.is_active, a.currency, a.is_control,
           a.id IS NOT NULL AND EXISTS (SELECT 1 FROM accounts c WHERE c.tenant_id = a.tenant_id AND c.parent_id = a.id) AS is_parent
      FROM jsonb_array_elements(p_lines) WITH ORDINALITY AS e(v, ord)
      LEFT JOIN LATERAL (
        SELECT x.* FROM accounts x
         WHERE x.tenant_id = p_tenant AND e.v->>'accountId' IS NOT NULL
           AND x.id = (e.v->>'accountId')::uuid AND x.id::text = e.v->>'accountId'
        UNION ALL
        SELECT x.* FROM accounts x
         WHERE x.tenant_id = p_tenant AND e.v->>'accountId' IS NULL AND x.code = e.v->>'accountCode'
      ) a ON true
     ORDER BY e.ord
  LOOP
    refusal := CASE
      WHEN r.id IS NULL THEN 'UNKNOWN_ACCOUNT'
      WHEN NOT r.is_active THEN 'LEDGER_ACCOUNT_INACTIVE'
      WHEN r.is_parent THEN 'LEDGER_PARENT_ACCOUNT'
      WHEN r.currency IS NOT NULL AND r.currency <> v_currency THEN 'LEDGER_CURRENCY_MISMATCH'
      WHEN r.is_control THEN 'LEDGER_CONTROL_ACCOUNT'
    END;
    IF refusal IS NOT NULL THEN
      refusal_line := r.ord - 1;
      refusal_code := r.code;
      refusal_currency := r.currency;
      RETURN NEXT;
      RETURN;
    END IF;
    v_ids := v_ids || r.id;
    v_codes := v_codes || r.code;
    v_names := v_names || r.name;
  END LOOP;

  SELECT p.id, p.fiscal_year_id, p.status INTO v_period, v_year, v_status
    FROM fiscal_periods p WHERE p.tenant_id = p_tenant AND p.start_date <= v_date AND p.end_date >= v_date;
  IF NOT FOUND OR v_status = 'closed' THEN
    refusal := CASE WHEN v_status = 'closed' THEN 'LEDGER_PERIOD_CLOSED' ELSE 'NO_PERIOD' END;
    RETURN NEXT;
    RETURN;
  END IF;

  INSERT INTO journal_entries AS j (tenant_id, fiscal_year_id, period_id, date, memo, reference, currency, exchange_rate, kind, created_by)
  VALUES (p_tenant, v_year, v_period, v_date, p_entry->>'memo', p_entry->>'reference', v_currency, (p_entry->>'exchangeRate')::numeric, 'manual', p_actor_id)
  RETURNING j.id, j.created_at INTO v_entry, v_created;

  WITH ins AS (
    INSERT INTO journal_lines AS l (tenant_id, entry_id, line_no, account_id, description, debit, credit, base_debit, base_credit, is_rounding, entry_date)
    SELECT p_tenant, v_entry, e.ord, v_ids[e.ord::int], e.v->>'description', (e.v->>'debit')::numeric, (e.v->>'credit')::numeric,
           (e.v->>'baseDebit')::numeric, (e.v->>'baseCredit')::numeric, false, v_date
      FROM jsonb_array_elements(p_lines) WITH ORDINALITY AS e(v, ord)
     ORDER BY e.ord
    RETURNING l.id, l.line_no
  )
  SELECT array_agg(ins.id ORDER BY ins.line_no) INTO v_lines FROM ins;

  SELECT * INTO v_posted FROM app_ledger_post(v_entry, NULL, p_actor_type, p_actor_id, p_request_id, p_ip, p_user_agent,
                                               p_action, v_entry::text, NULL, p_after);
  entry_id := v_entry;
  fiscal_year_id := v_year;
  period_id := v_period;
  created_at := to_char(v_created AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
  number := v_posted.number;
  posted_at := to_char(v_posted.posted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
  version := v_posted.version;
  updated_at := to_char(v_posted.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
  line_ids := v_lines;
  account_ids := v_ids;
  account_codes := v_codes;
  account_names := v_names;
  RETURN NEXT;
END $$;
--> statement-breakpoint

-- A tenant's AR and AP control accounts, for a new tenant (seedChart calls it after the chart) and
-- for every existing tenant (below). Per kind, unless the tenant already has one:
--   * the standard chart's account (1100 receivable / 2000 payable), when it is an active,
--     childless account of that subtype without a fixed currency and with no journal line at all
--     (drafts included), becomes the control account;
--   * otherwise (a `none` chart, or a standard account that already holds manual postings, which
--     the control account's tie-out to the subledger could never explain) a new account is
--     created: 1190 "Accounts receivable (control)" / 2090 "Accounts payable (control)", or the
--     first free code after it (1191, 1192, …), so no code of the tenant's collides and 1100,
--     1200, 2000 stay free in an empty chart.
-- The candidate is taken FOR UPDATE before its lines are counted, like a settings change.
-- SECURITY INVOKER: under row-level security as the caller (paksa_app bound to the tenant, or the
-- migration with app.tenant_id set per tenant).
CREATE OR REPLACE FUNCTION app_assign_control_accounts(p_tenant uuid) RETURNS void
LANGUAGE plpgsql SECURITY INVOKER AS $$
DECLARE
  k record;
  v_id uuid;
  v_code int;
BEGIN
  FOR k IN SELECT * FROM (VALUES
      ('receivable', 'asset', '1100', 1190, 'Accounts receivable (control)'),
      ('payable', 'liability', '2000', 2090, 'Accounts payable (control)')
    ) AS t(subtype, type, standard_code, fallback_code, fallback_name)
  LOOP
    CONTINUE WHEN EXISTS (SELECT 1 FROM accounts a WHERE a.tenant_id = p_tenant AND a.subtype = k.subtype AND a.is_control);
    SELECT a.id INTO v_id FROM accounts a
     WHERE a.tenant_id = p_tenant AND a.code = k.standard_code AND a.type = k.type AND a.subtype = k.subtype AND a.is_active
       AND a.currency IS NULL
     FOR UPDATE;
    IF v_id IS NOT NULL AND (
         EXISTS (SELECT 1 FROM journal_lines l WHERE l.tenant_id = p_tenant AND l.account_id = v_id)
         OR EXISTS (SELECT 1 FROM accounts c WHERE c.tenant_id = p_tenant AND c.parent_id = v_id)) THEN
      v_id := NULL;
    END IF;
    IF v_id IS NOT NULL THEN
      UPDATE accounts SET is_control = true, version = version + 1, updated_at = now() WHERE tenant_id = p_tenant AND id = v_id;
    ELSE
      v_code := k.fallback_code;
      WHILE EXISTS (SELECT 1 FROM accounts a WHERE a.tenant_id = p_tenant AND a.code = v_code::text) LOOP
        v_code := v_code + 1;
      END LOOP;
      INSERT INTO accounts (tenant_id, code, name, type, subtype, is_control)
      VALUES (p_tenant, v_code::text, k.fallback_name, k.type, k.subtype, true);
    END IF;
  END LOOP;
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_assign_control_accounts(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_assign_control_accounts(uuid) TO paksa_app;
--> statement-breakpoint
-- Every existing tenant, each under its own binding.
DO $$
DECLARE t record;
BEGIN
  FOR t IN SELECT id FROM tenants ORDER BY id LOOP
    PERFORM set_config('app.tenant_id', t.id::text, true);
    PERFORM app_assign_control_accounts(t.id);
  END LOOP;
  PERFORM set_config('app.tenant_id', '', true);
END $$;
--> statement-breakpoint

-- Tax rates (SPEC 6.9): a simple rate posts its tax to its own account; a group's rate is the sum
-- of its components', each with its own account. Rates are percentages, 0 ≤ rate < 1000, 4 places.
CREATE TABLE "tax_rates" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"id" uuid DEFAULT app_uuid_v7() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"rate" numeric(7, 4) NOT NULL,
	"scope" text NOT NULL,
	"account_id" uuid,
	"is_active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tax_rates_pkey" PRIMARY KEY("tenant_id", "id"),
	CONSTRAINT "tax_rates_code_key" UNIQUE("tenant_id", "code"),
	CONSTRAINT "tax_rates_account_fkey" FOREIGN KEY ("tenant_id", "account_id") REFERENCES "accounts"("tenant_id", "id"),
	CONSTRAINT "tax_rates_rate_check" CHECK (rate >= 0 AND rate < 1000),
	CONSTRAINT "tax_rates_scope_check" CHECK (scope IN ('sales', 'purchases', 'both'))
);
--> statement-breakpoint
CREATE TABLE "tax_rate_components" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"id" uuid DEFAULT app_uuid_v7() NOT NULL,
	"tax_rate_id" uuid NOT NULL,
	"position" smallint NOT NULL,
	"name" text NOT NULL,
	"rate" numeric(7, 4) NOT NULL,
	"account_id" uuid NOT NULL,
	CONSTRAINT "tax_rate_components_pkey" PRIMARY KEY("tenant_id", "id"),
	CONSTRAINT "tax_rate_components_position_key" UNIQUE("tenant_id", "tax_rate_id", "position"),
	CONSTRAINT "tax_rate_components_rate_fkey" FOREIGN KEY ("tenant_id", "tax_rate_id") REFERENCES "tax_rates"("tenant_id", "id") ON DELETE CASCADE,
	CONSTRAINT "tax_rate_components_account_fkey" FOREIGN KEY ("tenant_id", "account_id") REFERENCES "accounts"("tenant_id", "id"),
	CONSTRAINT "tax_rate_components_rate_check" CHECK (rate >= 0 AND rate < 1000)
);
--> statement-breakpoint
CREATE INDEX "tax_rate_components_account_idx" ON "tax_rate_components" USING btree ("tenant_id", "account_id");
--> statement-breakpoint

-- Customers (SPEC 6.5). `code` is optional and unique when given.
CREATE TABLE "customers" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"id" uuid DEFAULT app_uuid_v7() NOT NULL,
	"code" text,
	"name" text NOT NULL,
	"email" text,
	"currency" char(3),
	"payment_terms_days" integer,
	"tax_number" text,
	"billing_address" text,
	"is_active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customers_pkey" PRIMARY KEY("tenant_id", "id"),
	CONSTRAINT "customers_terms_check" CHECK (payment_terms_days IS NULL OR payment_terms_days BETWEEN 0 AND 3650),
	CONSTRAINT "customers_email_check" CHECK (email IS NULL OR email = lower(email))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "customers_code_key" ON "customers" USING btree ("tenant_id", "code") WHERE code IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "customers_name_idx" ON "customers" USING btree ("tenant_id", lower("name"));
--> statement-breakpoint

-- Items (SPEC 6.5): what a document line can name, with its prices, accounts and tax rates.
-- The foreign keys keep a referenced account or tax rate from being deleted (tax rates are
-- deleted only when unused; accounts never are).
CREATE TABLE "items" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"id" uuid DEFAULT app_uuid_v7() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"description" text,
	"sales_price" numeric(20, 4),
	"purchase_price" numeric(20, 4),
	"income_account_id" uuid,
	"expense_account_id" uuid,
	"sales_tax_rate_id" uuid,
	"purchase_tax_rate_id" uuid,
	"is_active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "items_pkey" PRIMARY KEY("tenant_id", "id"),
	CONSTRAINT "items_code_key" UNIQUE("tenant_id", "code"),
	CONSTRAINT "items_kind_check" CHECK (kind IN ('service', 'product')),
	CONSTRAINT "items_prices_check" CHECK ((sales_price IS NULL OR sales_price >= 0) AND (purchase_price IS NULL OR purchase_price >= 0)),
	CONSTRAINT "items_income_account_fkey" FOREIGN KEY ("tenant_id", "income_account_id") REFERENCES "accounts"("tenant_id", "id"),
	CONSTRAINT "items_expense_account_fkey" FOREIGN KEY ("tenant_id", "expense_account_id") REFERENCES "accounts"("tenant_id", "id"),
	CONSTRAINT "items_sales_tax_rate_fkey" FOREIGN KEY ("tenant_id", "sales_tax_rate_id") REFERENCES "tax_rates"("tenant_id", "id"),
	CONSTRAINT "items_purchase_tax_rate_fkey" FOREIGN KEY ("tenant_id", "purchase_tax_rate_id") REFERENCES "tax_rates"("tenant_id", "id")
);
--> statement-breakpoint
CREATE INDEX "items_sales_tax_rate_idx" ON "items" USING btree ("tenant_id", "sales_tax_rate_id") WHERE sales_tax_rate_id IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "items_purchase_tax_rate_idx" ON "items" USING btree ("tenant_id", "purchase_tax_rate_id") WHERE purchase_tax_rate_id IS NOT NULL;
--> statement-breakpoint
SELECT app_apply_tenant_policy('tax_rates');
--> statement-breakpoint
SELECT app_apply_tenant_policy('tax_rate_components');
--> statement-breakpoint
SELECT app_apply_tenant_policy('customers');
--> statement-breakpoint
SELECT app_apply_tenant_policy('items');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON tax_rates, tax_rate_components TO paksa_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON customers, items TO paksa_app;
