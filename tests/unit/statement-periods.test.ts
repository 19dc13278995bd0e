/**
 * The income statement's sections cover every revenue and expense subtype once, and the
 * comparative periods and date presets are the ranges accountants expect.
 */
import { describe, expect, it } from 'vitest'
import { SUBTYPES_BY_TYPE } from '../../server/domain/ledger/chart'
import { INCOME_SECTIONS } from '../../server/domain/reports/income-sections'
import { columnLabel, columnPeriods, previousPeriod, previousYear, presetOf, presetRange, sameDateLastYear } from '../../server/domain/reports/periods'

describe('income statement sections', () => {
  it('map every revenue and expense subtype to exactly one section of its type', () => {
    for (const type of ['revenue', 'expense'] as const) {
      const mapped = INCOME_SECTIONS.filter(s => s.type === type).flatMap(s => [...s.subtypes])
      expect([...mapped].sort()).toEqual([...SUBTYPES_BY_TYPE[type]].sort())
    }
  })
})

describe('comparative periods', () => {
  it('previous period: whole months step back by months, other ranges by days', () => {
    expect(previousPeriod({ from: '2026-11-01', to: '2026-11-30' })).toEqual({ from: '2026-10-01', to: '2026-10-31' })
    expect(previousPeriod({ from: '2026-03-01', to: '2026-03-31' })).toEqual({ from: '2026-02-01', to: '2026-02-28' })
    expect(previousPeriod({ from: '2026-10-01', to: '2026-12-31' })).toEqual({ from: '2026-07-01', to: '2026-09-30' })
    expect(previousPeriod({ from: '2026-01-01', to: '2026-12-31' })).toEqual({ from: '2025-01-01', to: '2025-12-31' })
    expect(previousPeriod({ from: '2026-11-16', to: '2026-11-30' })).toEqual({ from: '2026-11-01', to: '2026-11-15' })
    expect(previousPeriod({ from: '2026-03-01', to: '2026-03-10' })).toEqual({ from: '2026-02-19', to: '2026-02-28' })
  })

  it('previous year: same dates a year earlier; 29 February and month ends become month ends', () => {
    expect(previousYear({ from: '2026-11-01', to: '2026-11-30' })).toEqual({ from: '2025-11-01', to: '2025-11-30' })
    expect(previousYear({ from: '2024-02-01', to: '2024-02-29' })).toEqual({ from: '2023-02-01', to: '2023-02-28' })
    expect(previousYear({ from: '2025-02-01', to: '2025-02-28' })).toEqual({ from: '2024-02-01', to: '2024-02-29' })
    expect(previousYear({ from: '2026-01-01', to: '2026-06-15' })).toEqual({ from: '2025-01-01', to: '2025-06-15' })
    expect(sameDateLastYear('2024-02-29')).toBe('2023-02-28')
  })
})

describe('date presets', () => {
  const today = '2026-11-18'
  it('this month, last month, this quarter run to today or the month end', () => {
    expect(presetRange('this-month', today, 1)).toEqual({ from: '2026-11-01', to: today })
    expect(presetRange('last-month', today, 1)).toEqual({ from: '2026-10-01', to: '2026-10-31' })
    expect(presetRange('last-month', '2026-01-05', 1)).toEqual({ from: '2025-12-01', to: '2025-12-31' })
    expect(presetRange('this-quarter', today, 1)).toEqual({ from: '2026-10-01', to: today })
  })

  it('year to date and last fiscal year follow the fiscal year start', () => {
    expect(presetRange('year-to-date', today, 1)).toEqual({ from: '2026-01-01', to: today })
    expect(presetRange('last-fiscal-year', today, 1)).toEqual({ from: '2025-01-01', to: '2025-12-31' })
    expect(presetRange('year-to-date', today, 7)).toEqual({ from: '2026-07-01', to: today })
    expect(presetRange('last-fiscal-year', today, 7)).toEqual({ from: '2025-07-01', to: '2026-06-30' })
    expect(presetRange('year-to-date', '2026-03-10', 4)).toEqual({ from: '2025-04-01', to: '2026-03-10' })
    expect(presetOf({ from: '2025-07-01', to: '2026-06-30' }, today, 7)).toBe('last-fiscal-year')
    expect(presetOf({ from: '2025-07-02', to: '2026-06-30' }, today, 7)).toBeNull()
  })
})

describe('columns by month or quarter', () => {
  it('one column per calendar month or quarter the range touches, the ends clipped to it', () => {
    expect(columnPeriods({ from: '2026-01-01', to: '2026-03-31' }, 'month')).toEqual([
      { from: '2026-01-01', to: '2026-01-31' }, { from: '2026-02-01', to: '2026-02-28' }, { from: '2026-03-01', to: '2026-03-31' },
    ])
    expect(columnPeriods({ from: '2025-11-15', to: '2026-02-10' }, 'quarter')).toEqual([
      { from: '2025-11-15', to: '2025-12-31' }, { from: '2026-01-01', to: '2026-02-10' },
    ])
    expect(columnPeriods({ from: '2026-02-03', to: '2026-02-03' }, 'month')).toEqual([{ from: '2026-02-03', to: '2026-02-03' }])
    // Stops one past the limit: enough to tell a range has too many.
    expect(columnPeriods({ from: '2020-01-01', to: '2026-12-31' }, 'month', 24)).toHaveLength(25)
  })

  it('headings name the month or quarter, or the days of a clipped period', () => {
    expect(columnLabel({ from: '2026-02-01', to: '2026-02-28' }, 'month')).toBe('Feb 2026')
    expect(columnLabel({ from: '2026-04-01', to: '2026-06-30' }, 'quarter')).toBe('Q2 2026')
    expect(columnLabel({ from: '2026-01-15', to: '2026-01-31' }, 'month')).toBe('15–31 Jan 2026')
    expect(columnLabel({ from: '2025-11-15', to: '2025-12-31' }, 'quarter')).toBe('15 Nov–31 Dec 2025')
  })
})
