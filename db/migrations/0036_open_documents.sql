-- The agings read only what is open (issue 12 point 11, benchmark (b)). A document or payment
-- whose stored open amount is zero (total = amount_allocated, amount = amount_allocated) adds
-- nothing to an aging on a date unless an allocation counts differently on that date than
-- amount_allocated says, and the aging finds those from the allocations (dated after the date, or
-- released after it). server/domain/reports/subledger.ts, "Open rows only".
--
-- * is_open: a stored generated column, "the stored open amount is not zero", computed by
--   PostgreSQL on every write of the row (no trigger; the guards of 0018/0019/0025/0027 list the
--   columns they compare, so it changes nothing there). ANALYZE keeps its statistics, so the
--   planner estimates how many rows are open; it had no estimate for `total <> amount_allocated`.
-- * <table>_open_idx: a partial index of the open rows by (tenant_id, date), with what the aging
--   reads of them (INCLUDE), so on an all-visible page (autovacuum) the aging reads the index only.
-- * <side>_allocations_after_idx (0026, 0027) keyed by currency before the date: the base-currency
--   corrections are one range (currency = base, date > asOf) and the foreign-currency ones two
--   (currency < base, currency > base) instead of a filter over every allocation after the date.
-- On the receivables (sales documents, receipts, sales allocations) and the payables (bills and
-- vendor credits, bill payments, purchase allocations), which share the aging's code.

ALTER TABLE "sales_documents" ADD COLUMN "is_open" boolean GENERATED ALWAYS AS (total <> amount_allocated) STORED NOT NULL;
--> statement-breakpoint
ALTER TABLE "receipts" ADD COLUMN "is_open" boolean GENERATED ALWAYS AS (amount <> amount_allocated) STORED NOT NULL;
--> statement-breakpoint
ALTER TABLE "bills" ADD COLUMN "is_open" boolean GENERATED ALWAYS AS (total <> amount_allocated) STORED NOT NULL;
--> statement-breakpoint
ALTER TABLE "bill_payments" ADD COLUMN "is_open" boolean GENERATED ALWAYS AS (amount <> amount_allocated) STORED NOT NULL;
--> statement-breakpoint
CREATE INDEX "sales_documents_open_idx" ON "sales_documents" USING btree ("tenant_id", "date")
  INCLUDE ("customer_id", "kind", "status", "due_date", "exchange_rate", "total", "amount_allocated") WHERE is_open;
--> statement-breakpoint
CREATE INDEX "receipts_open_idx" ON "receipts" USING btree ("tenant_id", "date")
  INCLUDE ("customer_id", "status", "exchange_rate", "amount", "amount_allocated") WHERE is_open;
--> statement-breakpoint
CREATE INDEX "bills_open_idx" ON "bills" USING btree ("tenant_id", "date")
  INCLUDE ("vendor_id", "kind", "status", "due_date", "exchange_rate", "total", "amount_allocated") WHERE is_open;
--> statement-breakpoint
CREATE INDEX "bill_payments_open_idx" ON "bill_payments" USING btree ("tenant_id", "date")
  INCLUDE ("vendor_id", "status", "exchange_rate", "amount", "amount_allocated") WHERE is_open;
--> statement-breakpoint
DROP INDEX "sales_allocations_after_idx";
--> statement-breakpoint
CREATE INDEX "sales_allocations_after_idx" ON "sales_allocations" USING btree ("tenant_id", "currency", "date")
  INCLUDE ("customer_id", "amount", "invoice_date", "invoice_due", "source_date") WHERE released_at IS NULL;
--> statement-breakpoint
DROP INDEX "purchase_allocations_after_idx";
--> statement-breakpoint
CREATE INDEX "purchase_allocations_after_idx" ON "purchase_allocations" USING btree ("tenant_id", "currency", "date")
  INCLUDE ("vendor_id", "amount", "bill_date", "bill_due", "source_date") WHERE released_at IS NULL;
--> statement-breakpoint
ANALYZE "sales_documents", "receipts", "bills", "bill_payments", "sales_allocations", "purchase_allocations";
