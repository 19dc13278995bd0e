import { z } from 'zod'
import { DATE_FORMATS, NEGATIVE_STYLES, NUMBER_FORMATS } from '../../shared/format/settings'
import { SETTINGS_FIELDS } from '../../shared/settings/fields'
import { defineContract, Timestamp, Uuid } from './define'

/** A field of the resource that PATCH cannot change: 400 READ_ONLY_FIELD, saying why, when sent. */
function readOnly(why: string) {
  return z.unknown().superRefine((_, ctx) => ctx.addIssue({ code: 'custom', message: why, params: { code: 'READ_ONLY_FIELD' } }))
    .meta({ readOnly: true, description: `Read-only: ${why}` })
}

/**
 * Any subset of the fields; `version` (or `If-Match`) makes the change conditional. The
 * resource's read-only fields are refused by name (400 READ_ONLY_FIELD), any other field not
 * listed as unknown (400 VALIDATION_FAILED).
 */
export const UpdateSettingsBody = z.object({
  ...SETTINGS_FIELDS,
  version: z.number().int().min(1),
  baseCurrency: readOnly('is fixed when the organisation is created, since the books are kept in it'),
  fiscalYearStartMonth: readOnly('is fixed when the organisation is created, since the fiscal years and periods follow it'),
  logoFileId: readOnly('changes with the logo: PUT or DELETE /api/v1/settings/logo'),
}).partial().strict().meta({ id: 'UpdateSettings' })

export const SettingsResource = z.object({
  name: z.string(), address: z.string().nullable(), taxNumber: z.string().nullable(), timeZone: z.string(),
  dateFormat: z.enum(DATE_FORMATS), numberFormat: z.enum(NUMBER_FORMATS), negativeStyle: z.enum(NEGATIVE_STYLES),
  logoFileId: Uuid.nullable().meta({ description: 'The logo printed on documents (GET /api/v1/settings/logo); null without one' }),
  baseCurrency: z.string().meta({ description: 'ISO 4217 code the books are kept in; fixed when the organisation is created' }),
  fiscalYearStartMonth: z.number().int().min(1).max(12).meta({ description: 'The month (1–12) fiscal years start with; fixed when the organisation is created' }),
  invoicePrefix: z.string(), defaultPaymentTermsDays: z.number().int(),
  dunningDays: z.array(z.number().int()).meta({ description: 'Days after the due date a payment reminder is e-mailed for an unpaid invoice, ascending; empty: no reminders' }),
  billApprovalThreshold: z.string().meta({ description: 'A submitted bill whose total in base currency is above this waits for approval by a second person (ap:approve); at or below it, it posts at once. Default "0.00": every bill waits' }),
  arControlAccountId: z.uuid().nullable().meta({ description: 'The AR control account: only sales documents post to it' }),
  apControlAccountId: z.uuid().nullable().meta({ description: 'The AP control account: only purchase documents post to it' }),
  version: z.number().int(), updatedAt: Timestamp,
}).meta({ id: 'Settings' })

/** `PUT /api/v1/settings/logo` takes the image as the body itself, or as the form field `file`. */
export const LOGO_UPLOAD_TYPES = ['image/png', 'image/jpeg', 'multipart/form-data'] as const

export const settingsContracts = {
  get: defineContract({ operationId: 'getSettings', method: 'get', path: '/api/v1/settings', tag: 'Settings', audience: 'tenant', summary: 'The organisation\'s settings (any member: pages and files format with them)', response: SettingsResource }),
  update: defineContract({ operationId: 'updateSettings', method: 'patch', path: '/api/v1/settings', tag: 'Settings', audience: 'tenant', permission: 'settings:manage', summary: 'Change the organisation\'s name, address, tax number, formats, invoice prefix, payment terms, reminder days, bill approval threshold or control accounts', body: UpdateSettingsBody, response: SettingsResource, errors: ['STALE_VERSION', 'CONTROL_ACCOUNT_INVALID', 'CONTROL_ACCOUNT_HAS_POSTINGS', 'CONTROL_ACCOUNT_HAS_BALANCE', 'READ_ONLY_FIELD'] }),
  getLogo: defineContract({ operationId: 'getSettingsLogo', method: 'get', path: '/api/v1/settings/logo', tag: 'Settings', audience: 'tenant', summary: 'The organisation\'s logo (any member), as the PNG or JPEG it was uploaded as; revalidate with If-None-Match', produces: ['image/png', 'image/jpeg'], alsoAnswers: { 304: 'Not modified: the logo is still the one the If-None-Match ETag names' }, errors: ['NOT_FOUND'] }),
  putLogo: defineContract({ operationId: 'updateSettingsLogo', method: 'put', path: '/api/v1/settings/logo', tag: 'Settings', audience: 'tenant', permission: 'settings:manage', summary: 'Upload the logo printed on documents, replacing any before it: a PNG or JPEG of at most 512 KiB, as the request body or the multipart field `file`', accepts: LOGO_UPLOAD_TYPES, response: SettingsResource, errors: ['VALIDATION_FAILED', 'LOGO_TOO_LARGE', 'LOGO_UNSUPPORTED_TYPE', 'LOGO_INVALID'] }),
  deleteLogo: defineContract({ operationId: 'deleteSettingsLogo', method: 'delete', path: '/api/v1/settings/logo', tag: 'Settings', audience: 'tenant', permission: 'settings:manage', summary: 'Remove the logo: documents are printed without one', response: SettingsResource, errors: ['NOT_FOUND'] }),
}
