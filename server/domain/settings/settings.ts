/**
 * Organisation settings (SPEC §5 `settings`): the organisation's name (its tenant's name), address,
 * tax number and how it writes dates and figures. Read by every member — pages, report files and
 * e-mails format with them — and changed with `settings:manage`, audited, under optimistic
 * concurrency. A tenant without a settings row has the defaults at version 1.
 */
import { eq, sql } from 'drizzle-orm'
import { tenantLogos, tenants, tenantSettings, users } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { DEFAULT_FORMAT_SETTINGS, type FormatSettings } from '../../../shared/format/settings'
import { recordAudit, type Actor } from '../audit/audit'
import { ConflictError, ValidationError } from '../errors'
import { Dec, format, minorUnit } from '../money'
import { findLogo } from './logo'
import { changeControlAccount, controlAccountIds, type ControlAccountIds } from '../sales/control-accounts'

export interface OrganisationSettings extends FormatSettings, ControlAccountIds {
  name: string
  address: string | null
  taxNumber: string | null
  /** The logo printed on documents (PUT/DELETE /api/v1/settings/logo), null without one. */
  logoFileId: string | null
  /** Fixed when the organisation was created: read here, never changed through the settings. */
  baseCurrency: string
  fiscalYearStartMonth: number
  /** Sales (server/domain/sales): the invoice number prefix and the default payment terms. */
  invoicePrefix: string
  defaultPaymentTermsDays: number
  /** Dunning (server/domain/sales/dunning.ts): reminder days after the due date, ascending; empty: none. */
  dunningDays: number[]
  /**
   * Purchases (server/domain/purchases/bills.ts): a submitted bill whose total in base currency is
   * at or below this opens and posts at once; above it, it waits for approval. Default "0.00":
   * every bill waits for a second person until the organisation raises it.
   */
  billApprovalThreshold: string
  version: number
  updatedAt: Date
}

/** What PATCH changes; the logo, base currency, fiscal year and control accounts (set by id) are not plain fields. */
export type SettingsPatch = Partial<Omit<OrganisationSettings, 'version' | 'updatedAt' | 'logoFileId' | 'baseCurrency' | 'fiscalYearStartMonth' | keyof ControlAccountIds>>
  & { version?: number, arControlAccountId?: string, apControlAccountId?: string }

type Row = typeof tenantSettings.$inferSelect
/** The tenant's own columns the settings show. */
const tenantColumns = { name: tenants.name, updatedAt: tenants.updatedAt, baseCurrency: tenants.baseCurrency, fiscalYearStartMonth: tenants.fiscalYearStartMonth }
type TenantPart = { name: string, updatedAt: Date, baseCurrency: string, fiscalYearStartMonth: number }

function present(tenant: TenantPart, row: Row | undefined, logoFileId: string | null, control: ControlAccountIds): OrganisationSettings {
  const updatedAt = row && row.updatedAt > tenant.updatedAt ? row.updatedAt : tenant.updatedAt
  return {
    name: tenant.name,
    address: row?.address ?? null,
    taxNumber: row?.taxNumber ?? null,
    timeZone: row?.timeZone ?? DEFAULT_FORMAT_SETTINGS.timeZone,
    dateFormat: row?.dateFormat ?? DEFAULT_FORMAT_SETTINGS.dateFormat,
    numberFormat: row?.numberFormat ?? DEFAULT_FORMAT_SETTINGS.numberFormat,
    negativeStyle: row?.negativeStyle ?? DEFAULT_FORMAT_SETTINGS.negativeStyle,
    logoFileId,
    baseCurrency: tenant.baseCurrency,
    fiscalYearStartMonth: tenant.fiscalYearStartMonth,
    invoicePrefix: row?.invoicePrefix ?? 'INV-',
    defaultPaymentTermsDays: row?.defaultPaymentTermsDays ?? 30,
    dunningDays: row?.dunningDays ?? [],
    billApprovalThreshold: format(new Dec(row?.billApprovalThreshold ?? '0'), minorUnit(tenant.baseCurrency)),
    ...control,
    version: row?.version ?? 1,
    updatedAt,
  }
}

/** The flagged control account of a subtype (the settings' `arControlAccountId` / `apControlAccountId`). */
const controlAccount = (subtype: 'receivable' | 'payable') =>
  sql<string | null>`(select a.id from accounts a where a.tenant_id = ${tenants.id} and a.is_control and a.subtype = ${subtype})`

/** The current tenant's settings, in one query (row-level security shows its tenant row, settings and accounts only). */
export async function getSettings(tx: Tx): Promise<OrganisationSettings> {
  const [found] = await tx.select({
    ...tenantColumns, row: tenantSettings, logoFileId: tenantLogos.id,
    arControlAccountId: controlAccount('receivable'), apControlAccountId: controlAccount('payable'),
  }).from(tenants).leftJoin(tenantSettings, eq(tenantSettings.tenantId, tenants.id)).leftJoin(tenantLogos, eq(tenantLogos.tenantId, tenants.id))
  if (!found) throw new Error('getSettings needs a tenant context')
  return present(found, found.row ?? undefined, found.logoFileId, { arControlAccountId: found.arControlAccountId, apControlAccountId: found.apControlAccountId })
}

/** Just what formatting needs, for report files and e-mails. */
export async function getFormatSettings(tx: Tx): Promise<FormatSettings & { name: string }> {
  const { name, timeZone, dateFormat, numberFormat, negativeStyle } = await getSettings(tx)
  return { name, timeZone, dateFormat, numberFormat, negativeStyle }
}

/**
 * What a report file or document says about its making: the organisation's name, logo and
 * formatting, the member it is prepared for (by user id; none for a file nobody asked for), and now.
 */
export async function documentOptions(tx: Tx, preparedFor: string | null) {
  const { name, ...settings } = await getFormatSettings(tx)
  const [user] = preparedFor ? await tx.select({ name: users.name }).from(users).where(eq(users.id, preparedFor)) : []
  const logo = await findLogo(tx)
  return { organisation: name, settings, preparedBy: user?.name, preparedAt: new Date(), ...(logo ? { logo: logo.bytes } : {}) }
}

/**
 * Changes the given fields. The tenant row is locked first, so two changes of one tenant's
 * settings run one after the other and the second sees the first's version (409 STALE_VERSION
 * when it was made against the older one).
 */
export async function updateSettings(tx: Tx, tenantId: string, actor: Actor, patch: SettingsPatch): Promise<OrganisationSettings> {
  const [tenant] = await tx.select(tenantColumns).from(tenants).where(eq(tenants.id, tenantId)).for('no key update')
  if (!tenant) throw new Error('updateSettings needs its tenant context')
  const [row] = await tx.select().from(tenantSettings).where(eq(tenantSettings.tenantId, tenantId))
  const [logo] = await tx.select({ id: tenantLogos.id }).from(tenantLogos)
  const before = present(tenant, row, logo?.id ?? null, await controlAccountIds(tx))
  if (patch.version !== undefined && patch.version !== before.version) throw new ConflictError('The settings were changed by someone else; reload and try again', 'STALE_VERSION')
  const { version: _, ...fieldsSent } = patch
  if (fieldsSent.billApprovalThreshold !== undefined) {
    const places = minorUnit(before.baseCurrency)
    const given = new Dec(fieldsSent.billApprovalThreshold)
    if (given.decimalPlaces() > places) throw new ValidationError(`${before.baseCurrency} has ${places} decimal places`, { billApprovalThreshold: `has more than ${places} decimal places` }, 'TOO_MANY_DECIMALS')
    fieldsSent.billApprovalThreshold = format(given, places)
  }
  // Nothing to change (an empty body, or every value as it is): no new version, no audit event.
  const same = (a: unknown, b: unknown) => (Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((v, i) => v === b[i]) : a === b)
  if (Object.entries(fieldsSent).every(([key, value]) => same(before[key as keyof typeof fieldsSent], value))) return before
  // The control accounts are the accounts' own flag (sales/control-accounts.ts); the tenant lock above orders these changes too.
  if (patch.arControlAccountId !== undefined) await changeControlAccount(tx, 'ar', patch.arControlAccountId)
  if (patch.apControlAccountId !== undefined) await changeControlAccount(tx, 'ap', patch.apControlAccountId)
  const now = new Date()
  let renamed = tenant
  if (patch.name !== undefined && patch.name !== tenant.name) {
    ;[renamed] = await tx.update(tenants).set({ name: patch.name, updatedAt: now }).where(eq(tenants.id, tenantId))
      .returning(tenantColumns) as [typeof tenant]
  }
  const fields = {
    address: patch.address === undefined ? before.address : patch.address,
    taxNumber: patch.taxNumber === undefined ? before.taxNumber : patch.taxNumber,
    timeZone: patch.timeZone ?? before.timeZone,
    dateFormat: patch.dateFormat ?? before.dateFormat,
    numberFormat: patch.numberFormat ?? before.numberFormat,
    negativeStyle: patch.negativeStyle ?? before.negativeStyle,
    invoicePrefix: patch.invoicePrefix ?? before.invoicePrefix,
    defaultPaymentTermsDays: patch.defaultPaymentTermsDays ?? before.defaultPaymentTermsDays,
    dunningDays: patch.dunningDays ?? before.dunningDays,
    billApprovalThreshold: fieldsSent.billApprovalThreshold ?? before.billApprovalThreshold,
    version: before.version + 1,
    updatedAt: now,
  }
  const [written] = await tx.insert(tenantSettings).values({ tenantId, ...fields })
    .onConflictDoUpdate({ target: tenantSettings.tenantId, set: fields }).returning()
  const after = present(renamed, written, before.logoFileId, await controlAccountIds(tx))
  await recordAudit(tx, tenantId, actor, { action: 'settings.update', entityType: 'settings', entityId: tenantId, before, after })
  return after
}
