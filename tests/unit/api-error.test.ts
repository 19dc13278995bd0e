/**
 * The pages' error wording (composables/useApiError.ts): a sentence for every code the server
 * answers with, the server's own words only where they carry the particulars, zod's default
 * phrases reworded, and the amount limits the browser checks in the server's words.
 */
import { computed, ref } from 'vue'
import { describe, expect, it } from 'vitest'
import * as ledgerMoney from '../../composables/useLedgerMoney'
import { CODE_MESSAGES, fieldName, plainFieldMessage, toApiError } from '../../composables/useApiError'
import { Amount } from '../../server/contracts/ledger'
import { ERROR_STATUS } from '../../server/domain/errors'
import { AMOUNT_MESSAGES, amountProblem, decimalsMessage } from '../../server/domain/amount-rules'
import { decimalsError } from '../../server/domain/ledger/posting-maths'

// The entry editor's composable as Nuxt runs it: Vue's and the money helpers' auto-imports.
Object.assign(globalThis, { ref, computed, ...ledgerMoney })
const { useEntryLines } = await import('../../composables/ledger/useEntryLines')

const problem = (statusCode: number, code: string, statusMessage = 'terse server text') => ({ data: { statusCode, statusMessage, data: { code } } })

describe('a message for every error code', () => {
  it('covers every code in ERROR_STATUS', () => {
    const missing = Object.keys(ERROR_STATUS).filter(code => !CODE_MESSAGES[code])
    expect(missing).toEqual([])
  })

  it('writes each one as a sentence, without codes or schema words', () => {
    for (const [code, text] of Object.entries(CODE_MESSAGES)) {
      expect(text, code).toMatch(/^[A-Z].*[.!]$/)
      expect(text, code).not.toMatch(/[A-Z]{2,}_[A-Z]|zod|schema|regex|undefined/i)
    }
  })

  it('shows the page\'s sentence, not the server\'s terse one', () => {
    expect(toApiError(problem(409, 'STALE_VERSION', 'Stale version')).message).toBe(CODE_MESSAGES.STALE_VERSION)
    expect(toApiError(problem(400, 'VALIDATION_FAILED', 'Invalid body')).message).toBe('Some fields need attention.')
  })

  it('keeps the server\'s particulars where it names them, and falls back to the sentence', () => {
    const detailed = 'Close periods 1, 2 first; the year-end close posts into and then closes the last period'
    expect(toApiError(problem(422, 'FISCAL_YEAR_PERIODS_OPEN', detailed)).message).toBe(detailed)
    expect(toApiError(problem(422, 'FISCAL_YEAR_PERIODS_OPEN', '')).message).toBe(CODE_MESSAGES.FISCAL_YEAR_PERIODS_OPEN)
  })
})

describe('field messages in plain words', () => {
  it.each([
    ['Invalid input: expected string, received undefined', 'is required'],
    ['Too small: expected string to have >=1 characters', 'is required'],
    ['Too big: expected string to have <=120 characters', 'can be at most 120 characters'],
    ['Too big: expected array to have <=20 items', 'takes at most 20'],
    ['Too small: expected number to be >=1', 'must be at least 1'],
    ['Invalid option: expected one of "csv"|"xlsx"|"pdf"', 'is not one of the choices'],
    ['Invalid email address', 'is not a valid e-mail address'],
    ['Invalid string: must match pattern /^[a-z]+$/', 'is not in the expected form'],
    ['Invalid input: expected number, received string', 'is not valid'],
    ['Invalid UUID', 'is not valid'],
    // A contract's own phrase stays.
    ['is already used', 'is already used'],
  ])('%s → %s', (zod, plain) => {
    expect(plainFieldMessage(zod)).toBe(plain)
  })

  it('names a field path in words', () => {
    expect(fieldName('lines.0.debit')).toBe('Line 1 debit')
    expect(fieldName('owner.email')).toBe('Owner email')
    expect(fieldName('exchangeRate')).toBe('Exchange rate')
  })
})

describe('amount limits, the same in the browser and the API', () => {
  it.each([
    ['1234.50', undefined],
    ['999999999999999.9999', undefined],
    ['1000000000000000', AMOUNT_MESSAGES.tooManyDigits],
    ['1.12345', AMOUNT_MESSAGES.tooManyDecimals],
    ['-5', AMOUNT_MESSAGES.notAnAmount],
    ['1e5', AMOUNT_MESSAGES.notAnAmount],
  ])('%s', (value, expected) => {
    expect(amountProblem(value)).toBe(expected)
    const parsed = Amount.safeParse(value)
    expect(parsed.success).toBe(expected === undefined)
    if (!parsed.success) expect(parsed.error.issues[0]!.message).toBe(expected)
  })

  it('says the 15-digit limit as the issue asks', () => {
    expect(AMOUNT_MESSAGES.tooManyDigits).toBe('Amounts can have at most 15 digits before the decimal point')
    expect(AMOUNT_MESSAGES.tooManyDecimals).toBe('Amounts can have at most 4 decimal places')
  })

  it('names the currency in the decimals message, in the API\'s words and the entry editor\'s alike', () => {
    expect(decimalsMessage(2, 'EUR')).toBe('EUR amounts can have at most 2 decimal places')
    expect(decimalsMessage(0, 'JPY')).toBe('JPY amounts can have no decimal places')
    expect(decimalsMessage(3, 'BHD')).toBe('BHD amounts can have at most 3 decimal places')
    expect(decimalsMessage(1, 'XXX')).toBe('XXX amounts can have at most 1 decimal place')
    // The server's refusal of an entry (TOO_MANY_DECIMALS) carries the same sentence per field.
    const refused = decimalsError([{ debit: '10.005' }, { credit: '10.005' }], 'EUR')
    expect(refused).toMatchObject({ status: 400, code: 'TOO_MANY_DECIMALS', message: 'EUR amounts can have at most 2 decimal places' })
    expect(refused!.fields).toEqual({ 'lines.0.debit': 'EUR amounts can have at most 2 decimal places', 'lines.1.credit': 'EUR amounts can have at most 2 decimal places' })
    // The entry editor's check of a line, before the server sees it.
    const { lines, lineProblems } = useEntryLines(ref('JPY'), ref(0))
    lines.value[0]!.debit = '1500.5'
    expect(lineProblems(lines.value[0]!)).toEqual({ debit: 'JPY amounts can have no decimal places' })
    lines.value[0]!.debit = '1500'
    expect(lineProblems(lines.value[0]!)).toEqual({})
  })
})
