import { z } from 'zod'
import { canonicalTimeZone, DATE_FORMATS, NEGATIVE_STYLES, NUMBER_FORMATS } from '../../shared/format/settings'
import { defineContract, Timestamp } from './define'

/** An IANA time zone, stored in its canonical spelling (`europe/berlin` → `Europe/Berlin`). */
export const TimeZone = z.string().max(64).transform((zone, ctx) => {
  const canonical = canonicalTimeZone(zone)
  if (!canonical) ctx.addIssue({ code: 'custom', message: 'must be an IANA time zone such as Europe/Berlin or UTC' })
  return canonical ?? zone
})

const SettingsFields = {
  name: z.string().trim().min(1, 'is required').max(120),
  address: z.string().trim().max(500).nullable(),
  taxNumber: z.string().trim().max(50).nullable(),
  timeZone: TimeZone,
  dateFormat: z.enum(DATE_FORMATS),
  numberFormat: z.enum(NUMBER_FORMATS),
  negativeStyle: z.enum(NEGATIVE_STYLES),
}

/** Any subset of the fields; `version` (or `If-Match`) makes the change conditional. */
export const UpdateSettingsBody = z.object({ ...SettingsFields, version: z.number().int().min(1) }).partial().strict().meta({ id: 'UpdateSettings' })

export const SettingsResource = z.object({
  name: z.string(), address: z.string().nullable(), taxNumber: z.string().nullable(), timeZone: z.string(),
  dateFormat: z.enum(DATE_FORMATS), numberFormat: z.enum(NUMBER_FORMATS), negativeStyle: z.enum(NEGATIVE_STYLES),
  version: z.number().int(), updatedAt: Timestamp,
}).meta({ id: 'Settings' })

export const settingsContracts = {
  get: defineContract({ operationId: 'getSettings', method: 'get', path: '/api/v1/settings', tag: 'Settings', audience: 'tenant', summary: 'The organisation\'s settings (any member: pages and files format with them)', response: SettingsResource }),
  update: defineContract({ operationId: 'updateSettings', method: 'patch', path: '/api/v1/settings', tag: 'Settings', audience: 'tenant', permission: 'settings:manage', summary: 'Change the organisation\'s name, address, tax number, time zone or date and number formats', body: UpdateSettingsBody, response: SettingsResource, errors: ['STALE_VERSION'] }),
}
