-- Organisation settings (SPEC §5 `GET/PATCH /api/v1/settings`): one row per tenant, written by
-- the first change (no row means the defaults). Modules add their own columns later.
CREATE TABLE "tenant_settings" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"address" text,
	"tax_number" text,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"date_format" text DEFAULT 'D MMM YYYY' NOT NULL,
	"number_format" text DEFAULT '1,234.56' NOT NULL,
	"negative_style" text DEFAULT 'minus' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenant_settings_pkey" PRIMARY KEY("tenant_id")
);
--> statement-breakpoint
SELECT app_apply_tenant_policy('tenant_settings');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON tenant_settings TO paksa_app;
--> statement-breakpoint
-- Only the formats every writer knows (shared/format/settings.ts), whatever the application sends.
ALTER TABLE tenant_settings ADD CONSTRAINT tenant_settings_formats_check CHECK (
  date_format IN ('D MMM YYYY', 'DD/MM/YYYY', 'MM/DD/YYYY', 'YYYY-MM-DD', 'DD.MM.YYYY')
  AND number_format IN ('1,234.56', '1.234,56', '1 234,56', '1''234.56')
  AND negative_style IN ('minus', 'parentheses')
);
--> statement-breakpoint
-- The organisation's name is its tenant's name. A member with settings:manage renames it through
-- the app role, which may change that one column (and its timestamp) of its own tenant's row and
-- nothing else: not the slug, status or base currency, and no other tenant.
GRANT UPDATE (name, updated_at) ON tenants TO paksa_app;
--> statement-breakpoint
CREATE POLICY tenant_self_rename ON tenants FOR UPDATE TO paksa_app
  USING (id = app_current_tenant()) WITH CHECK (id = app_current_tenant());
