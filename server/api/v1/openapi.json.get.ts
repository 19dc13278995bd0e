import { systemContracts } from '../../contracts/system'
import { openApiDocument } from '../../domain/openapi'
import { defineApiHandler } from '../../utils/api'

export default defineApiHandler(systemContracts.openapi, async () => openApiDocument())
