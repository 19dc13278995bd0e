/**
 * Recurring-invoice dates (shared/schedules/recurrence.ts): months counted from the start date and
 * clipped to the month's end, weeks by seven days, the end date, and a property: the occurrences
 * found by stepping one after another are exactly occurrence(0), occurrence(1), … .
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { addMonthsClipped, occurrence, occurrenceFrom, occurrencesThrough, type Recurrence } from '../../shared/schedules/recurrence'

describe('recurrence dates', () => {
  it('a monthly schedule from 31 January: 31 Jan, 28 Feb, 31 Mar, 30 Apr, 31 May (months from the start, not from the clipped date)', () => {
    const r: Recurrence = { frequency: 'monthly', interval: 1, startDate: '2026-01-31' }
    expect(occurrencesThrough(r, r.startDate, '2026-05-31')).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31'])
  })

  it('29 February in a leap year; yearly from 29 Feb 2024 gives 28 Feb 2025 and 29 Feb 2028', () => {
    expect(addMonthsClipped('2028-01-31', 1)).toBe('2028-02-29')
    const r: Recurrence = { frequency: 'yearly', interval: 1, startDate: '2024-02-29' }
    expect([0, 1, 2, 3, 4].map(n => occurrence(r, n))).toEqual(['2024-02-29', '2025-02-28', '2026-02-28', '2027-02-28', '2028-02-29'])
  })

  it('quarterly every 2 (six months) from 31 August; weekly every 2 weeks; the end date stops it', () => {
    expect(occurrencesThrough({ frequency: 'quarterly', interval: 2, startDate: '2026-08-31' }, '2026-08-31', '2027-09-01')).toEqual(['2026-08-31', '2027-02-28', '2027-08-31'])
    const w: Recurrence = { frequency: 'weekly', interval: 2, startDate: '2026-12-24', endDate: '2027-01-21' }
    expect(occurrencesThrough(w, w.startDate, '2027-12-31')).toEqual(['2026-12-24', '2027-01-07', '2027-01-21'])
    expect(occurrenceFrom(w, '2027-01-21', true)).toBeNull()
  })

  it('occurrenceFrom: on or after, or strictly after; before the start it is the start', () => {
    const r: Recurrence = { frequency: 'monthly', interval: 1, startDate: '2026-01-31' }
    expect(occurrenceFrom(r, '2026-02-28')).toBe('2026-02-28')
    expect(occurrenceFrom(r, '2026-02-28', true)).toBe('2026-03-31')
    expect(occurrenceFrom(r, '2025-06-01')).toBe('2026-01-31')
    expect(occurrenceFrom(r, '2026-03-01')).toBe('2026-03-31')
  })

  it('property: stepping with occurrenceFrom(…, strict) visits occurrence(0), occurrence(1), … in order', () => {
    const day = fc.integer({ min: 0, max: 3650 }).map(n => new Date(Date.UTC(2020, 0, 1) + n * 86_400_000).toISOString().slice(0, 10))
    fc.assert(fc.property(fc.constantFrom('weekly', 'monthly', 'quarterly', 'yearly' as const), fc.integer({ min: 1, max: 5 }), day, (frequency, interval, startDate) => {
      const r: Recurrence = { frequency, interval, startDate }
      const stepped = occurrencesThrough(r, startDate, '2100-12-31', 12)
      expect(stepped).toEqual(Array.from({ length: 12 }, (_, n) => occurrence(r, n)))
      for (let i = 1; i < stepped.length; i++) expect(stepped[i]! > stepped[i - 1]!).toBe(true)
    }), { numRuns: 300 })
  })
})
