import type { z } from 'zod'
import type { SettingsResource, UpdateSettingsBody } from '../../server/contracts/settings'

/** The organisation's settings (`GET /api/v1/settings`), versioned: its ETag is `"<version>"`. */
export type OrganisationSettings = z.output<typeof SettingsResource>
/** The body of `PATCH /api/v1/settings`: any subset of the fields. */
export type SettingsInput = z.input<typeof UpdateSettingsBody>
