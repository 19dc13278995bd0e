import type { z } from 'zod'
import type {
  AccountResource,
  CreateAccountBody,
  CreateEntryBody,
  EntryResource,
  EntrySource as EntrySourceSchema,
  ledgerContracts,
  PeriodResource,
  RateResource,
} from '../../server/contracts/ledger'

/*
 * The ledger's wire types, read from the zod contracts the routes validate with: a field the API
 * adds or renames reaches the pages' types without a copy to keep in step.
 */

/** An account of the chart (`GET /api/v1/accounts`); `balance` is signed by its normal side, in base currency. */
export type LedgerAccount = z.output<typeof AccountResource>
/** The body of `POST /api/v1/accounts` (and, partial, of the PATCH). */
export type AccountInput = z.input<typeof CreateAccountBody>

export type JournalEntry = z.output<typeof EntryResource>
export type JournalLine = JournalEntry['lines'][number]
export type EntryStatus = JournalEntry['status']
/** The document an entry came from (null: a manual entry); see server/domain/ledger/sources.ts. */
export type EntrySource = z.output<typeof EntrySourceSchema>
export type EntrySourceType = EntrySource['type']
/** A row of `GET /api/v1/journal-entries`. */
export type JournalEntrySummary = z.output<typeof ledgerContracts.listEntries.response>['data'][number]

/** The body of `POST /api/v1/journal-entries` (the editor always sends account ids). */
export type EntryInput = Omit<z.input<typeof CreateEntryBody>, 'post' | 'lines'> & { lines: EntryLineInput[] }
export type EntryLineInput = Omit<z.input<typeof CreateEntryBody>['lines'][number], 'accountCode'> & { accountId: string }

export type FiscalPeriod = z.output<typeof PeriodResource>
export type ExchangeRate = z.output<typeof RateResource>
