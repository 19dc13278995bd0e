import type { H3Event } from 'h3'
import { withTenant } from '../../db/tenant'
import type { RenderOptions } from '../domain/reports/export'
import { documentOptions } from '../domain/settings/settings'
import { requireUser } from './guards'

/** What a report file downloaded by a member says about its making (organisation, formats, who, when). */
export function reportDocumentOptions(event: H3Event): Promise<RenderOptions> {
  const { tenant, user } = requireUser(event)
  return withTenant(tenant.id, tx => documentOptions(tx, user.id))
}
