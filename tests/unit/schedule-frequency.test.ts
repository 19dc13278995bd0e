/**
 * The scheduled reports' frequency picker and the cron the API keeps (shared/schedules/frequency.ts):
 * each frequency writes one expression and reads back the same; expressions the picker cannot
 * show fall back to a custom cron kept as typed; and the words the list shows.
 */
import { describe, expect, it } from 'vitest'
import { cronProblem } from '../../server/domain/reports/schedule-rules'
import { describeFrequency, describeSchedule, fromCron, ordinal, parseTime, toCron, type Frequency } from '../../shared/schedules/frequency'

describe('toCron / fromCron', () => {
  const cases: [Frequency, string][] = [
    [{ kind: 'daily', time: '07:00' }, '0 7 * * *'],
    [{ kind: 'daily', time: '23:59' }, '59 23 * * *'],
    [{ kind: 'weekly', weekday: 1, time: '08:30' }, '30 8 * * 1'],
    [{ kind: 'weekly', weekday: 0, time: '00:00' }, '0 0 * * 0'],
    [{ kind: 'monthly', day: 1, time: '07:00' }, '0 7 1 * *'],
    [{ kind: 'monthly', day: 28, time: '18:05' }, '5 18 28 * *'],
    [{ kind: 'quarterly', day: 2, time: '06:15' }, '15 6 2 1,4,7,10 *'],
  ]
  it.each(cases)('%o ⇄ %s', (frequency, cron) => {
    expect(toCron(frequency)).toBe(cron)
    expect(fromCron(cron)).toEqual(frequency)
    expect(cronProblem(cron)).toBeUndefined()
  })

  it('reads equivalent spellings: Sunday as 7, quarters as */3, extra spaces', () => {
    expect(fromCron('0 7 * * 7')).toEqual({ kind: 'weekly', weekday: 0, time: '07:00' })
    expect(fromCron('0 7 1 */3 *')).toEqual({ kind: 'quarterly', day: 1, time: '07:00' })
    expect(fromCron('  0   7 1 * * ')).toEqual({ kind: 'monthly', day: 1, time: '07:00' })
    expect(fromCron('05 07 01 * *')).toEqual({ kind: 'monthly', day: 1, time: '07:05' })
  })

  it.each([
    '*/15 * * * *', // steps
    '0 7-9 * * *', // ranges
    '0 7 * * 1-5', // weekdays
    '0 7 1,15 * *', // several days
    '0 7 31 * *', // a day not every month has
    '0 7 1 1 *', // yearly
    '0 7 1 * 1', // day and weekday together
    '0 0 7 1 * *', // six fields (seconds)
    '0 7 * * MON', // names
    '0 24 * * *', // not a time
    'not cron',
  ])('%s is custom, kept as typed', (cron) => {
    expect(fromCron(cron)).toEqual({ kind: 'custom', cron })
    expect(toCron(fromCron(cron))).toBe(cron)
  })

  it('trims a custom expression and refuses a time that is none', () => {
    expect(toCron({ kind: 'custom', cron: ' 0 7 * * 1-5 ' })).toBe('0 7 * * 1-5')
    expect(() => toCron({ kind: 'daily', time: '25:00' })).toThrow(RangeError)
    expect(parseTime('7:05')).toEqual({ hour: 7, minute: 5 })
    expect(parseTime('07:60')).toBeNull()
    expect(parseTime('')).toBeNull()
  })
})

describe('describing a schedule', () => {
  it('says each frequency in words with its time zone', () => {
    expect(describeSchedule('0 7 1 * *', 'Europe/London')).toBe('Monthly on the 1st at 07:00 (Europe/London)')
    expect(describeSchedule('0 7 * * *', 'UTC')).toBe('Daily at 07:00 (UTC)')
    expect(describeSchedule('30 8 * * 1', 'Asia/Tokyo')).toBe('Weekly on Monday at 08:30 (Asia/Tokyo)')
    expect(describeSchedule('0 6 2 1,4,7,10 *', 'UTC')).toBe('Quarterly on the 2nd of January, April, July and October at 06:00 (UTC)')
    expect(describeSchedule('*/15 * * * *', 'UTC')).toBe('Custom (cron */15 * * * *) (UTC)')
  })

  it('orders days in English', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 28].map(ordinal)).toEqual(['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '23rd', '28th'])
    expect(describeFrequency({ kind: 'monthly', day: 22, time: '09:00' })).toBe('Monthly on the 22nd at 09:00')
  })
})
