import { settingsContracts } from '../../../contracts/settings'
import { updateSettings } from '../../../domain/settings/settings'
import { forgetTenant } from '../../../domain/tenancy/tenants'
import { defineApiHandler } from '../../../utils/api'
import { expectedVersion, setVersionTag } from '../../../utils/versioning'

export default defineApiHandler(settingsContracts.update, async (event, { body, tenant, actor, write }) => {
  const version = expectedVersion(event, body.version)
  const settings = await write(async (tx, unit) => {
    const updated = await updateSettings(tx, tenant.id, actor, { ...body, version })
    // The host's tenant lookup and the members' sessions are cached with the name in them.
    if (body.name !== undefined) await forgetTenant(tx, unit, tenant.id, tenant.slug)
    return updated
  })
  setVersionTag(event, settings.version)
  return settings
})
