import { setResponseHeaders } from 'h3'
import { paymentRunContracts } from '../../../../contracts/payment-runs'
import { downloadPaymentRunFile } from '../../../../domain/purchases/payment-runs'
import { defineApiHandler } from '../../../../utils/api'

/** The stored bytes (what approval made), audited in the same transaction as it is read. */
export default defineApiHandler(paymentRunContracts.getPaymentRunFile, async (event, { params, query, tenant, actor, write }) => {
  const file = await write(tx => downloadPaymentRunFile(tx, tenant.id, actor, params.id, query.format))
  setResponseHeaders(event, {
    'content-type': `${file.mediaType}; charset=utf-8`,
    'content-length': file.bytes.length,
    'content-disposition': `attachment; filename="${file.fileName}"`,
    'x-content-type-options': 'nosniff',
    'x-content-sha256': file.sha256,
    'cache-control': 'no-store',
  })
  return file.bytes
})
