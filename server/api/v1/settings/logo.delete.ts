import { settingsContracts } from '../../../contracts/settings'
import { removeLogo } from '../../../domain/settings/logo'
import { getSettings } from '../../../domain/settings/settings'
import { defineApiHandler } from '../../../utils/api'
import { setVersionTag } from '../../../utils/versioning'

export default defineApiHandler(settingsContracts.deleteLogo, async (event, { tenant, actor, write }) => {
  const settings = await write(async (tx) => {
    await removeLogo(tx, tenant.id, actor)
    return getSettings(tx)
  })
  setVersionTag(event, settings.version)
  return settings
})
