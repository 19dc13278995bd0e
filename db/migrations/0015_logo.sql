-- The organisation's logo for documents (SPEC §5 settings `logoFileId`): at most one per tenant,
-- its bytes in the row (server/domain/settings/README.md says why not the file storage). A logo
-- is replaced by deleting the row and inserting a new one, so `logoFileId` changes with the image.
CREATE TABLE "tenant_logos" (
	"id" uuid DEFAULT app_uuid_v7() NOT NULL,
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"media_type" text NOT NULL,
	"bytes" bytea NOT NULL,
	"size" integer NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"sha256" text NOT NULL,
	"created_by" uuid REFERENCES "users"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenant_logos_pkey" PRIMARY KEY("id"),
	CONSTRAINT "tenant_logos_tenant_key" UNIQUE("tenant_id")
);
--> statement-breakpoint
SELECT app_apply_tenant_policy('tenant_logos');
--> statement-breakpoint
-- Read, added and removed; never changed in place (a new logo is a new row).
GRANT SELECT, INSERT, DELETE ON tenant_logos TO paksa_app;
--> statement-breakpoint
-- Whatever the application sends: only the two image types every PDF viewer draws, within the
-- size the route takes (LOGO_MAX_BYTES, LOGO_MAX_SIDE in server/domain/settings/logo.ts; the
-- catalogue test compares them), and the size and digest are those of the stored bytes.
ALTER TABLE tenant_logos ADD CONSTRAINT tenant_logos_image_check CHECK (
  media_type IN ('image/png', 'image/jpeg')
  AND size = octet_length(bytes) AND size BETWEEN 1 AND 524288
  AND width BETWEEN 1 AND 4096 AND height BETWEEN 1 AND 4096
  AND sha256 = encode(sha256(bytes), 'hex')
);
