import { z } from 'zod'
import { DATE_FORMATS, NEGATIVE_STYLES, NUMBER_FORMATS } from '../../shared/format/settings'
import { SETTINGS_FIELDS } from '../../shared/settings/fields'
import { defineContract, Timestamp } from './define'

/** Any subset of the fields; `version` (or `If-Match`) makes the change conditional. */
export const UpdateSettingsBody = z.object({ ...SETTINGS_FIELDS, version: z.number().int().min(1) }).partial().strict().meta({ id: 'UpdateSettings' })

export const SettingsResource = z.object({
  name: z.string(), address: z.string().nullable(), taxNumber: z.string().nullable(), timeZone: z.string(),
  dateFormat: z.enum(DATE_FORMATS), numberFormat: z.enum(NUMBER_FORMATS), negativeStyle: z.enum(NEGATIVE_STYLES),
  invoicePrefix: z.string(), defaultPaymentTermsDays: z.number().int(),
  arControlAccountId: z.uuid().nullable().meta({ description: 'The AR control account: only sales documents post to it' }),
  apControlAccountId: z.uuid().nullable().meta({ description: 'The AP control account: only purchase documents post to it' }),
  version: z.number().int(), updatedAt: Timestamp,
}).meta({ id: 'Settings' })

export const settingsContracts = {
  get: defineContract({ operationId: 'getSettings', method: 'get', path: '/api/v1/settings', tag: 'Settings', audience: 'tenant', summary: 'The organisation\'s settings (any member: pages and files format with them)', response: SettingsResource }),
  update: defineContract({ operationId: 'updateSettings', method: 'patch', path: '/api/v1/settings', tag: 'Settings', audience: 'tenant', permission: 'settings:manage', summary: 'Change the organisation\'s name, address, tax number, formats, invoice prefix, payment terms or control accounts', body: UpdateSettingsBody, response: SettingsResource, errors: ['STALE_VERSION', 'CONTROL_ACCOUNT_INVALID', 'CONTROL_ACCOUNT_HAS_POSTINGS', 'CONTROL_ACCOUNT_HAS_BALANCE'] }),
}
