/**
 * Vendors (SPEC §5 module routes `vendors`, §6 module 6; issue 13 point 1): the contracts of
 * server/domain/purchases/vendors.ts, shared by the routes, the vendor form and the OpenAPI
 * document. A bank account goes in whole and comes out masked; only
 * `GET /api/v1/vendors/{id}/bank-account` (`ap:pay`, audited) answers the full numbers.
 */
import { z } from 'zod'
import { BANK_ACCOUNT_MESSAGES, isValidAccountNumber, isValidBic, isValidIban, normaliseAccountNumber } from '../../shared/purchases/bank-account'
import { Currency } from './ledger'
import { defineContract, Email, IdParams, listQuery, listResponse, Phone, Timestamp, Uuid } from './define'
import { Code, Name, optionalText } from './sales'

// The checks are shared/purchases/bank-account.ts's, which the vendor form runs too (a page cannot
// value-import this file: the pages' server bundle fails to resolve shared/ reached through a contract).
const Iban = z.string().trim().max(42).refine(isValidIban, BANK_ACCOUNT_MESSAGES.iban).transform(normaliseAccountNumber)
const AccountNumber = z.string().trim().refine(isValidAccountNumber, BANK_ACCOUNT_MESSAGES.accountNumber).transform(normaliseAccountNumber)
const Bic = z.string().trim().refine(isValidBic, BANK_ACCOUNT_MESSAGES.bic).transform(s => s.toUpperCase())

/** A bank account as typed: an IBAN or an account number (or both), optionally the bank's BIC and name. */
export const BankAccountBody = z.object({
  iban: Iban.nullable().optional(),
  accountNumber: AccountNumber.nullable().optional(),
  bic: Bic.nullable().optional(),
  bankName: optionalText(120),
}).strict().superRefine((b, ctx) => {
  if (!b.iban && !b.accountNumber) ctx.addIssue({ code: 'custom', path: ['iban'], message: BANK_ACCOUNT_MESSAGES.missing })
}).meta({ id: 'BankAccountInput' })

const VendorFields = {
  name: Name,
  email: Email.nullable().optional(),
  phone: Phone.nullable().optional(),
  currency: Currency.nullable().optional(),
  paymentTermsDays: z.number().int().min(0, 'must be 0 or more days').max(3650, 'must be at most 3650 days').nullable().optional(),
  taxNumber: optionalText(50),
  address: optionalText(500),
  code: Code.nullable().optional(),
  isActive: z.boolean().optional(),
  /** A new account (or null to remove it): waits as `pendingBankAccount` until a second person confirms it. */
  bankAccount: BankAccountBody.nullable().optional(),
}
export const CreateVendorBody = z.object(VendorFields).strict().meta({ id: 'CreateVendor' })
export const UpdateVendorBody = z.object({ ...VendorFields, version: z.number().int().min(1) }).partial().strict().meta({ id: 'UpdateVendor' })

export const MaskedBankAccount = z.object({
  iban: z.string().nullable().meta({ description: 'e.g. `DE89 **** **** 3000`' }),
  accountNumber: z.string().nullable(),
  bic: z.string().nullable(),
  bankName: z.string().nullable(),
}).meta({ id: 'MaskedBankAccount' })

export const VendorBankChangeResource = z.object({
  id: Uuid,
  bankAccount: MaskedBankAccount.nullable().meta({ description: 'The account asked for (masked); null: the request removes the account' }),
  requestedBy: Uuid,
  requestedAt: Timestamp,
}).meta({ id: 'VendorBankChange' })

export const VendorResource = z.object({
  id: Uuid, code: z.string().nullable(), name: z.string(), email: z.string().nullable(), phone: z.string().nullable(), currency: z.string().nullable(),
  paymentTermsDays: z.number().int().nullable(), taxNumber: z.string().nullable(), address: z.string().nullable(), isActive: z.boolean(),
  bankAccount: MaskedBankAccount.nullable().meta({ description: 'The confirmed account payments go to, masked' }),
  bankAccountConfirmedBy: Uuid.nullable(),
  bankAccountConfirmedAt: Timestamp.nullable(),
  pendingBankAccount: VendorBankChangeResource.nullable().meta({ description: 'A change waiting for a second person with `ap:approve`' }),
  duplicateBankAccountVendorIds: z.array(Uuid).meta({ description: 'Other vendors whose confirmed account is the same as this vendor\'s confirmed or pending one (found by keyed hash)' }),
  version: z.number().int(), createdAt: Timestamp, updatedAt: Timestamp,
}).meta({ id: 'Vendor' })

export const VendorListQuery = listQuery(['name', 'code', 'createdAt']).extend({
  active: z.enum(['true', 'false']).transform(v => v === 'true').optional(),
})

export const ConfirmBankChangeBody = z.object({
  changeId: Uuid.optional().meta({ description: 'The change the confirmer saw; another (newer) pending change is 409 `VENDOR_BANK_CHANGE_NOT_PENDING`' }),
}).strict().meta({ id: 'ConfirmVendorBankChange' })

const FullBankAccount = z.object({ iban: z.string().nullable(), accountNumber: z.string().nullable(), bic: z.string().nullable(), bankName: z.string().nullable() }).meta({ id: 'BankAccount' })
export const RevealedBankAccountResource = z.object({
  vendorId: Uuid,
  bankAccount: FullBankAccount.nullable().meta({ description: 'The confirmed account, in full' }),
  pendingBankAccount: FullBankAccount.nullable().meta({ description: 'The account a pending change asks for, in full' }),
}).meta({ id: 'RevealedBankAccount' })

const tag = 'Purchases'

export const vendorContracts = {
  listVendors: defineContract({ operationId: 'listVendors', method: 'get', path: '/api/v1/vendors', tag, audience: 'tenant', permission: 'ap:read', summary: 'Vendors (q searches name, e-mail and code; filter: active); bank accounts masked', query: VendorListQuery, response: listResponse(VendorResource) }),
  createVendor: defineContract({ operationId: 'createVendor', method: 'post', path: '/api/v1/vendors', tag, audience: 'tenant', permission: 'ap:write', summary: 'Create a vendor; a bank account given waits for a second person\'s confirmation', body: CreateVendorBody, response: VendorResource, successStatus: 201, idempotent: true, errors: ['VENDOR_CODE_TAKEN'] }),
  getVendor: defineContract({ operationId: 'getVendor', method: 'get', path: '/api/v1/vendors/{id}', tag, audience: 'tenant', permission: 'ap:read', summary: 'One vendor, its bank account masked', params: IdParams, response: VendorResource }),
  updateVendor: defineContract({ operationId: 'updateVendor', method: 'patch', path: '/api/v1/vendors/{id}', tag, audience: 'tenant', permission: 'ap:write', summary: 'Change a vendor; a new bank account waits for a second person\'s confirmation (replacing any change still waiting)', params: IdParams, body: UpdateVendorBody, response: VendorResource, errors: ['VENDOR_CODE_TAKEN', 'STALE_VERSION'] }),
  confirmVendorBankAccount: defineContract({ operationId: 'confirmVendorBankAccount', method: 'post', path: '/api/v1/vendors/{id}/bank-account/confirm', tag, audience: 'tenant', permission: 'ap:approve', summary: 'Confirm the pending bank detail change (not by its requester); the vendor is e-mailed about it', params: IdParams, body: ConfirmBankChangeBody, response: VendorResource, idempotent: true, errors: ['VENDOR_BANK_CHANGE_NOT_PENDING', 'SOD_SELF_APPROVAL'] }),
  getVendorBankAccount: defineContract({ operationId: 'getVendorBankAccount', method: 'get', path: '/api/v1/vendors/{id}/bank-account', tag, audience: 'tenant', permission: 'ap:pay', summary: 'The vendor\'s bank account in full (confirmed and pending); every call is audited', params: IdParams, response: RevealedBankAccountResource }),
}
