/**
 * Vendors (SPEC §6 module 6; issue 13 point 1). Searched by name, e-mail and code; an optional code
 * is unique. A vendor's bank account is stored only encrypted (server/core/encryption.ts, bound to
 * the tenant), with a keyed hash to find the same account on another vendor and a masked view:
 * every answer, audit event and event payload carries the masked view, and only `revealBankAccount`
 * (`ap:pay`, audited per call) decrypts.
 *
 * Maker-checker (SPEC §4): a bank account given on create or patch is a pending change
 * (`vendor_bank_changes`); it takes effect only when someone other than its requester confirms it
 * (422 `SOD_SELF_APPROVAL` otherwise), and the vendor is then e-mailed about it through the outbox.
 * A newer request supersedes a pending one. The database holds the same line (migration 0022): a
 * new vendor has no account, the account changes only to a change confirmed in the same
 * transaction, and a change's confirmer is never its requester.
 */
import { and, asc, count, desc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm'
import { vendorBankChanges, vendors } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { maskBankAccount, normaliseAccountNumber, type BankAccount, type MaskedBankAccount } from '../../../shared/purchases/bank-account'
import { decryptField, encryptField, keyedHash } from '../../core/encryption'
import { recordAudit, type Actor } from '../audit/audit'
import { ConflictError, ForbiddenError, isUniqueViolation, NotFoundError, RuleError } from '../errors'
import { recordEvent } from '../events/events'
import { queueMail, type MailCollector } from '../mail/outbox'
import { renderVendorBankChangeMail } from '../mail/templates'
import { likePattern } from '../sales/tax-rates'
import { getFormatSettings } from '../settings/settings'

export interface VendorInput {
  name: string
  email?: string | null
  phone?: string | null
  currency?: string | null
  paymentTermsDays?: number | null
  taxNumber?: string | null
  address?: string | null
  code?: string | null
  isActive?: boolean
  /** A new account (null: remove it); waits for confirmation. */
  bankAccount?: BankAccount | null
}
export type VendorPatch = Partial<VendorInput> & { version?: number }

type Row = typeof vendors.$inferSelect
type ChangeRow = typeof vendorBankChanges.$inferSelect

export interface PendingBankChange { id: string, bankAccount: MaskedBankAccount | null, requestedBy: string, requestedAt: Date }

export type Vendor = Omit<Row, 'tenantId' | 'bankAccountCiphertext' | 'bankAccountHash' | 'bankAccountMasked'> & {
  bankAccount: MaskedBankAccount | null
  pendingBankAccount: PendingBankChange | null
  duplicateBankAccountVendorIds: string[]
}

/** The full account, as only `ap:pay` holders see it. */
export interface RevealedBankAccount {
  vendorId: string
  bankAccount: Required<{ [K in keyof BankAccount]: string | null }> | null
  pendingBankAccount: Required<{ [K in keyof BankAccount]: string | null }> | null
}

/** What a ciphertext is bound to: a copy in another tenant's row does not decrypt. */
const cipherContext = (tenantId: string) => `vendor_bank_account:${tenantId}`

interface Sealed { ciphertext: string, hash: string, masked: MaskedBankAccount }

/**
 * Encrypts an account, hashes what identifies it (the IBAN; else the BIC and account number) and
 * masks it. The hash is of the normalised number, so spacing and case never hide a duplicate.
 */
function seal(tenantId: string, account: BankAccount): Sealed {
  const plain = { iban: account.iban ?? null, accountNumber: account.accountNumber ?? null, bic: account.bic ?? null, bankName: account.bankName ?? null }
  const identity = plain.iban ? `iban:${normaliseAccountNumber(plain.iban)}` : `account:${plain.bic ?? ''}:${normaliseAccountNumber(plain.accountNumber ?? '')}`
  return {
    ciphertext: encryptField(JSON.stringify(plain), cipherContext(tenantId)),
    hash: keyedHash(identity, cipherContext(tenantId)),
    masked: maskBankAccount(plain),
  }
}

function open(tenantId: string, ciphertext: string | null): RevealedBankAccount['bankAccount'] {
  if (!ciphertext) return null
  return JSON.parse(decryptField(ciphertext, cipherContext(tenantId))) as RevealedBankAccount['bankAccount']
}

/** The vendors with their pending changes and the other vendors holding the same account. */
async function present(tx: Tx, rows: Row[]): Promise<Vendor[]> {
  if (!rows.length) return []
  const ids = rows.map(r => r.id)
  const pending = await tx.select().from(vendorBankChanges).where(and(inArray(vendorBankChanges.vendorId, ids), eq(vendorBankChanges.status, 'pending')))
  const pendingOf = new Map(pending.map(c => [c.vendorId, c]))
  const hashes = [...new Set([...rows.map(r => r.bankAccountHash), ...pending.map(c => c.hash)].filter((h): h is string => !!h))]
  const holders = hashes.length
    ? await tx.select({ id: vendors.id, hash: vendors.bankAccountHash }).from(vendors).where(inArray(vendors.bankAccountHash, hashes)).orderBy(asc(vendors.id))
    : []
  return rows.map(({ tenantId: _, bankAccountCiphertext: _c, bankAccountHash, bankAccountMasked, ...r }) => {
    const change = pendingOf.get(r.id)
    const own = new Set([bankAccountHash, change?.hash].filter(Boolean))
    return {
      ...r,
      bankAccount: bankAccountMasked ?? null,
      pendingBankAccount: change ? { id: change.id, bankAccount: change.masked ?? null, requestedBy: change.requestedBy, requestedAt: change.requestedAt } : null,
      duplicateBankAccountVendorIds: [...new Set(holders.filter(h => h.id !== r.id && own.has(h.hash)).map(h => h.id))],
    }
  })
}

async function presentOne(tx: Tx, row: Row): Promise<Vendor> {
  return (await present(tx, [row]))[0]!
}

function codeTaken(err: unknown): never {
  if (isUniqueViolation(err, 'vendors_code_key')) throw new ConflictError('A vendor with this code exists', 'VENDOR_CODE_TAKEN', { code: 'is already used' })
  throw err
}

function actorId(actor: Actor): string {
  // Maker-checker compares people: a change needs a named requester and confirmer.
  if (!actor.id) throw new ForbiddenError('Only a signed-in person can change or confirm bank details')
  return actor.id
}

export async function getVendor(tx: Tx, id: string): Promise<Vendor> {
  const [row] = await tx.select().from(vendors).where(eq(vendors.id, id))
  if (!row) throw new NotFoundError('Vendor')
  return presentOne(tx, row)
}

export interface VendorListQuery {
  page: number
  pageSize: number
  q?: string
  active?: boolean
  sort?: { field: 'name' | 'code' | 'createdAt', dir: 'asc' | 'desc' }
}

export async function listVendors(tx: Tx, query: VendorListQuery) {
  const like = query.q ? likePattern(query.q) : undefined
  const where: SQL | undefined = and(
    like ? or(ilike(vendors.name, like), ilike(vendors.email, like), ilike(vendors.code, like)) : undefined,
    query.active === undefined ? undefined : eq(vendors.isActive, query.active),
  )
  const dir = query.sort?.dir === 'desc' ? desc : asc
  const [{ total }] = await tx.select({ total: count() }).from(vendors).where(where) as [{ total: number }]
  const rows = await tx.select().from(vendors).where(where).orderBy(dir(vendors[query.sort?.field ?? 'name']), asc(vendors.id))
    .limit(query.pageSize).offset((query.page - 1) * query.pageSize)
  return { data: await present(tx, rows), total: Number(total) }
}

/**
 * Records a request to change (or, with null, remove) a vendor's account: any pending request is
 * superseded; the new one waits for a second person. Audited with the masked account only.
 */
async function requestBankChange(tx: Tx, tenantId: string, actor: Actor, vendorId: string, account: BankAccount | null): Promise<void> {
  const requestedBy = actorId(actor)
  const sealed = account ? seal(tenantId, account) : null
  const superseded = await tx.update(vendorBankChanges).set({ status: 'superseded' })
    .where(and(eq(vendorBankChanges.vendorId, vendorId), eq(vendorBankChanges.status, 'pending'))).returning({ id: vendorBankChanges.id })
  const [change] = await tx.insert(vendorBankChanges).values({
    tenantId, vendorId, ciphertext: sealed?.ciphertext ?? null, hash: sealed?.hash ?? null, masked: sealed?.masked ?? null, requestedBy,
  }).returning() as [ChangeRow]
  await recordAudit(tx, tenantId, actor, {
    action: 'vendor.bank_account.request', entityType: 'vendor', entityId: vendorId,
    after: { changeId: change.id, bankAccount: change.masked, supersedes: superseded.map(s => s.id) },
  })
}

export async function createVendor(tx: Tx, tenantId: string, actor: Actor, input: VendorInput): Promise<Vendor> {
  let row: Row
  try {
    ;[row] = await tx.insert(vendors).values({
      tenantId, name: input.name, email: input.email ?? null, phone: input.phone ?? null, currency: input.currency ?? null,
      paymentTermsDays: input.paymentTermsDays ?? null, taxNumber: input.taxNumber ?? null, address: input.address ?? null,
      code: input.code ?? null, isActive: input.isActive ?? true,
    }).returning() as [Row]
  }
  catch (err) { codeTaken(err) }
  if (input.bankAccount) await requestBankChange(tx, tenantId, actor, row.id, input.bankAccount)
  const created = await presentOne(tx, row)
  await recordAudit(tx, tenantId, actor, { action: 'vendor.create', entityType: 'vendor', entityId: row.id, after: created })
  await recordEvent(tx, tenantId, { type: 'vendor.created', entityType: 'vendor', entityId: row.id, data: created })
  return created
}

/** Whether `account` is what the vendor already has and nothing else is asked for (no request needed). */
function unchanged(tenantId: string, before: Row, pending: boolean, account: BankAccount | null): boolean {
  if (pending) return false
  if (!account) return !before.bankAccountCiphertext
  const current = open(tenantId, before.bankAccountCiphertext)
  const plain = { iban: account.iban ?? null, accountNumber: account.accountNumber ?? null, bic: account.bic ?? null, bankName: account.bankName ?? null }
  return !!current && JSON.stringify(current) === JSON.stringify(plain)
}

export async function updateVendor(tx: Tx, tenantId: string, actor: Actor, id: string, patch: VendorPatch): Promise<Vendor> {
  const [before] = await tx.select().from(vendors).where(eq(vendors.id, id)).for('update')
  if (!before) throw new NotFoundError('Vendor')
  if (patch.version !== undefined && patch.version !== before.version) throw new ConflictError('This vendor was changed by someone else; reload and try again', 'STALE_VERSION')
  const was = await presentOne(tx, before)
  const pick = <K extends keyof VendorInput & keyof Row>(key: K) => (patch[key] === undefined ? before[key] : patch[key]) as Row[K]
  let after: Row
  try {
    ;[after] = await tx.update(vendors).set({
      name: patch.name ?? before.name, email: pick('email'), phone: pick('phone'), currency: pick('currency'), paymentTermsDays: pick('paymentTermsDays'),
      taxNumber: pick('taxNumber'), address: pick('address'), code: pick('code'), isActive: patch.isActive ?? before.isActive,
      version: before.version + 1, updatedAt: new Date(),
    }).where(eq(vendors.id, id)).returning() as [Row]
  }
  catch (err) { codeTaken(err) }
  if (patch.bankAccount !== undefined && !unchanged(tenantId, before, !!was.pendingBankAccount, patch.bankAccount)) {
    await requestBankChange(tx, tenantId, actor, id, patch.bankAccount)
  }
  const now = await presentOne(tx, after)
  await recordAudit(tx, tenantId, actor, { action: 'vendor.update', entityType: 'vendor', entityId: id, before: was, after: now })
  return now
}

/**
 * Confirms the vendor's pending bank change (by someone other than its requester): the vendor's
 * account becomes the change's, and the vendor's e-mail address, if any, is told (masked). With
 * `changeId`, only that change is confirmed: a newer request made meanwhile is not confirmed unseen.
 */
export async function confirmBankChange(tx: Tx, tenantId: string, actor: Actor, unit: { mail: MailCollector }, id: string, body: { changeId?: string }): Promise<Vendor> {
  const confirmer = actorId(actor)
  const [vendor] = await tx.select().from(vendors).where(eq(vendors.id, id)).for('update')
  if (!vendor) throw new NotFoundError('Vendor')
  const [change] = await tx.select().from(vendorBankChanges)
    .where(and(eq(vendorBankChanges.vendorId, id), eq(vendorBankChanges.status, 'pending'))).for('update')
  if (!change || (body.changeId && body.changeId !== change.id)) {
    throw new ConflictError('No bank detail change of this vendor is waiting for confirmation (or a newer one replaced it)', 'VENDOR_BANK_CHANGE_NOT_PENDING')
  }
  if (change.requestedBy === confirmer) {
    throw new RuleError('You requested this bank detail change: someone else with approval rights has to confirm it', 'SOD_SELF_APPROVAL')
  }
  await tx.update(vendorBankChanges).set({ status: 'confirmed', confirmedBy: confirmer, confirmedAt: sql`now()` }).where(eq(vendorBankChanges.id, change.id))
  const [after] = await tx.update(vendors).set({
    bankAccountCiphertext: change.ciphertext, bankAccountHash: change.hash, bankAccountMasked: change.masked,
    bankAccountConfirmedBy: confirmer, bankAccountConfirmedAt: sql`now()`, version: vendor.version + 1, updatedAt: new Date(),
  }).where(eq(vendors.id, id)).returning() as [Row]
  await recordAudit(tx, tenantId, actor, {
    action: 'vendor.bank_account.confirm', entityType: 'vendor', entityId: id,
    before: { bankAccount: vendor.bankAccountMasked }, after: { changeId: change.id, requestedBy: change.requestedBy, bankAccount: change.masked },
  })
  if (after.email) {
    const format = await getFormatSettings(tx)
    const mail = renderVendorBankChangeMail({
      organisationName: format.name, vendorName: after.name, bankAccount: change.masked ?? null, changedAt: after.bankAccountConfirmedAt ?? new Date(),
      format: { dateFormat: format.dateFormat, timeZone: format.timeZone },
    })
    const queued = await queueMail(tx, tenantId, { kind: 'vendor_bank_change', to: [after.email], ...mail, dedupeKey: `vendor-bank-change:${change.id}` })
    if (queued.created) unit.mail.add(tenantId, queued.id)
  }
  return presentOne(tx, after)
}

/** The vendor's account in full (confirmed and pending), for `ap:pay` holders; every call is audited. */
export async function revealBankAccount(tx: Tx, tenantId: string, actor: Actor, id: string): Promise<RevealedBankAccount> {
  const [vendor] = await tx.select().from(vendors).where(eq(vendors.id, id))
  if (!vendor) throw new NotFoundError('Vendor')
  const [change] = await tx.select().from(vendorBankChanges).where(and(eq(vendorBankChanges.vendorId, id), eq(vendorBankChanges.status, 'pending')))
  await recordAudit(tx, tenantId, actor, {
    action: 'vendor.bank_account.reveal', entityType: 'vendor', entityId: id,
    after: { bankAccount: vendor.bankAccountMasked, pendingChangeId: change?.id ?? null, pendingBankAccount: change?.masked ?? null },
  })
  return { vendorId: id, bankAccount: open(tenantId, vendor.bankAccountCiphertext), pendingBankAccount: open(tenantId, change?.ciphertext ?? null) }
}

/**
 * The vendors' confirmed accounts in full, for the bank file of a payment run only (its approval
 * is audited with the masked views): never answered or stored in clear.
 */
export async function bankAccountsForPayment(tx: Tx, tenantId: string, vendorIds: string[]): Promise<Map<string, RevealedBankAccount['bankAccount']>> {
  if (!vendorIds.length) return new Map()
  const rows = await tx.select({ id: vendors.id, ciphertext: vendors.bankAccountCiphertext }).from(vendors).where(inArray(vendors.id, vendorIds))
  return new Map(rows.map(r => [r.id, open(tenantId, r.ciphertext)]))
}
