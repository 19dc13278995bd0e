import { settingsContracts } from '../../../contracts/settings'
import { replaceLogo } from '../../../domain/settings/logo'
import { getSettings } from '../../../domain/settings/settings'
import { defineApiHandler } from '../../../utils/api'
import { readUploadedFile } from '../../../utils/upload'
import { setVersionTag } from '../../../utils/versioning'

export default defineApiHandler(settingsContracts.putLogo, async (event, { tenant, actor, write }) => {
  const bytes = await readUploadedFile(event, settingsContracts.putLogo.accepts, 'LOGO_UNSUPPORTED_TYPE')
  const settings = await write(async (tx) => {
    await replaceLogo(tx, tenant.id, actor, bytes)
    return getSettings(tx)
  })
  setVersionTag(event, settings.version)
  return settings
})
