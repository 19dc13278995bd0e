-- Sign-up by e-mailed link and invitations that reveal nothing (SPEC §4 users and memberships, §5
-- signup): pending sign-ups and their mail are platform rows; an open invitation is the pending
-- membership itself and names no platform account until it is accepted.
CREATE TABLE "pending_signups" (
	"id" uuid PRIMARY KEY DEFAULT app_uuid_v7() NOT NULL,
	"email" text NOT NULL,
	"owner_name" text NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"base_currency" char(3) NOT NULL,
	"fiscal_year_start_month" smallint NOT NULL,
	"chart_of_accounts" text NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "platform_mail_outbox" (
	"id" uuid PRIMARY KEY DEFAULT app_uuid_v7() NOT NULL,
	"kind" text NOT NULL,
	"to" text[] NOT NULL,
	"subject" text NOT NULL,
	"text" text NOT NULL,
	"html" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"error" text,
	"message_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "invitations" ALTER COLUMN "user_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "name" text;--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "roles" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "pending_signups_token_key" ON "pending_signups" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "platform_mail_outbox_created_idx" ON "platform_mail_outbox" USING btree ("created_at");
--> statement-breakpoint

-- Open invitations made before this migration pointed at a user row and had a membership already.
-- Carry them over (owner connection; the tables force RLS, so lift it for this one fix):
-- older open rows of the same member (replaced by a re-send) go; a member whose account has a
-- password was already a member, so the invitation counts as accepted; a never-used account
-- (no password) becomes a pending member again: its roles move onto the invitation and its
-- membership goes, so it appears as invited until it is accepted.
ALTER TABLE invitations NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE memberships NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
DELETE FROM invitations old USING invitations newer
 WHERE old.accepted_at IS NULL AND newer.accepted_at IS NULL
   AND old.tenant_id = newer.tenant_id AND old.user_id = newer.user_id
   AND (old.created_at, old.id) < (newer.created_at, newer.id);
--> statement-breakpoint
DELETE FROM invitations i
 WHERE i.accepted_at IS NULL
   AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.tenant_id = i.tenant_id AND m.user_id = i.user_id);
--> statement-breakpoint
UPDATE invitations i SET accepted_at = now()
  FROM users u WHERE i.accepted_at IS NULL AND u.id = i.user_id AND u.password_hash IS NOT NULL;
--> statement-breakpoint
UPDATE invitations i SET roles = m.roles, name = u.name
  FROM memberships m, users u
 WHERE i.accepted_at IS NULL AND m.tenant_id = i.tenant_id AND m.user_id = i.user_id AND u.id = i.user_id;
--> statement-breakpoint
DELETE FROM memberships m USING invitations i
 WHERE i.accepted_at IS NULL AND i.tenant_id = m.tenant_id AND i.user_id = m.user_id;
--> statement-breakpoint
UPDATE invitations SET user_id = NULL WHERE accepted_at IS NULL;
--> statement-breakpoint
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE UNIQUE INDEX "invitations_open_email_key" ON "invitations" USING btree ("tenant_id","email") WHERE accepted_at is null;
--> statement-breakpoint
-- An open invitation grants what a membership may hold: the same roles, at least one.
ALTER TABLE invitations ADD CONSTRAINT invitations_roles_check CHECK (
  accepted_at IS NOT NULL OR (
    cardinality(roles) >= 1
    AND roles <@ ARRAY['owner','admin','accountant','ap_clerk','ar_clerk','viewer','auditor']::text[]
  )
);
--> statement-breakpoint
ALTER TABLE invitations ADD CONSTRAINT invitations_email_lower_check CHECK (email = lower(email));
--> statement-breakpoint
-- Withdrawing a pending invitation deletes it (the audit log keeps the record).
GRANT DELETE ON invitations TO paksa_app;
--> statement-breakpoint
-- Accepted means linked to the account that accepted it.
ALTER TABLE invitations ADD CONSTRAINT invitations_accepted_user_check CHECK (accepted_at IS NULL OR user_id IS NOT NULL);
--> statement-breakpoint

-- Pending sign-ups and platform mail: back-office role only (the tenant app role has no grant,
-- so no tenant can read another person's sign-up or its link).
GRANT SELECT, INSERT, UPDATE ON pending_signups, platform_mail_outbox TO paksa_platform;
--> statement-breakpoint
ALTER TABLE pending_signups ADD CONSTRAINT pending_signups_email_lower_check CHECK (email = lower(email));
--> statement-breakpoint
ALTER TABLE pending_signups ADD CONSTRAINT pending_signups_chart_check CHECK (chart_of_accounts IN ('standard', 'none'));
--> statement-breakpoint
ALTER TABLE platform_mail_outbox ADD CONSTRAINT platform_mail_outbox_status_check CHECK (status IN ('pending', 'sent', 'failed', 'held'));
--> statement-breakpoint

-- Accepting an invitation or completing a sign-up as a new account. The app role cannot read
-- platform users outside its tenant, so this definer function creates the account with its first
-- password, or gives a password to an account that never had one (an invitation made before
-- 0007). An account that has a password is never changed: `claimed` is false and the caller must
-- have checked that password itself.
CREATE OR REPLACE FUNCTION app_claim_account(p_email text, p_name text, p_password_hash text)
RETURNS TABLE (user_id uuid, claimed boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF app_current_tenant() IS NULL THEN
    RAISE EXCEPTION 'app_claim_account needs a tenant context' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_password_hash IS NULL THEN
    RAISE EXCEPTION 'app_claim_account needs a password hash' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  INSERT INTO users (email, name, password_hash) VALUES (lower(p_email), p_name, p_password_hash)
  ON CONFLICT (email) DO NOTHING
  RETURNING users.id, true INTO user_id, claimed;
  IF user_id IS NULL THEN
    UPDATE users u SET password_hash = p_password_hash, name = p_name, updated_at = now()
     WHERE u.email = lower(p_email) AND u.password_hash IS NULL
    RETURNING u.id, true INTO user_id, claimed;
  END IF;
  IF user_id IS NULL THEN
    SELECT u.id, false INTO user_id, claimed FROM users u WHERE u.email = lower(p_email);
  END IF;
  RETURN NEXT;
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_claim_account(text, text, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_claim_account(text, text, text) TO paksa_app;
