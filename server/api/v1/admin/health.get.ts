import { operationsContracts } from '../../../contracts/operations'
import { systemHealth } from '../../../domain/platform/health'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(operationsContracts.health, async () => systemHealth())
