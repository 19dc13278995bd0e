/**
 * Bank rules (SPEC §5 `bank-rules`; issue 14 point 3): conditions on a bank line → an account, an
 * optional tax rate and memo. Rules are tried in priority order (lower first, then the oldest): the
 * first whose conditions all hold is the line's rule. When it is `autoApply`, the importer categorises
 * each new line with it (source `rule`); otherwise it is offered among the line's suggestions.
 *
 * Conditions (all given ones must hold, at least one is given):
 * - `descriptionContains`: found in the line's description, counterparty or reference, ignoring case;
 * - `amountMin`, `amountMax`: bounds (inclusive) on the line's absolute amount;
 * - `direction`: `in` (money in, amount > 0) or `out`.
 */
import { and, asc, count, desc, eq, ilike, type SQL } from 'drizzle-orm'
import type { bankTransactions } from '../../../db/schema'
import { bankRules } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { recordAudit, type Actor } from '../audit/audit'
import { ConflictError, NotFoundError, RuleError } from '../errors'
import { Dec } from '../money'
import { accountProblem, loadAccounts, loadRates } from '../sales/documents'
import { likePattern } from '../sales/tax-rates'
import { attempt, categorizeLine } from './matching'

type Row = typeof bankRules.$inferSelect
type LineRow = typeof bankTransactions.$inferSelect

export interface BankRuleInput {
  name: string
  priority: number
  conditions: { descriptionContains?: string | null, amountMin?: string | null, amountMax?: string | null, direction?: 'in' | 'out' | null }
  action: { accountId: string, taxRateId?: string | null, memo?: string | null }
  autoApply?: boolean
}
export type BankRulePatch = Partial<Omit<BankRuleInput, 'action'>> & { action?: Partial<BankRuleInput['action']>, version?: number }

export function presentRule(r: Row) {
  return {
    id: r.id, name: r.name, priority: r.priority,
    conditions: { descriptionContains: r.descriptionContains, amountMin: r.amountMin, amountMax: r.amountMax, direction: r.direction },
    action: { accountId: r.accountId, taxRateId: r.taxRateId, memo: r.memo },
    autoApply: r.autoApply, version: r.version, createdAt: r.createdAt, updatedAt: r.updatedAt,
  }
}
export type BankRule = ReturnType<typeof presentRule>

/** Whether a rule's conditions all hold for a bank line. */
export function ruleMatches(r: Pick<Row, 'descriptionContains' | 'amountMin' | 'amountMax' | 'direction'>, line: Pick<LineRow, 'amount' | 'description' | 'counterparty' | 'reference'>): boolean {
  const amount = new Dec(line.amount)
  if (r.direction && (r.direction === 'in') !== amount.isPositive()) return false
  if (r.amountMin !== null && amount.abs().lt(r.amountMin)) return false
  if (r.amountMax !== null && amount.abs().gt(r.amountMax)) return false
  if (r.descriptionContains) {
    const text = [line.description, line.counterparty ?? '', line.reference ?? ''].join('\n').toLowerCase()
    if (!text.includes(r.descriptionContains.toLowerCase())) return false
  }
  return true
}

/** The tenant's rules in the order they are tried. */
export const rulesInOrder = (tx: Tx) => tx.select().from(bankRules).orderBy(asc(bankRules.priority), asc(bankRules.createdAt), asc(bankRules.id))

/** The first rule whose conditions hold for the line, or null. */
export const firstRule = (rules: Row[], line: Pick<LineRow, 'amount' | 'description' | 'counterparty' | 'reference'>) => rules.find(r => ruleMatches(r, line)) ?? null

/**
 * Categorises the new lines of an import with the first rule matching each, when that rule is
 * `autoApply`. A line the rule cannot post (a closed period, an account or rate made unusable since)
 * stays unmatched, and the import goes on. Answers the ids of the lines categorised.
 */
export async function applyRules(tx: Tx, tenantId: string, actor: Actor, bank: Parameters<typeof categorizeLine>[4], lines: LineRow[]): Promise<Set<string>> {
  const done = new Set<string>()
  if (!lines.length) return done
  const rules = await rulesInOrder(tx)
  if (!rules.some(r => r.autoApply)) return done
  for (const line of lines) {
    const rule = firstRule(rules, line)
    if (!rule?.autoApply) continue
    const ok = await attempt(tx, sp => categorizeLine(sp, tenantId, actor, line, bank, { accountId: rule.accountId, taxRateId: rule.taxRateId, memo: rule.memo }, { id: rule.id, name: rule.name }))
    if (ok) done.add(line.id)
  }
  return done
}

/** A rule by id (404), locked for a change when asked; `path` names it as a body field instead (422). */
export async function bankRuleRow(tx: Tx, id: string, path?: string, lock = false): Promise<Row> {
  const q = tx.select().from(bankRules).where(eq(bankRules.id, id))
  const [row] = lock ? await q.for('update') : await q
  if (!row && path) throw new RuleError('Unknown bank rule', 'BANK_RULE_INVALID', { [path]: 'is not a bank rule of this organisation' })
  if (!row) throw new NotFoundError('Bank rule')
  return row
}

/** The rule's account (usable: active, no sub-accounts, not a control account) and tax rate (active; of the direction's side when it has one). */
async function checkAction(tx: Tx, r: { direction: string | null, accountId: string, taxRateId: string | null }) {
  const found = await loadAccounts(tx, [r.accountId])
  const problem = accountProblem(found.get(r.accountId), null, null)
  if (problem) throw new RuleError('The rule cannot categorise to that account', 'BANK_CATEGORY_ACCOUNT_INVALID', { 'action.accountId': problem })
  if (r.taxRateId) {
    const rate = (await loadRates(tx, [r.taxRateId])).get(r.taxRateId)
    const path = 'action.taxRateId'
    if (!rate) throw new RuleError('Unknown tax rate', 'TAX_RATE_INVALID', { [path]: 'is not a tax rate of this organisation' })
    const side = r.direction === 'in' ? 'sales' : r.direction === 'out' ? 'purchases' : null
    if (side && rate.scope !== side && rate.scope !== 'both') throw new RuleError(`Tax rate ${rate.code} is for ${rate.scope} only`, 'TAX_RATE_INVALID', { [path]: `is a ${rate.scope} rate` })
    if (!rate.isActive) throw new RuleError(`Tax rate ${rate.code} is inactive`, 'TAX_RATE_INACTIVE', { [path]: 'is inactive' })
  }
}

const columns = (input: BankRuleInput) => ({
  name: input.name, priority: input.priority,
  descriptionContains: input.conditions.descriptionContains ?? null, amountMin: input.conditions.amountMin ?? null, amountMax: input.conditions.amountMax ?? null,
  direction: input.conditions.direction ?? null, accountId: input.action.accountId, taxRateId: input.action.taxRateId ?? null, memo: input.action.memo ?? null,
  autoApply: input.autoApply ?? false,
})

function checkConditions(c: ReturnType<typeof columns>) {
  if (c.descriptionContains === null && c.amountMin === null && c.amountMax === null && c.direction === null) {
    throw new RuleError('A rule needs at least one condition', 'BANK_RULE_INVALID', { conditions: 'give descriptionContains, amountMin, amountMax or direction' })
  }
  if (c.amountMin !== null && c.amountMax !== null && new Dec(c.amountMin).gt(c.amountMax)) {
    throw new RuleError('The amount range is reversed', 'BANK_RULE_INVALID', { 'conditions.amountMax': 'must be at least amountMin' })
  }
}

export async function createBankRule(tx: Tx, tenantId: string, actor: Actor, input: BankRuleInput): Promise<BankRule> {
  const values = columns(input)
  checkConditions(values)
  await checkAction(tx, values)
  const [row] = await tx.insert(bankRules).values({ tenantId, ...values, createdBy: actor.id ?? null }).returning() as [Row]
  const created = presentRule(row)
  await recordAudit(tx, tenantId, actor, { action: 'bank_rule.create', entityType: 'bank_rule', entityId: row.id, after: created })
  return created
}

export async function updateBankRule(tx: Tx, tenantId: string, actor: Actor, id: string, patch: BankRulePatch): Promise<BankRule> {
  const row = await bankRuleRow(tx, id, undefined, true)
  if (patch.version !== undefined && patch.version !== row.version) throw new ConflictError('This bank rule was changed by someone else; reload and try again', 'STALE_VERSION')
  const was = presentRule(row)
  const values = columns({
    name: patch.name ?? was.name, priority: patch.priority ?? was.priority,
    conditions: { ...was.conditions, ...patch.conditions }, action: { ...was.action, ...patch.action }, autoApply: patch.autoApply ?? was.autoApply,
  })
  checkConditions(values)
  await checkAction(tx, values)
  const [after] = await tx.update(bankRules).set({ ...values, version: row.version + 1, updatedAt: new Date() }).where(eq(bankRules.id, id)).returning() as [Row]
  const updated = presentRule(after)
  await recordAudit(tx, tenantId, actor, { action: 'bank_rule.update', entityType: 'bank_rule', entityId: id, before: was, after: updated })
  return updated
}

/** Deletes a rule; the lines it categorised keep their matches (their rule id becomes null, source `rule` stays). */
export async function deleteBankRule(tx: Tx, tenantId: string, actor: Actor, id: string): Promise<void> {
  const row = await bankRuleRow(tx, id, undefined, true)
  await tx.delete(bankRules).where(eq(bankRules.id, id))
  await recordAudit(tx, tenantId, actor, { action: 'bank_rule.delete', entityType: 'bank_rule', entityId: id, before: presentRule(row) })
}

export async function getBankRule(tx: Tx, id: string): Promise<BankRule> {
  return presentRule(await bankRuleRow(tx, id))
}

export interface BankRuleListQuery {
  page: number
  pageSize: number
  q?: string
  autoApply?: boolean
  sort?: { field: 'priority' | 'name' | 'createdAt', dir: 'asc' | 'desc' }
}

export async function listBankRules(tx: Tx, query: BankRuleListQuery) {
  const where: SQL | undefined = and(
    query.q ? ilike(bankRules.name, likePattern(query.q)) : undefined,
    query.autoApply === undefined ? undefined : eq(bankRules.autoApply, query.autoApply),
  )
  const dir = query.sort?.dir === 'desc' ? desc : asc
  const [{ total }] = await tx.select({ total: count() }).from(bankRules).where(where) as [{ total: number }]
  const rows = await tx.select().from(bankRules).where(where).orderBy(dir(bankRules[query.sort?.field ?? 'priority']), asc(bankRules.createdAt), asc(bankRules.id))
    .limit(query.pageSize).offset((query.page - 1) * query.pageSize)
  return { data: rows.map(presentRule), total: Number(total) }
}
