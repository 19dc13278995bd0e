import { setResponseHeaders } from 'h3'
import { billContracts } from '../../../../../contracts/bills'
import { getAttachment } from '../../../../../domain/purchases/bills'
import { defineApiHandler } from '../../../../../utils/api'

export default defineApiHandler(billContracts.getBillAttachment, async (event, { params, read }) => {
  const file = await read(tx => getAttachment(tx, params.id, params.attachmentId))
  setResponseHeaders(event, {
    'content-type': file.mediaType,
    'content-length': file.bytes.length,
    // The stored name is cleaned of quotes and control characters; non-ASCII goes in filename*.
    'content-disposition': `attachment; filename="${file.fileName.replace(/[^\x20-\x7E]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    'x-content-type-options': 'nosniff',
  })
  return file.bytes
})
