import { expect, test, type Page } from '@playwright/test'
import { e2eContext, tenantUrl } from './support/context'
import { requestJson } from './support/http'
import { overflowsHorizontally, screenshot, signIn } from './support/pages'
import { createOwnTenant, type OwnTenant } from './support/tenants'
import { presetRange } from '../../server/domain/reports/periods'

/*
 * The income statement as accountants read it, chosen with a preset and a comparison, with
 * negatives written as the organisation writes them (parentheses here). Worked by hand, with
 * "last month" L and the month before it P (relative to today, so the presets can be clicked):
 *
 *   P: sales 4,000 (Dr 1000 Cr 4000), cost of sales 1,500 (Dr 5000 Cr 1200)
 *   L: sales 5,000, cost of sales 2,000, rent 1,000 (Dr 6100 Cr 1000)
 *
 *                       L        P   variance      %
 *   Revenue          5,000    4,000      1,000   25.0%
 *   Cost of sales    2,000    1,500        500   33.3%
 *   Gross profit     3,000    2,500        500   20.0%
 *   Operating exp.   1,000        0      1,000   (blank: against zero)
 *   Operating profit 2,000    2,500      (500)  (20.0%)
 *   Net income       2,000    2,500      (500)  (20.0%)
 */
const today = new Date().toISOString().slice(0, 10)
const last = presetRange('last-month', today, 1)
const before = presetRange('last-month', last.from, 1)
const mid = (range: { from: string }) => `${range.from.slice(0, 7)}-10`

async function books(): Promise<OwnTenant> {
  const { port } = e2eContext()
  const tenant = await createOwnTenant('stmt', 'Statements Ltd')
  const host = `${tenant.slug}.localhost:${port}`
  const login = await requestJson(port, host, 'POST', '/api/v1/auth/login', { json: { email: tenant.owner.email, password: tenant.owner.password } })
  const token = login.body.accessToken as string
  const settings = await requestJson(port, host, 'PATCH', '/api/v1/settings', { token, json: { negativeStyle: 'parentheses' } })
  expect(settings.status, settings.text).toBe(200)
  const entries: [string, string, string, string][] = [
    [mid(before), '1000', '4000', '4000'], [mid(before), '5000', '1200', '1500'],
    [mid(last), '1000', '4000', '5000'], [mid(last), '5000', '1200', '2000'], [mid(last), '6100', '1000', '1000'],
  ]
  for (const [date, debit, credit, amount] of entries) {
    const res = await requestJson(port, host, 'POST', '/api/v1/journal-entries', { token, json: { date, memo: 'Statement test', post: true, lines: [{ accountCode: debit, debit: amount }, { accountCode: credit, credit: amount }] } })
    expect(res.status, res.text).toBe(201)
  }
  return tenant
}

async function chooseLastMonthAgainstPreviousPeriod(page: Page) {
  await page.getByTestId('report-preset-last-month').click()
  await expect(page).toHaveURL(new RegExp(`from=${last.from}&to=${last.to}`))
  await page.getByTestId('report-compare').click()
  await page.getByRole('option', { name: 'Previous period' }).click()
  await expect(page.getByTestId('is-compare-heading')).toBeVisible()
}

async function expectComparedFigures(page: Page) {
  const cells = (id: string) => [page.getByTestId(id), page.getByTestId(`${id}-comparative`), page.getByTestId(`${id}-variance`), page.getByTestId(`${id}-variance-percent`)]
  const expectRow = async (id: string, figures: (string | RegExp)[]) => {
    for (const [i, cell] of cells(id).entries()) await expect(cell, `${id} ${i}`).toHaveText(figures[i]!)
  }
  await expectRow('is-total-revenue', ['5,000.00', '4,000.00', '1,000.00', '25.0%'])
  await expectRow('is-total-cost-of-sales', ['2,000.00', '1,500.00', '500.00', '33.3%'])
  await expectRow('is-gross-profit', ['3,000.00', '2,500.00', '500.00', '20.0%'])
  await expectRow('is-total-operating-expenses', ['1,000.00', '0.00', '1,000.00', /^\s*$/])
  await expectRow('is-operating-profit', ['2,000.00', '2,500.00', '(500.00)', '(20.0%)'])
  await expectRow('is-net-income', ['2,000.00', '2,500.00', '(500.00)', '(20.0%)'])
}

test.describe('income statement presets and comparisons', () => {
  let tenant: OwnTenant
  test.beforeAll(async () => {
    tenant = await books()
  })

  test('at desktop width: last month against the previous period, then the same period last year', async ({ page }, testInfo) => {
    await page.goto(tenantUrl(tenant.slug, '/login'))
    await signIn(page, tenant.owner.email, tenant.owner.password)
    await page.goto(tenantUrl(tenant.slug, '/reports/income-statement'))
    await expect(page.getByTestId('is-table')).toBeVisible()
    await chooseLastMonthAgainstPreviousPeriod(page)
    await expectComparedFigures(page)
    await screenshot(page, testInfo, 'statements-income-previous-period')

    await page.getByTestId('report-compare').click()
    await page.getByRole('option', { name: 'Same period last year' }).click()
    await expect(page).toHaveURL(/compare=previous-year/)
    // Nothing was posted a year earlier: every percentage is blank.
    await expect(page.getByTestId('is-net-income-comparative')).toHaveText('0.00')
    await expect(page.getByTestId('is-net-income-variance-percent')).toHaveText(/^\s*$/)
  })

  test('balance sheet: end of last month against another date, with variance and variance %', async ({ page }, testInfo) => {
    // Cash: 4,000 at the end of P; 4,000 + 5,000 − 1,000 = 8,000 at the end of L. Inventory:
    // −1,500, then −3,500 (sold from stock never bought: a negative balance shows negatives too).
    await page.goto(tenantUrl(tenant.slug, '/login'))
    await signIn(page, tenant.owner.email, tenant.owner.password)
    await page.goto(tenantUrl(tenant.slug, `/reports/balance-sheet?compareWith=date&compareAsOf=${before.to}`))
    await expect(page.getByTestId('bs-table')).toBeVisible()
    await page.getByTestId('report-preset-last-month-end').click()
    await expect(page).toHaveURL(new RegExp(`asOf=${last.to}`))
    await expect(page.getByTestId('bs-compare-heading')).toBeVisible()
    const row = (code: string) => page.locator(`[data-testid="bs-row"][data-code="${code}"]`)
    await expect(row('1000').getByTestId('bs-amount')).toHaveText('8,000.00')
    await expect(row('1000').getByTestId('bs-row-comparative')).toHaveText('4,000.00')
    await expect(row('1000').getByTestId('bs-row-variance-percent')).toHaveText('100.0%')
    await expect(row('1200').getByTestId('bs-row-variance')).toHaveText('(2,000.00)')
    await expect(row('1200').getByTestId('bs-row-variance-percent')).toHaveText('(133.3%)')
    await expect(page.getByTestId('bs-total-assets-variance-percent')).toHaveText('80.0%')
    await expect(page.getByTestId('bs-total-liabilities-equity-comparative')).toHaveText('2,500.00')
    await screenshot(page, testInfo, 'statements-balance-sheet-compared')
  })

  test.describe('on a phone', () => {
    test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 })

    test('the same choice at 390 px; the page does not scroll sideways', async ({ page }, testInfo) => {
      await page.goto(tenantUrl(tenant.slug, '/login'))
      await signIn(page, tenant.owner.email, tenant.owner.password)
      await page.goto(tenantUrl(tenant.slug, '/reports/income-statement'))
      await expect(page.getByTestId('is-table')).toBeVisible()
      await chooseLastMonthAgainstPreviousPeriod(page)
      await expectComparedFigures(page)
      await expect.poll(() => overflowsHorizontally(page)).toBe(false)
      // Every figure, the comparative columns included, is on screen across (the rows stack on a phone).
      for (const id of ['is-net-income', 'is-net-income-comparative', 'is-net-income-variance', 'is-net-income-variance-percent']) {
        const box = await page.getByTestId(id).boundingBox()
        expect(box && box.x >= 0 && box.x + box.width <= 390, id).toBe(true)
      }
      await screenshot(page, testInfo, 'statements-income-phone')
    })
  })
})

/*
 * Over a range, on the same books (P then L): the income statement by month and the general
 * ledger of every account.
 *
 *                    P        L     Total
 *   Revenue      4,000    5,000     9,000
 *   Net income   2,500    2,000     4,500
 *
 * Every account, P to L: 1000 Cash (4,000 + 5,000 − 1,000 = 8,000), 1200 Inventory (−3,500),
 * 4000 Sales (9,000), 5000 Cost of sales (3,500), 6100 Rent (1,000). The balance sheet as of each
 * month end: cash 4,000 (P), 8,000 (L).
 */
test.describe('statements over a range', () => {
  let tenant: OwnTenant
  const range = `from=${before.from}&to=${last.to}`
  test.beforeAll(async () => {
    tenant = await books()
  })

  /** Every figure of the table with text is on screen across, and nothing scrolls sideways. */
  async function expectFiguresOnScreen(page: Page, table: string) {
    await expect.poll(() => overflowsHorizontally(page)).toBe(false)
    const width = page.viewportSize()!.width
    const boxes = await page.getByTestId(table).locator('td.text-end').evaluateAll(cells => cells
      .filter(c => (c.textContent ?? '').trim() !== '')
      .map((c) => {
        const r = c.getBoundingClientRect()
        return { text: c.textContent!.trim(), left: r.left, right: r.right, wrapper: c.closest('.v-table__wrapper')!.scrollWidth - c.closest('.v-table__wrapper')!.clientWidth }
      }))
    expect(boxes.length).toBeGreaterThan(0)
    for (const b of boxes) expect(b.left >= 0 && b.right <= width && b.wrapper <= 1, `${b.text} on screen`).toBe(true)
  }

  async function byMonth(page: Page) {
    await page.goto(tenantUrl(tenant.slug, '/login'))
    await signIn(page, tenant.owner.email, tenant.owner.password)
    await page.goto(tenantUrl(tenant.slug, `/reports/income-statement?${range}`))
    await expect(page.getByTestId('is-table')).toBeVisible()
    await page.getByTestId('report-columns').click()
    await page.getByRole('option', { name: 'By month' }).click()
    await expect(page.getByTestId('is-column-heading')).toHaveCount(2)
    await expect(page.getByTestId('is-column-total-revenue')).toHaveText(['4,000.00', '5,000.00'])
    await expect(page.getByTestId('is-total-revenue')).toHaveText('9,000.00')
    await expect(page.getByTestId('is-net-income-column')).toHaveText(['2,500.00', '2,000.00'])
    await expect(page.getByTestId('is-net-income')).toHaveText('4,500.00')
  }

  async function allAccounts(page: Page) {
    await page.goto(tenantUrl(tenant.slug, `/reports/general-ledger?${range}`))
    await page.getByTestId('report-scope').click()
    await page.getByRole('option', { name: 'All accounts' }).click()
    const accounts = page.getByTestId('gl-account')
    await expect(accounts).toHaveCount(5)
    await expect(accounts.first().getByTestId('gl-row')).toHaveCount(3)
    await expect(accounts.first().getByTestId('gl-closing')).toHaveText('8,000.00')
    await expect(page.locator('[data-testid="gl-account"][data-code="1200"]').getByTestId('gl-closing')).toHaveText('(3,500.00)')
  }

  test('at desktop width: the income statement by month and the general ledger of every account', async ({ page }, testInfo) => {
    await byMonth(page)
    await screenshot(page, testInfo, 'statements-income-by-month')
    await allAccounts(page)
    await screenshot(page, testInfo, 'statements-general-ledger-all-accounts')
    // The balance sheet as of each month end: cash 4,000 at the end of P, 8,000 at the end of L.
    await page.goto(tenantUrl(tenant.slug, `/reports/balance-sheet?asOf=${last.to}&columns=month&from=${before.from}`))
    const cash = page.locator('[data-testid="bs-row"][data-code="1000"]')
    await expect(cash.getByTestId('bs-column-amount')).toHaveText('4,000.00')
    await expect(cash.getByTestId('bs-amount')).toHaveText('8,000.00')
  })

  test.describe('on a phone', () => {
    test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 })

    test('every figure of both at 390 px, without sideways scrolling', async ({ page }, testInfo) => {
      await byMonth(page)
      await expectFiguresOnScreen(page, 'is-table')
      await screenshot(page, testInfo, 'statements-income-by-month-phone')
      await allAccounts(page)
      await expectFiguresOnScreen(page, 'gl-accounts-table')
      await screenshot(page, testInfo, 'statements-general-ledger-all-accounts-phone')
    })
  })
})
