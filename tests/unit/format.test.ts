/**
 * The formatting layer (shared/format): figures and dates as the organisation's settings say,
 * from decimal strings, and dates typed in the organisation's format read back as ISO dates.
 */
import { describe, expect, it } from 'vitest'
import { canonicalTimeZone, formatDate, formatDateTime, formatMoney, formatNumber, parseDate, spreadsheetNumberFormat } from '../../shared/format'

describe('formatMoney', () => {
  it('groups and marks decimals in each number format', () => {
    expect(formatMoney('1234567.89', { numberFormat: '1,234.56' })).toBe('1,234,567.89')
    expect(formatMoney('1234567.89', { numberFormat: '1.234,56' })).toBe('1.234.567,89')
    expect(formatMoney('1234567.89', { numberFormat: '1 234,56' })).toBe('1\u00A0234\u00A0567,89')
    expect(formatMoney('1234567.89', { numberFormat: '1\'234.56' })).toBe('1\'234\'567.89')
    expect(formatMoney('999.5')).toBe('999.5')
  })

  it('writes negatives with a minus or in parentheses, and never a negative zero', () => {
    expect(formatMoney('-10000.5', { places: 2 })).toBe('-10,000.50')
    expect(formatMoney('-10000.5', { places: 2, negativeStyle: 'parentheses' })).toBe('(10,000.50)')
    expect(formatMoney('-0.004', { places: 2, negativeStyle: 'parentheses' })).toBe('0.00')
    expect(formatMoney('-0.004', { places: 2 })).toBe('0.00')
  })

  it('rounds half-up on the decimal string, exactly beyond what a JS number holds', () => {
    expect(formatMoney('2.345', { places: 2 })).toBe('2.35')
    expect(formatMoney('-2.345', { places: 2 })).toBe('-2.35')
    expect(formatMoney('12345678901234567.895', { places: 2 })).toBe('12,345,678,901,234,567.90')
  })

  it('blanks zero on request and prefixes the currency code', () => {
    expect(formatMoney('0.00', { blankZero: true })).toBe('')
    expect(formatMoney('0.001', { places: 2, blankZero: true })).toBe('')
    expect(formatMoney('5.00', { blankZero: true })).toBe('5.00')
    expect(formatMoney('-5', { places: 2, currency: 'EUR', negativeStyle: 'parentheses', numberFormat: '1.234,56' })).toBe('EUR (5,00)')
  })

  it('gives back what is not a decimal unchanged', () => {
    expect(formatMoney('')).toBe('')
    expect(formatMoney('Total')).toBe('Total')
    expect(formatMoney('1e5')).toBe('1e5')
  })
})

describe('formatNumber', () => {
  it('formats counts and decimals with the number format and a minus', () => {
    expect(formatNumber(1234567, { numberFormat: '1.234,56' })).toBe('1.234.567')
    expect(formatNumber('-1234.5', { numberFormat: '1 234,56' })).toBe('-1\u00A0234,5')
    expect(formatNumber(Number.NaN)).toBe('NaN')
  })
})

describe('spreadsheetNumberFormat', () => {
  it('mirrors the negative style and the places', () => {
    expect(spreadsheetNumberFormat('minus')).toBe('#,##0.00;-#,##0.00')
    expect(spreadsheetNumberFormat('parentheses', 3)).toBe('#,##0.000;(#,##0.000)')
    expect(spreadsheetNumberFormat('minus', 0)).toBe('#,##0;-#,##0')
  })
})

describe('formatDate', () => {
  it('writes a calendar date in each date format, never shifted by a zone', () => {
    expect(formatDate('2025-11-08', 'D MMM YYYY')).toBe('8 Nov 2025')
    expect(formatDate('2025-11-08', 'DD/MM/YYYY')).toBe('08/11/2025')
    expect(formatDate('2025-11-08', 'MM/DD/YYYY')).toBe('11/08/2025')
    expect(formatDate('2025-11-08', 'YYYY-MM-DD')).toBe('2025-11-08')
    expect(formatDate('2025-11-08', 'DD.MM.YYYY', { timeZone: 'Pacific/Kiritimati' })).toBe('08.11.2025')
  })

  it('dates an instant in the organisation\'s zone, and takes month names from the locale', () => {
    expect(formatDate('2025-11-30T23:30:00Z', 'YYYY-MM-DD')).toBe('2025-11-30')
    expect(formatDate('2025-11-30T23:30:00Z', 'YYYY-MM-DD', { timeZone: 'Europe/Berlin' })).toBe('2025-12-01')
    expect(formatDate('2025-03-02', 'D MMM YYYY', { locale: 'de-DE' })).toBe('2 Mär 2025')
  })

  it('is empty for what is not a date', () => {
    expect(formatDate('2025-02-30')).toBe('')
    expect(formatDate('yesterday')).toBe('')
  })
})

describe('formatDateTime', () => {
  it('shows the date and the 24-hour time in the zone', () => {
    expect(formatDateTime(new Date('2026-12-05T10:30:00Z'), 'YYYY-MM-DD')).toBe('2026-12-05 10:30')
    expect(formatDateTime('2026-12-05T23:30:00Z', 'DD/MM/YYYY', { timeZone: 'Asia/Karachi' })).toBe('06/12/2026 04:30')
  })
})

describe('parseDate', () => {
  it('reads each format back, with any separator and without leading zeros', () => {
    expect(parseDate('8/11/2025', 'DD/MM/YYYY')).toBe('2025-11-08')
    expect(parseDate('11/8/2025', 'MM/DD/YYYY')).toBe('2025-11-08')
    expect(parseDate('08.11.2025', 'DD.MM.YYYY')).toBe('2025-11-08')
    expect(parseDate('8-11-25', 'DD.MM.YYYY')).toBe('2025-11-08')
    expect(parseDate('2025/11/08', 'YYYY-MM-DD')).toBe('2025-11-08')
    expect(parseDate(' 8 Nov 2025 ', 'D MMM YYYY')).toBe('2025-11-08')
    expect(parseDate('8 november 2025', 'D MMM YYYY')).toBe('2025-11-08')
    expect(parseDate('2 Mär 2025', 'D MMM YYYY', { locale: 'de-DE' })).toBe('2025-03-02')
  })

  it('always understands an ISO date', () => {
    expect(parseDate('2025-11-08', 'MM/DD/YYYY')).toBe('2025-11-08')
  })

  it('refuses dates that do not exist and text that is not a date', () => {
    expect(parseDate('31/02/2025', 'DD/MM/YYYY')).toBeNull()
    expect(parseDate('13/13/2025', 'MM/DD/YYYY')).toBeNull()
    expect(parseDate('2025-11-08x', 'YYYY-MM-DD')).toBeNull()
    expect(parseDate('8 Foo 2025', 'D MMM YYYY')).toBeNull()
    expect(parseDate('', 'D MMM YYYY')).toBeNull()
    expect(parseDate('2025/11/08', 'DD/MM/YYYY')).toBeNull()
  })
})

describe('canonicalTimeZone', () => {
  it('accepts IANA names in their canonical spelling and refuses the rest', () => {
    expect(canonicalTimeZone('Europe/Berlin')).toBe('Europe/Berlin')
    expect(canonicalTimeZone('utc')).toBe('UTC')
    expect(canonicalTimeZone('Mars/Olympus')).toBeNull()
    expect(canonicalTimeZone('+05:00')).toBeNull()
    expect(canonicalTimeZone('')).toBeNull()
  })
})
