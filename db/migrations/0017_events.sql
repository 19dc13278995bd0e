-- The event feed (SPEC §5 `GET /api/v1/events`, §6 module 14; issue 12 point 8): one row per state
-- change, written by recordEvent (server/domain/events) in the transaction that makes the change,
-- so a rolled-back change leaves no event. Events are immutable: the app may insert and read only.
--
-- Ordering a follower can trust: `txid` is the writing transaction's id (pg_current_xact_id(),
-- 64-bit, never wraps) and `seq` the insertion order within it. The feed hands out only events whose
-- txid is below the oldest transaction still running (pg_snapshot_xmin), in (txid, seq) order: every
-- such transaction has finished, and any event still to commit has a txid at or above that xmin, so
-- it sorts after everything handed out and is never skipped by a cursor. A global identity (not a
-- per-tenant counter) suffices for `seq`: it orders within a transaction and breaks no tie across
-- tenants, and takes no lock.
CREATE TABLE "events" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT app_uuid_v7() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
	"txid" xid8 DEFAULT pg_current_xact_id() NOT NULL,
	"type" text NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" uuid NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "events_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE UNIQUE INDEX "events_feed_idx" ON "events" USING btree ("tenant_id","txid","seq");
--> statement-breakpoint
CREATE INDEX "events_entity_idx" ON "events" USING btree ("tenant_id","entity_type","entity_id");
--> statement-breakpoint
-- The closed list of SPEC §5 (server/domain/events/types.ts names the same).
ALTER TABLE events ADD CONSTRAINT events_type_check CHECK (type IN (
  'journal_entry.posted', 'journal_entry.reversed', 'invoice.issued', 'invoice.paid', 'invoice.voided',
  'credit_note.issued', 'receipt.created', 'bill.submitted', 'bill.approved', 'bill.paid', 'bill.voided',
  'bill_payment.created', 'bank_transaction.imported', 'bank_reconciliation.completed', 'period.closed',
  'period.reopened', 'customer.created', 'vendor.created'
));
--> statement-breakpoint
SELECT app_apply_tenant_policy('events');
--> statement-breakpoint
GRANT SELECT, INSERT ON events TO paksa_app;
--> statement-breakpoint
-- Append-only whoever writes: no grant for UPDATE/DELETE, and this trigger for the owner too.
CREATE OR REPLACE FUNCTION app_events_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'events are immutable' USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION app_events_immutable();
--> statement-breakpoint
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION app_events_immutable();
