import { billContracts } from '../../../../../contracts/bills'
import { addAttachment, attachmentTooLarge } from '../../../../../domain/purchases/bills'
import { defineApiHandler, uploadLimit } from '../../../../../utils/api'
import { readUpload } from '../../../../../utils/upload'

export default defineApiHandler(billContracts.createBillAttachment, async (event, { params, query, tenant, actor, write }) => {
  const file = await readUpload(event, billContracts.createBillAttachment.accepts!, 'ATTACHMENT_TYPE_INVALID', { limit: uploadLimit(event)!.bytes, tooLarge: attachmentTooLarge })
  return write(tx => addAttachment(tx, tenant.id, actor, params.id, { bytes: file.bytes, name: file.name ?? query.fileName }))
})
