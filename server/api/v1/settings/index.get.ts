import { settingsContracts } from '../../../contracts/settings'
import { getSettings } from '../../../domain/settings/settings'
import { defineApiHandler } from '../../../utils/api'
import { setVersionTag } from '../../../utils/versioning'

export default defineApiHandler(settingsContracts.get, async (event, { read }) => {
  const settings = await read(getSettings)
  setVersionTag(event, settings.version)
  return settings
})
