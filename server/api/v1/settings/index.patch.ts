import { settingsContracts } from '../../../contracts/settings'
import { updateSettings } from '../../../domain/settings/settings'
import { forgetTenant } from '../../../domain/tenancy/tenants'
import { defineApiHandler } from '../../../utils/api'
import { expectedVersion, setVersionTag } from '../../../utils/versioning'

export default defineApiHandler(settingsContracts.update, async (event, { body, tenant, actor, write }) => {
  const version = expectedVersion(event, body.version)
  const settings = await write((tx, unit) => {
    // The host's tenant lookup and the members' sessions are cached with the name in them.
    if (body.name !== undefined) unit.afterCommit(() => forgetTenant(tenant.id, tenant.slug))
    return updateSettings(tx, tenant.id, actor, { ...body, version })
  })
  setVersionTag(event, settings.version)
  return settings
})
