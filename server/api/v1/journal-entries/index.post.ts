import { ledgerContracts } from '../../../contracts/ledger'
import { createEntry } from '../../../domain/ledger/entries'
import { defineApiHandler } from '../../../utils/api'

/** `post: true` also needs `ledger:post`: the contract says so (alsoRequires), defineApiHandler checks it. */
export default defineApiHandler(ledgerContracts.createEntry, async (_event, { body, tenant, actor, write }) =>
  write(tx => createEntry(tx, tenant.id, actor, body)))
