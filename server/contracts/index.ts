import { authContracts } from './auth'
import { closingContracts } from './closing'
import type { Contract } from './define'
import { ledgerContracts } from './ledger'
import { reportContracts } from './reports'
import { systemContracts } from './system'
import { tenantContracts } from './tenants'
import { userContracts } from './users'

/** Every route's contract; the OpenAPI document is generated from this list. */
export const contracts: Contract[] = [
  ...Object.values(systemContracts),
  ...Object.values(authContracts),
  ...Object.values(userContracts),
  ...Object.values(tenantContracts),
  ...Object.values(ledgerContracts),
  ...Object.values(reportContracts),
  ...Object.values(closingContracts),
]
