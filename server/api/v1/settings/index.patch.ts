import { settingsContracts } from '../../../contracts/settings'
import { updateSettings } from '../../../domain/settings/settings'
import { forgetTenant } from '../../../domain/tenancy/tenants'
import { defineApiHandler } from '../../../utils/api'
import { actorOf, requirePermission } from '../../../utils/guards'
import { tenantWrite } from '../../../utils/tenant-write'
import { expectedVersion, setVersionTag } from '../../../utils/versioning'

export default defineApiHandler(settingsContracts.update, async (event, { body }) => {
  const { tenant } = requirePermission(event, 'settings:manage')
  const version = expectedVersion(event, body.version)
  const settings = await tenantWrite(event, tx => updateSettings(tx, tenant.id, actorOf(event), { ...body, version }))
  // The host's tenant lookup and the members' sessions are cached with the name in them.
  if (body.name !== undefined) await forgetTenant(tenant.id, tenant.slug)
  setVersionTag(event, settings.version)
  return settings
})
