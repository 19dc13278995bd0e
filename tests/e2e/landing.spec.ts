import { expect, test } from '@playwright/test'
import { apexUrl } from './support/context'
import { overflowsHorizontally, screenshot } from './support/pages'

/**
 * The landing page says only what the product does today (components/landing/LandingPage.vue):
 * the general ledger, statements, close, currencies, report files and controls — not invoices,
 * bills or bank reconciliation, which have not landed. When a module lands, its words move from
 * the second list to the first.
 */
const OFFERED = ['general ledger', 'Financial statements', 'Month end and year end', 'Many currencies', 'PDF, Excel or CSV', 'audit log']
const NOT_YET = [/invoice/i, /\bbills?\b/i, /receivable/i, /payable/i, /reconcil/i, /maker.checker/i, /approval/i]

for (const [device, viewport] of [['desktop', { width: 1366, height: 900 }], ['phone', { width: 390, height: 844 }]] as const) {
  test(`the landing page describes what exists today (${device})`, async ({ page }, testInfo) => {
    await page.setViewportSize(viewport)
    await page.goto(apexUrl('/'))
    await expect(page.getByTestId('landing-signup')).toBeVisible()
    const text = await page.locator('body').innerText()
    for (const phrase of OFFERED) expect(text, phrase).toContain(phrase)
    for (const pattern of NOT_YET) expect(text, String(pattern)).not.toMatch(pattern)
    await expect.poll(() => overflowsHorizontally(page)).toBe(false)
    await screenshot(page, testInfo, `landing-${device}`)
  })
}
