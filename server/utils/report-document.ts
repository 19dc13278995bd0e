import type { H3Event } from 'h3'
import { withTenant } from '../../db/tenant'
import type { RenderOptions } from '../domain/reports/export'
import { getFormatSettings } from '../domain/settings/settings'
import { requireUser } from './guards'

/**
 * What a report file downloaded by a member says about its making: the organisation's name and
 * formatting settings, and the member it is prepared for, now.
 */
export async function reportDocumentOptions(event: H3Event): Promise<RenderOptions> {
  const { tenant, user } = requireUser(event)
  const { name, ...settings } = await withTenant(tenant.id, getFormatSettings)
  return { organisation: name, settings, preparedBy: user.name, preparedAt: new Date() }
}
