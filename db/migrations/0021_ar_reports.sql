-- Aged receivables (server/domain/sales/ar-reports.ts) reads the allocations whose count on a date
-- differs from the stored `amount_allocated`: unreleased ones dated after the date, and released
-- ones. Both are few for a recent date; these partial indexes find them without reading the rest.
CREATE INDEX "sales_allocations_date_idx" ON "sales_allocations" USING btree ("tenant_id", "date") WHERE released_at IS NULL;
--> statement-breakpoint
CREATE INDEX "sales_allocations_released_idx" ON "sales_allocations" USING btree ("tenant_id", "date") WHERE released_at IS NOT NULL;
