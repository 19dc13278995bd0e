import { describe, expect, it } from 'vitest'
import { cronProblem, dateInZone, isTimeZone, nextFireTime, previousMonth, resolveScheduleParams, runPeriod } from '../../server/domain/reports/schedule-rules'

describe('resolveScheduleParams (omitted dates of a scheduled run)', () => {
  // 2026-03-01 02:00 in Tokyo is still 2026-02-28 in UTC.
  const tokyoFirst = new Date('2026-02-28T17:00:00Z')

  it('fills asOf with the run date in the schedule\'s time zone', () => {
    expect(resolveScheduleParams('trial-balance', {}, tokyoFirst, 'Asia/Tokyo')).toEqual({ asOf: '2026-03-01' })
    expect(resolveScheduleParams('balance-sheet', {}, tokyoFirst, 'UTC')).toEqual({ asOf: '2026-02-28' })
  })

  it('fills from/to with the previous full month of the run date in the schedule\'s zone', () => {
    expect(resolveScheduleParams('income-statement', {}, tokyoFirst, 'Asia/Tokyo')).toEqual({ from: '2026-02-01', to: '2026-02-28' })
    // The same instant is still February in UTC, so the previous month is January.
    expect(resolveScheduleParams('cash-flow', {}, tokyoFirst, 'UTC')).toEqual({ from: '2026-01-01', to: '2026-01-31' })
  })

  it('crosses a year boundary and a time zone behind UTC', () => {
    // 2026-01-01 05:00 UTC is 2025-12-31 21:00 in Los Angeles.
    expect(resolveScheduleParams('income-statement', {}, new Date('2026-01-01T05:00:00Z'), 'America/Los_Angeles')).toEqual({ from: '2025-11-01', to: '2025-11-30' })
    expect(resolveScheduleParams('income-statement', {}, new Date('2026-01-15T12:00:00Z'), 'Europe/Berlin')).toEqual({ from: '2025-12-01', to: '2025-12-31' })
  })

  it('ends February on the 29th in a leap year', () => {
    expect(resolveScheduleParams('cash-flow', {}, new Date('2024-03-05T08:00:00Z'), 'UTC')).toEqual({ from: '2024-02-01', to: '2024-02-29' })
  })

  it('keeps the parameters the schedule gives, filling only the omitted ones', () => {
    const runAt = new Date('2026-05-10T09:00:00Z')
    expect(resolveScheduleParams('trial-balance', { asOf: '2025-12-31', includeZero: 'true' }, runAt, 'UTC')).toEqual({ asOf: '2025-12-31', includeZero: 'true' })
    expect(resolveScheduleParams('income-statement', { from: '2026-01-01' }, runAt, 'UTC')).toEqual({ from: '2026-01-01', to: '2026-04-30' })
    const accountId = '0190a0b0-0000-7000-8000-000000000001'
    expect(resolveScheduleParams('general-ledger', { accountId }, runAt, 'UTC')).toEqual({ accountId, from: '2026-04-01', to: '2026-04-30' })
  })

  it('does not change the schedule\'s own parameters object', () => {
    const params = { includeZero: 'true' }
    resolveScheduleParams('trial-balance', params, new Date('2026-05-10T09:00:00Z'), 'UTC')
    expect(params).toEqual({ includeZero: 'true' })
  })
})

describe('calendar helpers', () => {
  it('reads the date of an instant in a zone', () => {
    expect(dateInZone(new Date('2026-06-30T23:30:00Z'), 'Europe/Berlin')).toBe('2026-07-01')
    expect(dateInZone(new Date('2026-06-30T23:30:00Z'), 'Pacific/Honolulu')).toBe('2026-06-30')
  })

  it('gives the previous full month', () => {
    expect(previousMonth('2026-03-31')).toEqual({ from: '2026-02-01', to: '2026-02-28' })
    expect(previousMonth('2026-01-01')).toEqual({ from: '2025-12-01', to: '2025-12-31' })
  })

  it('gives a run\'s period for its e-mail: one day, or the range', () => {
    expect(runPeriod({ asOf: '2026-02-28' })).toEqual({ asOf: '2026-02-28' })
    expect(runPeriod({ from: '2026-02-01', to: '2026-02-28', accountId: 'x' })).toEqual({ from: '2026-02-01', to: '2026-02-28' })
    expect(runPeriod(resolveScheduleParams('income-statement', {}, new Date('2026-03-05T06:00:00Z'), 'UTC'))).toEqual({ from: '2026-02-01', to: '2026-02-28' })
  })
})

describe('cron expressions and time zones', () => {
  it('accepts five fields, or six with seconds first', () => {
    expect(cronProblem('0 2 1 * *')).toBeUndefined()
    expect(cronProblem('*/2 * * * * *')).toBeUndefined()
    expect(cronProblem('30 7 * * 1-5', 'Europe/Berlin')).toBeUndefined()
  })

  it('refuses other field counts, aliases and values out of range', () => {
    expect(cronProblem('* * * *')).toMatch(/5 fields/)
    expect(cronProblem('0 0 0 * * * *')).toMatch(/5 fields/)
    expect(cronProblem('@daily')).toMatch(/5 fields/)
    expect(cronProblem('61 * * * *')).toMatch(/not a valid cron expression/)
    expect(cronProblem('0 0 31 2 *')).toMatch(/not a valid cron expression/)
  })

  it('knows IANA time zones', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true)
    expect(isTimeZone('UTC')).toBe(true)
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false)
    expect(isTimeZone('')).toBe(false)
  })

  it('computes the next fire time in the schedule\'s zone', () => {
    // 02:00 on the 1st in Tokyo (UTC+9) is 17:00 UTC on the last day of the month before.
    expect(nextFireTime('0 2 1 * *', 'Asia/Tokyo', new Date('2026-02-15T00:00:00Z')).toISOString()).toBe('2026-02-28T17:00:00.000Z')
    expect(nextFireTime('0 2 1 * *', 'UTC', new Date('2026-02-15T00:00:00Z')).toISOString()).toBe('2026-03-01T02:00:00.000Z')
  })
})
