import { systemContracts } from '../../contracts/system'
import { openApiDocument } from '../../contracts/openapi/document'
import { defineApiHandler } from '../../utils/api'

export default defineApiHandler(systemContracts.openapi, async () => openApiDocument())
