/**
 * The fiscal calendar (server/domain/ledger/calendar.ts) without a database: every start month,
 * leap years (2000 is one, 1900 and 2100 are not), the accounting range's ends (1900–2999), and
 * that twelve periods tile the year with no gap or overlap.
 */
import { describe, expect, it } from 'vitest'
import { fiscalYearStart, isoDate, periodsOf } from '../../server/domain/ledger/calendar'

const next = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
const days = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1

describe('fiscal years', () => {
  it('starts a calendar year on 1 January and an April year on 1 April of the right year', () => {
    expect(fiscalYearStart('2026-01-01', 1)).toBe('2026-01-01')
    expect(fiscalYearStart('2026-12-31', 1)).toBe('2026-01-01')
    expect(fiscalYearStart('2026-03-31', 4)).toBe('2025-04-01')
    expect(fiscalYearStart('2026-04-01', 4)).toBe('2026-04-01')
    expect(fiscalYearStart('1900-01-01', 1)).toBe('1900-01-01')
    expect(fiscalYearStart('2999-12-31', 7)).toBe('2999-07-01')
  })

  it('contains the date, for every start month and a date in every month of several years', () => {
    for (const year of [1900, 1999, 2000, 2024, 2025, 2100, 2998]) {
      for (let month = 1; month <= 12; month++) {
        for (const day of [1, 15, 28]) {
          const date = isoDate(year, month, day)
          for (let start = 1; start <= 12; start++) {
            const ys = fiscalYearStart(date, start)
            const periods = periodsOf(Number(ys.slice(0, 4)), start)
            expect(ys <= date && date <= periods.at(-1)!.end, `${date} start ${start}`).toBe(true)
          }
        }
      }
    }
  })
})

describe('periods', () => {
  it('tile the fiscal year: twelve months, each the day after the last, 365 or 366 days in all', () => {
    for (const year of [1900, 2000, 2023, 2024, 2100]) {
      for (let start = 1; start <= 12; start++) {
        const periods = periodsOf(year, start)
        expect(periods).toHaveLength(12)
        expect(periods[0]!.start).toBe(isoDate(year, start, 1))
        for (let i = 1; i < 12; i++) expect(periods[i]!.start).toBe(next(periods[i - 1]!.end))
        const total = periods.reduce((n, p) => n + days(p.start, p.end), 0)
        expect([365, 366]).toContain(total)
        expect(next(periods[11]!.end)).toBe(isoDate(year + 1, start, 1))
      }
    }
  })

  it('give February 29 days in leap years only (2000, 2024; not 1900, 2100)', () => {
    const february = (year: number) => periodsOf(year, 1)[1]!.end
    expect([february(2000), february(2024), february(1900), february(2100), february(2023)])
      .toEqual(['2000-02-29', '2024-02-29', '1900-02-28', '2100-02-28', '2023-02-28'])
    expect(periodsOf(2023, 3).find(p => p.start === '2024-02-01')!.end).toBe('2024-02-29')
  })
})
