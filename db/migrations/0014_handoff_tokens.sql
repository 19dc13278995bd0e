-- Handing a signed-in person over to another of their organisations' hosts (the organisation
-- switcher, and the end of a sign-up): each tenant host has its own host-only cookies, so the
-- host the person is on cannot sign them in on another one. It issues a one-time token instead,
-- for one person and one tenant, valid 60 seconds and spent by its first use; the target host
-- exchanges it for a session (POST /api/v1/auth/handoff). The row lives in the target tenant,
-- under its row-level security: a token for tenant A presented on tenant B's host is not even
-- visible there. Only the token's SHA-256 is kept.
CREATE TABLE "handoff_tokens" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"id" uuid DEFAULT app_uuid_v7() NOT NULL,
	"user_id" uuid NOT NULL REFERENCES "users"("id"),
	"purpose" text NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "handoff_tokens_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "handoff_tokens_purpose_check" CHECK (purpose IN ('switch', 'signup'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "handoff_tokens_token_key" ON "handoff_tokens" USING btree ("tenant_id","token_hash");
--> statement-breakpoint
SELECT app_apply_tenant_policy('handoff_tokens');
--> statement-breakpoint
-- DELETE: issuing a token clears the tenant's long-expired ones.
GRANT SELECT, INSERT, UPDATE, DELETE ON handoff_tokens TO paksa_app;
