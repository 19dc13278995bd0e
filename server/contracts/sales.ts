/**
 * Sales (SPEC §5 module routes `tax-rates`, `customers`, `items`; §6 modules 5 and 9): the
 * contracts of server/domain/sales, shared by the routes, the pages' forms and the OpenAPI document.
 */
import { z } from 'zod'
import { Dec } from '../domain/money'
import { Amount, Currency } from './ledger'
import { defineContract, Email, IdParams, listQuery, listResponse, Ok, Timestamp, Uuid } from './define'

/** A percentage as a decimal string: 0 ≤ rate < 1000, at most 4 decimals (`"20"`, `"7.5"`, `"20.0000"`). */
export const Percent = z.string().regex(/^\d{1,3}(\.\d{1,4})?$/, 'must be a percentage from 0 to 999.9999 with at most 4 decimals, e.g. "20" or "7.5"')
export const Code = z.string().trim().regex(/^[\p{L}\p{N}][\p{L}\p{N} ._/+-]{0,29}$/u, 'must be 1–30 letters, digits, spaces or . _ / + -')
export const Name = z.string().trim().min(1, 'is required').max(120)
export const optionalText = (max: number) => z.string().trim().max(max).transform(s => s || null).nullable().optional()

export const TAX_SCOPES = ['sales', 'purchases', 'both'] as const
export const ITEM_KINDS = ['service', 'product'] as const

const TaxComponentBody = z.object({ name: Name, rate: Percent, accountId: Uuid.optional() }).strict().meta({ id: 'TaxRateInputComponent' })

/** The sum of the components' rates, exactly. */
export function componentsRate(components: readonly { rate: string }[]): string {
  return components.reduce((s, c) => s.plus(c.rate), new Dec(0)).toFixed(4)
}

/** A group's rate, when given, is the sum of its components'; a group's components carry the accounts. */
function checkGroup(body: { rate?: string, accountId?: string | null, components?: readonly { rate: string }[] }, ctx: z.RefinementCtx) {
  if (!body.components?.length) return
  if (body.rate !== undefined && !new Dec(body.rate).eq(componentsRate(body.components))) {
    ctx.addIssue({ code: 'custom', path: ['rate'], message: `must be the sum of the components' rates (${new Dec(componentsRate(body.components)).toString()}) or be left out` })
  }
  if (body.accountId) ctx.addIssue({ code: 'custom', path: ['accountId'], message: 'a group has no account of its own: give each component its accountId' })
}

const TaxRateFields = {
  code: Code,
  name: Name,
  rate: Percent,
  scope: z.enum(TAX_SCOPES),
  /** A simple rate's tax account (default: the tenant's first tax payable account). */
  accountId: Uuid.nullable().optional(),
  components: z.array(TaxComponentBody).max(10, 'at most 10 components').optional(),
  isActive: z.boolean().optional(),
}
export const CreateTaxRateBody = z.object({ ...TaxRateFields, rate: Percent.optional() }).strict().superRefine((body, ctx) => {
  if (!body.components?.length && body.rate === undefined) ctx.addIssue({ code: 'custom', path: ['rate'], message: 'is required (or give components)' })
  checkGroup(body, ctx)
}).meta({ id: 'CreateTaxRate' })
export const UpdateTaxRateBody = z.object({ ...TaxRateFields, version: z.number().int().min(1) }).partial().strict().superRefine(checkGroup).meta({ id: 'UpdateTaxRate' })

export const TaxRateResource = z.object({
  id: Uuid, code: z.string(), name: z.string(), rate: z.string(), scope: z.enum(TAX_SCOPES), accountId: Uuid.nullable(), isGroup: z.boolean(),
  components: z.array(z.object({ id: Uuid, name: z.string(), rate: z.string(), accountId: Uuid }).meta({ id: 'TaxRateComponent' })),
  isActive: z.boolean(), inUse: z.boolean().meta({ description: 'Named by an item or a document: cannot be deleted (make it inactive instead)' }),
  version: z.number().int(), createdAt: Timestamp, updatedAt: Timestamp,
}).meta({ id: 'TaxRate' })
export const TaxRateListQuery = listQuery(['code', 'name', 'rate', 'createdAt']).extend({
  scope: z.enum(['sales', 'purchases']).optional().meta({ description: 'Rates usable on that side (its own scope or `both`)' }),
  active: z.enum(['true', 'false']).transform(v => v === 'true').optional(),
})

const CustomerFields = {
  name: Name,
  email: Email.nullable().optional(),
  currency: Currency.nullable().optional(),
  paymentTermsDays: z.number().int().min(0, 'must be 0 or more days').max(3650, 'must be at most 3650 days').nullable().optional(),
  taxNumber: optionalText(50),
  billingAddress: optionalText(500),
  code: Code.nullable().optional(),
  isActive: z.boolean().optional(),
}
export const CreateCustomerBody = z.object(CustomerFields).strict().meta({ id: 'CreateCustomer' })
export const UpdateCustomerBody = z.object({ ...CustomerFields, version: z.number().int().min(1) }).partial().strict().meta({ id: 'UpdateCustomer' })
export const CustomerResource = z.object({
  id: Uuid, code: z.string().nullable(), name: z.string(), email: z.string().nullable(), currency: z.string().nullable(),
  paymentTermsDays: z.number().int().nullable(), taxNumber: z.string().nullable(), billingAddress: z.string().nullable(), isActive: z.boolean(),
  balance: z.string().meta({ description: 'Open invoice amounts − unallocated credits, in base currency, each document at its own rate (negative: the customer holds credit)' }),
  version: z.number().int(), createdAt: Timestamp, updatedAt: Timestamp,
}).meta({ id: 'Customer' })
export const CustomerListQuery = listQuery(['name', 'code', 'createdAt']).extend({
  active: z.enum(['true', 'false']).transform(v => v === 'true').optional(),
})

const ItemFields = {
  code: Code,
  name: Name,
  kind: z.enum(ITEM_KINDS),
  description: optionalText(500),
  salesPrice: Amount.nullable().optional(),
  purchasePrice: Amount.nullable().optional(),
  incomeAccountId: Uuid.nullable().optional(),
  expenseAccountId: Uuid.nullable().optional(),
  salesTaxRateId: Uuid.nullable().optional(),
  purchaseTaxRateId: Uuid.nullable().optional(),
  isActive: z.boolean().optional(),
}
export const CreateItemBody = z.object(ItemFields).strict().meta({ id: 'CreateItem' })
export const UpdateItemBody = z.object({ ...ItemFields, version: z.number().int().min(1) }).partial().strict().meta({ id: 'UpdateItem' })
export const ItemResource = z.object({
  id: Uuid, code: z.string(), name: z.string(), kind: z.enum(ITEM_KINDS), description: z.string().nullable(),
  salesPrice: z.string().nullable(), purchasePrice: z.string().nullable(),
  incomeAccountId: Uuid.nullable(), expenseAccountId: Uuid.nullable(), salesTaxRateId: Uuid.nullable(), purchaseTaxRateId: Uuid.nullable(),
  isActive: z.boolean(), version: z.number().int(), createdAt: Timestamp, updatedAt: Timestamp,
}).meta({ id: 'Item' })
export const ItemListQuery = listQuery(['code', 'name', 'createdAt']).extend({
  kind: z.enum(ITEM_KINDS).optional(),
  active: z.enum(['true', 'false']).transform(v => v === 'true').optional(),
})

const TAX_RATE_REFUSALS = ['TAX_ACCOUNT_INVALID', 'TAX_RATE_CODE_TAKEN', 'TAX_RATE_INVALID']
const ITEM_REFUSALS = ['ITEM_CODE_TAKEN', 'ITEM_ACCOUNT_INVALID', 'TAX_RATE_INVALID', 'TAX_RATE_INACTIVE']

export const salesContracts = {
  listTaxRates: defineContract({ operationId: 'listTaxRates', method: 'get', path: '/api/v1/tax-rates', tag: 'Sales', audience: 'tenant', permission: 'tax:read', summary: 'Tax rates and groups (filters: scope, active, q by code or name)', query: TaxRateListQuery, response: listResponse(TaxRateResource) }),
  createTaxRate: defineContract({ operationId: 'createTaxRate', method: 'post', path: '/api/v1/tax-rates', tag: 'Sales', audience: 'tenant', permission: 'tax:write', summary: 'Create a tax rate, or a group of components each with its own account', body: CreateTaxRateBody, response: TaxRateResource, successStatus: 201, idempotent: true, errors: TAX_RATE_REFUSALS }),
  getTaxRate: defineContract({ operationId: 'getTaxRate', method: 'get', path: '/api/v1/tax-rates/{id}', tag: 'Sales', audience: 'tenant', permission: 'tax:read', summary: 'One tax rate with its components', params: IdParams, response: TaxRateResource }),
  updateTaxRate: defineContract({ operationId: 'updateTaxRate', method: 'patch', path: '/api/v1/tax-rates/{id}', tag: 'Sales', audience: 'tenant', permission: 'tax:write', summary: 'Rename, recode, deactivate or change a tax rate (components given replace them all)', params: IdParams, body: UpdateTaxRateBody, response: TaxRateResource, errors: [...TAX_RATE_REFUSALS, 'STALE_VERSION'] }),
  deleteTaxRate: defineContract({ operationId: 'deleteTaxRate', method: 'delete', path: '/api/v1/tax-rates/{id}', tag: 'Sales', audience: 'tenant', permission: 'tax:write', summary: 'Delete a tax rate nothing uses (one in use is made inactive instead)', params: IdParams, response: Ok, errors: ['TAX_RATE_IN_USE'] }),
  listCustomers: defineContract({ operationId: 'listCustomers', method: 'get', path: '/api/v1/customers', tag: 'Sales', audience: 'tenant', permission: 'ar:read', summary: 'Customers (q searches name, e-mail and code; filter: active)', query: CustomerListQuery, response: listResponse(CustomerResource) }),
  createCustomer: defineContract({ operationId: 'createCustomer', method: 'post', path: '/api/v1/customers', tag: 'Sales', audience: 'tenant', permission: 'ar:write', summary: 'Create a customer', body: CreateCustomerBody, response: CustomerResource, successStatus: 201, idempotent: true, errors: ['CUSTOMER_CODE_TAKEN'] }),
  getCustomer: defineContract({ operationId: 'getCustomer', method: 'get', path: '/api/v1/customers/{id}', tag: 'Sales', audience: 'tenant', permission: 'ar:read', summary: 'One customer with its balance', params: IdParams, response: CustomerResource }),
  updateCustomer: defineContract({ operationId: 'updateCustomer', method: 'patch', path: '/api/v1/customers/{id}', tag: 'Sales', audience: 'tenant', permission: 'ar:write', summary: 'Change a customer', params: IdParams, body: UpdateCustomerBody, response: CustomerResource, errors: ['CUSTOMER_CODE_TAKEN', 'STALE_VERSION'] }),
  listItems: defineContract({ operationId: 'listItems', method: 'get', path: '/api/v1/items', tag: 'Sales', audience: 'tenant', permission: 'ar:read', summary: 'Items (q searches code and name; filters: kind, active)', query: ItemListQuery, response: listResponse(ItemResource) }),
  createItem: defineContract({ operationId: 'createItem', method: 'post', path: '/api/v1/items', tag: 'Sales', audience: 'tenant', permission: 'ar:write', summary: 'Create an item (a product or service with its prices, accounts and tax rates)', body: CreateItemBody, response: ItemResource, successStatus: 201, idempotent: true, errors: ITEM_REFUSALS }),
  getItem: defineContract({ operationId: 'getItem', method: 'get', path: '/api/v1/items/{id}', tag: 'Sales', audience: 'tenant', permission: 'ar:read', summary: 'One item', params: IdParams, response: ItemResource }),
  updateItem: defineContract({ operationId: 'updateItem', method: 'patch', path: '/api/v1/items/{id}', tag: 'Sales', audience: 'tenant', permission: 'ar:write', summary: 'Change an item', params: IdParams, body: UpdateItemBody, response: ItemResource, errors: [...ITEM_REFUSALS, 'STALE_VERSION'] }),
}
