import { bankContracts } from '../../../../../contracts/bank'
import { previewStatement } from '../../../../../domain/bank/imports'
import { DomainError } from '../../../../../domain/errors'
import { defineApiHandler, uploadLimit } from '../../../../../utils/api'
import { readFileBody } from '../../../../../utils/upload'

const contract = bankContracts.checkBankImport

export default defineApiHandler(contract, async (event, { params, body, tenant, read }) => {
  const limit = uploadLimit(event)!
  const input = await readFileBody(event, contract, body as typeof body | undefined, {
    limit: limit.bytes, tooLarge: () => new DomainError(413, limit.code, `The file is larger than ${limit.bytes} bytes`),
  })
  return read(tx => previewStatement(tx, tenant.id, params.id, input))
})
