/**
 * The organisation's logo for documents (SPEC §5 settings `logoFileId`): one image per tenant in
 * `tenant_logos`, checked by inspectLogo before it is stored, printed at the head of every report
 * PDF. Uploading and removing it are settings changes: `settings:manage`, one audit event, and the
 * settings' version goes up, as with PATCH.
 */
import { createHash } from 'node:crypto'
import { eq, sql } from 'drizzle-orm'
import { tenants, tenantLogos, tenantSettings } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { recordAudit, type Actor } from '../audit/audit'
import { NotFoundError } from '../errors'
import { inspectLogo } from './logo-image'
import type { LogoMediaType } from './logo-rules'

export interface StoredLogo { id: string, mediaType: LogoMediaType, bytes: Buffer, sha256: string }

/** The current tenant's logo with its bytes, or undefined without one. */
export async function findLogo(tx: Tx): Promise<StoredLogo | undefined> {
  const [logo] = await tx.select({ id: tenantLogos.id, mediaType: tenantLogos.mediaType, bytes: tenantLogos.bytes, sha256: tenantLogos.sha256 }).from(tenantLogos)
  return logo
}

/** What the audit trail keeps of a logo: what it is, not its bytes. */
async function describeLogo(tx: Tx) {
  const [logo] = await tx.select({ logoFileId: tenantLogos.id, mediaType: tenantLogos.mediaType, size: tenantLogos.size, width: tenantLogos.width, height: tenantLogos.height, sha256: tenantLogos.sha256 })
    .from(tenantLogos)
  return logo ?? null
}

/** Locks the tenant's row, as updateSettings does, so settings changes of one tenant run one after the other. */
async function lockSettings(tx: Tx, tenantId: string): Promise<void> {
  await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, tenantId)).for('no key update')
}

/** Moves the settings to their next version (a tenant without a settings row is at 1). */
async function nextSettingsVersion(tx: Tx, tenantId: string, now: Date): Promise<void> {
  await tx.insert(tenantSettings).values({ tenantId, version: 2, updatedAt: now })
    .onConflictDoUpdate({ target: tenantSettings.tenantId, set: { version: sql`${tenantSettings.version} + 1`, updatedAt: now } })
}

/**
 * Stores `bytes` as the logo, replacing any before it (a new id, so `logoFileId` names the image).
 * Refused before anything is written: 413 LOGO_TOO_LARGE, 415 LOGO_UNSUPPORTED_TYPE, 400 LOGO_INVALID.
 */
export async function replaceLogo(tx: Tx, tenantId: string, actor: Actor, bytes: Buffer): Promise<void> {
  const image = inspectLogo(bytes)
  const now = new Date()
  await lockSettings(tx, tenantId)
  const before = await describeLogo(tx)
  await nextSettingsVersion(tx, tenantId, now)
  await tx.delete(tenantLogos).where(eq(tenantLogos.tenantId, tenantId))
  const [stored] = await tx.insert(tenantLogos).values({
    tenantId, ...image, bytes, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'),
    createdBy: actor.type === 'user' ? actor.id : undefined, createdAt: now,
  }).returning({ logoFileId: tenantLogos.id, mediaType: tenantLogos.mediaType, size: tenantLogos.size, width: tenantLogos.width, height: tenantLogos.height, sha256: tenantLogos.sha256 })
  await recordAudit(tx, tenantId, actor, { action: 'settings.logo.replace', entityType: 'settings', entityId: tenantId, before: { logo: before }, after: { logo: stored } })
}

/** Removes the logo; 404 NOT_FOUND when there is none. */
export async function removeLogo(tx: Tx, tenantId: string, actor: Actor): Promise<void> {
  await lockSettings(tx, tenantId)
  const before = await describeLogo(tx)
  if (!before) throw new NotFoundError('Logo')
  await nextSettingsVersion(tx, tenantId, new Date())
  await tx.delete(tenantLogos).where(eq(tenantLogos.tenantId, tenantId))
  await recordAudit(tx, tenantId, actor, { action: 'settings.logo.remove', entityType: 'settings', entityId: tenantId, before: { logo: before }, after: { logo: null } })
}
