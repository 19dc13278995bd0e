/**
 * Vendor credits (SPEC §5 `vendor-credits`; issue 13 point 3): the vendor's credit note, a `bills`
 * row of kind `vendor_credit` sharing the bill's lines, taxes, attachments and code (./bills.ts,
 * `KIND_TERMS`): draft → (issue, no approval: a credit lowers what is owed) open, posted — Dr AP
 * control the total, Cr each line's expense or asset account its net and each recoverable tax
 * account its tax — numbered `VC-000001` (`document_counters` kind `vendor_credit`) → void (the
 * reversal; refused while allocated, BILL_HAS_ALLOCATIONS, in PostgreSQL too). Its total is
 * allocated to bills of the same vendor and currency (./allocations.ts); what is not allocated is
 * the vendor's credit with us (a debit left on the AP control account).
 */
import type { Tx } from '../../../db/tenant'
import type { Actor } from '../audit/audit'
import { RuleError } from '../errors'
import { billAllocationsOf } from './allocations'
import { allocateBillSource, type BillAllocateInput } from './bill-payments'
import { createBill, deleteBill, findRow, issueVendorCredit as issue, listBills, present, updateBill, voidBill, type BillInput, type BillListQuery, type BillPatch } from './bills'

export type VendorCreditInput = Omit<BillInput, 'dueDate'>

async function withAllocations(tx: Tx, tenantId: string, bill: Awaited<ReturnType<typeof present>>) {
  const row = await findRow(tx, bill.id, false, 'vendor_credit')
  return { ...bill, allocations: await billAllocationsOf(tx, tenantId, { kind: 'vendor_credit', row }) }
}
export type VendorCredit = Awaited<ReturnType<typeof withAllocations>>

export const listVendorCredits = (tx: Tx, query: BillListQuery) => listBills(tx, query, 'vendor_credit')

export async function getVendorCredit(tx: Tx, tenantId: string, id: string): Promise<VendorCredit> {
  return withAllocations(tx, tenantId, await present(tx, await findRow(tx, id, false, 'vendor_credit')))
}

export async function createVendorCredit(tx: Tx, tenantId: string, actor: Actor, input: VendorCreditInput & { issue?: boolean }): Promise<VendorCredit> {
  const { issue: now, ...body } = input
  return withAllocations(tx, tenantId, await createBill(tx, tenantId, actor, { ...body, submit: now }, 'vendor_credit'))
}

export async function updateVendorCredit(tx: Tx, tenantId: string, actor: Actor, id: string, patch: Omit<BillPatch, 'dueDate'>): Promise<VendorCredit> {
  return withAllocations(tx, tenantId, await updateBill(tx, tenantId, actor, id, patch, 'vendor_credit'))
}

export const deleteVendorCredit = (tx: Tx, tenantId: string, actor: Actor, id: string) => deleteBill(tx, tenantId, actor, id, 'vendor_credit')

export async function issueVendorCredit(tx: Tx, tenantId: string, actor: Actor, id: string): Promise<VendorCredit> {
  return withAllocations(tx, tenantId, await issue(tx, tenantId, actor, id))
}

export async function voidVendorCredit(tx: Tx, tenantId: string, actor: Actor, id: string, input: { date?: string } = {}): Promise<VendorCredit> {
  return withAllocations(tx, tenantId, await voidBill(tx, tenantId, actor, id, input, 'vendor_credit'))
}

/** Allocates part of an open vendor credit to a bill (the credit is locked first). */
export async function allocateVendorCredit(tx: Tx, tenantId: string, actor: Actor, id: string, input: BillAllocateInput) {
  const row = await findRow(tx, id, true, 'vendor_credit')
  if (row.status !== 'open') throw new RuleError(`Vendor credit ${row.number ?? '(draft)'} is ${row.status}: only an issued vendor credit can be allocated`, 'ALLOCATION_SOURCE_NOT_OPEN')
  return allocateBillSource(tx, tenantId, actor, { kind: 'vendor_credit', row }, input)
}
