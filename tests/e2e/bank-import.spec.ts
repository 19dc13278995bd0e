import { resolve } from 'node:path'
import { expect, test } from '@playwright/test'
import { tenantUrl } from './support/context'
import { overflowsHorizontally, screenshot, signIn } from './support/pages'
import { createOwnTenant, type OwnTenant } from './support/tenants'

const EUROPEAN_CSV = resolve(import.meta.dirname, '../fixtures/bank/european.csv')

test.describe('banking: statement import wizard', () => {
  let tenant: OwnTenant

  test.beforeAll(async () => {
    tenant = await createOwnTenant('bankimport', 'Bankimport GmbH', 'Bea Buchhalter')
  })

  test('adds a bank account, imports a European CSV (semicolons, decimal comma) with its columns guessed and checked live, then recognises the same file as already imported', async ({ page }, testInfo) => {
    await page.setViewportSize({ width: 1440, height: 900 })
    await page.goto(tenantUrl(tenant.slug, '/login'))
    await signIn(page, tenant.owner.email, tenant.owner.password)

    // An empty list says what to do next; the account is created from it.
    await page.getByTestId('nav-banking-accounts').click()
    await expect(page.getByRole('heading', { name: 'Bank accounts' })).toBeVisible()
    await expect(page.getByText('No bank accounts yet')).toBeVisible()
    await page.getByTestId('bank-accounts-empty-new').click()
    await page.getByTestId('bank-account-name').fill('Sparkasse Geschäftskonto')
    await page.getByTestId('bank-account-gl').fill('1010')
    await page.getByRole('option', { name: /Bank account/ }).first().click()
    await page.getByTestId('bank-account-number').fill('DE89 3704 0044 0532 0130 00')
    await page.getByTestId('bank-account-opening-balance').fill('2,500.00')
    await page.getByTestId('bank-account-opening-date').fill('2026-03-01')
    await page.getByTestId('bank-account-save').click()

    // The account's page: its masked number, the opening balance in the GL, nothing imported yet.
    await expect(page.getByRole('heading', { name: 'Sparkasse Geschäftskonto' })).toBeVisible()
    await expect(page.getByText('DE89 **** **** 3000')).toBeVisible()
    await expect(page.getByTestId('bank-account-gl-balance')).toHaveText('2,500.00 USD')
    await expect(page.getByText('No lines here yet')).toBeVisible()
    await page.getByTestId('bank-lines-empty-import').click()

    // The file: a CSV is read and its columns guessed from the German header.
    await expect(page.getByTestId('bank-import-drop')).toBeVisible()
    await page.getByTestId('bank-import-file').setInputFiles(EUROPEAN_CSV)
    await expect(page.getByTestId('bank-import-format')).toHaveText('CSV')
    await expect(page.getByTestId('bank-import-col-date')).toContainText('Buchungstag')
    await expect(page.getByTestId('bank-import-col-amount')).toContainText('Betrag (EUR)')
    await expect(page.getByTestId('bank-import-col-description')).toContainText('Verwendungszweck')
    await expect(page.getByTestId('bank-import-decimal')).toContainText('Comma')
    await expect(page.getByTestId('bank-import-reading')).toContainText('Semicolon')
    const read = page.getByTestId('bank-import-read-lines').getByTestId('bank-import-line')
    await expect(read).toHaveCount(5)
    await expect(read.first().getByTestId('bank-import-line-amount')).toHaveText('1,234.56')
    await expect(read.nth(2).getByTestId('bank-import-line-amount')).toHaveText('-1,500.00')

    // Live preview: a wrong date format names the lines it cannot read; the right one reads them again.
    await page.getByTestId('bank-import-date-format').locator('input').fill('YYYY-MM-DD')
    await expect(page.getByTestId('bank-import-problems')).toContainText('does not match YYYY-MM-DD')
    await expect(page.getByTestId('bank-import-next')).toBeDisabled()
    await page.getByTestId('bank-import-date-format').locator('input').fill('DD.MM.YYYY')
    await page.keyboard.press('Tab')
    await expect(read).toHaveCount(5)
    await expect(page.getByTestId('bank-import-problems')).toBeHidden()
    await screenshot(page, testInfo, 'bank-import-columns-desktop')

    // Check: five lines, none imported before; import them.
    await page.getByTestId('bank-import-next').click()
    await expect(page.getByTestId('bank-import-total')).toHaveText('5')
    await expect(page.getByTestId('bank-import-duplicates')).toHaveText('0')
    await expect(page.getByTestId('bank-import-new')).toHaveText('5')
    await expect(page.getByTestId('bank-import-money-in')).toHaveText('1,234.56')
    await expect(page.getByTestId('bank-import-money-out')).toHaveText('-3,094.40')
    await screenshot(page, testInfo, 'bank-import-review-desktop')
    await page.getByTestId('bank-import-confirm').click()
    await expect(page.getByTestId('bank-import-result')).toContainText('5 lines imported')
    await expect(page.getByTestId('bank-import-result')).toContainText('5 lines are now waiting to be reconciled')
    await expect(page.getByTestId('bank-import-reconcile')).toHaveAttribute('href', /\/banking\/accounts\/[^/]+\/reconcile$/)

    // The lines wait on the account's page, to reconcile.
    await page.getByTestId('bank-import-see-lines').click()
    await expect(page.getByTestId('bank-line-row')).toHaveCount(5)
    await expect(page.getByTestId('bank-account-unmatched-count')).toHaveText('5 lines')
    // the bank's side: the opening 2,500.00 + 1,234.56 − 89.90 − 1,500.00 − 1,500.00 − 4.50
    await expect(page.getByTestId('bank-account-bank-balance')).toHaveText('640.16 USD')
    await screenshot(page, testInfo, 'bank-account-desktop')

    // The same file again, on a phone: the saved columns apply, and every line is known.
    await page.setViewportSize({ width: 390, height: 844 })
    await page.getByTestId('bank-account-import').click()
    await page.getByTestId('bank-import-file').setInputFiles(EUROPEAN_CSV)
    await expect(page.getByTestId('bank-import-col-amount')).toContainText('Betrag (EUR)')
    await expect(page.getByTestId('bank-import-read')).toContainText('5 imported before')
    await expect.poll(() => overflowsHorizontally(page)).toBe(false)
    await screenshot(page, testInfo, 'bank-import-columns-phone')
    await page.getByTestId('bank-import-next').click()
    await expect(page.getByTestId('bank-import-duplicates')).toHaveText('5')
    await expect(page.getByTestId('bank-import-new')).toHaveText('0')
    await expect(page.getByTestId('bank-import-review-lines').getByTestId('bank-import-line').first()).toContainText('Already imported')
    await expect(page.getByTestId('bank-import-confirm')).toBeDisabled()
    await expect.poll(() => overflowsHorizontally(page)).toBe(false)
    await screenshot(page, testInfo, 'bank-import-review-phone')

    // Leaving with a file read but not imported asks first.
    await page.getByTestId('bank-import-step-back').click()
    await expect(page.getByTestId('bank-import-columns')).toBeVisible()
    await page.getByTestId('bank-import-back').click()
    await expect(page.getByTestId('bank-import-leave-dialog')).toBeVisible()
    await page.getByTestId('bank-import-leave-accept').click()
    await expect(page.getByTestId('bank-line-row')).toHaveCount(5)
  })
})
