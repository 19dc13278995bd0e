import { setResponseHeaders } from 'h3'
import { settingsContracts } from '../../../contracts/settings'
import { NotFoundError } from '../../../domain/errors'
import { findLogo } from '../../../domain/settings/logo'
import { defineApiHandler } from '../../../utils/api'
import { notModified } from '../../../utils/upload'

export default defineApiHandler(settingsContracts.getLogo, async (event, { read }) => {
  const logo = await read(findLogo)
  if (!logo) throw new NotFoundError('Logo')
  // The digest is the ETag: the page asks again on every view and gets 304 until the logo changes.
  if (notModified(event, `"${logo.sha256}"`)) return null
  setResponseHeaders(event, {
    'content-type': logo.mediaType,
    'content-length': logo.bytes.length,
    'content-disposition': `attachment; filename="logo.${logo.mediaType === 'image/png' ? 'png' : 'jpg'}"`,
  })
  return logo.bytes
})
