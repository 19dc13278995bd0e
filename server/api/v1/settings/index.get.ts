import { withTenant } from '../../../../db/tenant'
import { settingsContracts } from '../../../contracts/settings'
import { getSettings } from '../../../domain/settings/settings'
import { defineApiHandler } from '../../../utils/api'
import { requireUser } from '../../../utils/guards'
import { setVersionTag } from '../../../utils/versioning'

export default defineApiHandler(settingsContracts.get, async (event) => {
  const { tenant } = requireUser(event)
  const settings = await withTenant(tenant.id, getSettings)
  setVersionTag(event, settings.version)
  return settings
})
