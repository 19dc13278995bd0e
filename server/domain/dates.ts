/**
 * Accounting dates, shared by the route contracts, the domain (report parameters checked for
 * exports and schedules) and the forms: no database or framework imports.
 */
import { z } from 'zod'

/**
 * Accounting dates live in 1900-01-01..2999-12-31: wide enough for any book, narrow enough that
 * fiscal years, periods and report ranges built from a date stay within what PostgreSQL and the
 * period tables hold (year 0000 or 9999 is a typing error, not a business date).
 */
export const ACCOUNTING_DATE_RANGE = { min: '1900-01-01', max: '2999-12-31' } as const
/** A calendar date `YYYY-MM-DD` that exists, within ACCOUNTING_DATE_RANGE. */
export const AccountingDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine(s => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'is not a calendar date')
  .refine(s => s >= ACCOUNTING_DATE_RANGE.min && s <= ACCOUNTING_DATE_RANGE.max, `must be between ${ACCOUNTING_DATE_RANGE.min} and ${ACCOUNTING_DATE_RANGE.max}`)
