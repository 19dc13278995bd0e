import { expect, test, type Locator, type Page } from '@playwright/test'
import { tenantUrl } from './support/context'
import { overflowsHorizontally, screenshot, signIn } from './support/pages'
import { createOwnTenant, type OwnTenant } from './support/tenants'

/*
 * The reports and the journal at 390 × 844. The tenant is this file's own: twenty entries in
 * January 2026, two with eight-figure amounts (the widest a figure gets in practice), and memos
 * long enough to wrap.
 */

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }
const DESKTOP = { viewport: { width: 1366, height: 900 } }

/** The widest figures: capital paid in, and the bank's balance and debit. */
const BIG = '12,345,678.90'

let tenant: OwnTenant
let bankId = ''

test.beforeAll(async () => {
  tenant = await createOwnTenant('phones', 'Phone Fitters')
  const post = async (day: number, memo: string, lines: { accountCode: string, debit?: string, credit?: string }[]) => {
    const res = await tenant.asOwner.post('/api/v1/journal-entries', { json: { date: `2026-01-${String(day).padStart(2, '0')}`, memo, post: true, lines } })
    expect(res.status, res.text).toBe(201)
  }
  await post(1, 'Owner invests the founding capital of the company', [{ accountCode: '1010', debit: '12345678.90' }, { accountCode: '3000', credit: '12345678.90' }])
  await post(2, 'Equipment bought for cash from the supplier', [{ accountCode: '1500', debit: '2345678.12' }, { accountCode: '1010', credit: '2345678.12' }])
  for (let day = 3; day <= 20; day++) {
    await post(day, `Office rent for the head office premises, instalment ${day}`, [{ accountCode: '6100', debit: `${day}00.00` }, { accountCode: '1010', credit: `${day}00.00` }])
  }
  const accounts = await tenant.asOwner.get('/api/v1/accounts')
  bankId = accounts.body.data.find((a: { code: string }) => a.code === '1010').id
})

async function openAsOwner(page: Page, path: string) {
  await page.goto(tenantUrl(tenant.slug, '/login'))
  await signIn(page, tenant.owner.email, tenant.owner.password)
  await page.goto(tenantUrl(tenant.slug, path))
}

/**
 * Every figure among `cells` that has text is visible, whole and on screen: no table scrolls
 * sideways inside its card, and each amount lies within the viewport.
 */
async function expectEveryFigureOnScreen(page: Page, cells: Locator) {
  await expect.poll(() => overflowsHorizontally(page)).toBe(false)
  const scrolling = await page.locator('.v-table__wrapper').evaluateAll(wrappers => wrappers.filter(w => w.scrollWidth > w.clientWidth + 1).length)
  expect(scrolling, 'a report table scrolls sideways').toBe(0)
  const width = page.viewportSize()!.width
  const figures = await cells.evaluateAll(all => all
    .filter(cell => (cell.textContent ?? '').trim() !== '')
    .map((cell) => {
      const text = (cell.querySelector('.tabular') ?? cell) as HTMLElement
      const range = document.createRange()
      range.selectNodeContents(text)
      const box = range.getBoundingClientRect()
      return { text: text.textContent!.trim(), left: box.left, right: box.right, shown: cell.checkVisibility() }
    }))
  expect(figures.length).toBeGreaterThan(0)
  for (const figure of figures) {
    expect(figure.shown, `${figure.text} is hidden`).toBe(true)
    expect(figure.left, `${figure.text} starts off screen`).toBeGreaterThanOrEqual(0)
    expect(figure.right, `${figure.text} ends off screen`).toBeLessThanOrEqual(width)
  }
}

/** The column title a stacked figure shows before its amount. */
function labelOf(cell: Locator): Promise<string> {
  return cell.evaluate(el => getComputedStyle(el, '::before').content)
}

test.describe('on a phone', () => {
  test.use(PHONE)

  test('the trial balance stacks each account\'s debit and credit under it, every amount on screen', async ({ page }, testInfo) => {
    await openAsOwner(page, '/reports/trial-balance?asOf=2026-01-31')
    const bank = page.locator('[data-testid="tb-row"][data-code="1010"]')
    await expect(bank.getByTestId('tb-debit')).toHaveText('9,979,300.78')
    await expect(page.locator('[data-testid="tb-row"][data-code="3000"]').getByTestId('tb-credit')).toHaveText(BIG)
    await expect(page.getByTestId('tb-total-credit')).toHaveText('12,345,678.90')
    await expectEveryFigureOnScreen(page, page.getByTestId('tb-table').locator('td.text-end'))
    // Each figure says which column it is; the blank side of a row takes no line.
    expect(await labelOf(bank.getByTestId('tb-debit'))).toBe('"Debit"')
    expect(await labelOf(page.getByTestId('tb-total-credit'))).toBe('"Credit"')
    await expect(bank.getByTestId('tb-credit')).toBeHidden()
    await screenshot(page, testInfo, 'phones-trial-balance')
  })

  test('the general ledger shows every debit, credit and balance without scrolling sideways', async ({ page }, testInfo) => {
    await openAsOwner(page, `/reports/general-ledger?accountId=${bankId}&from=2026-01-01&to=2026-01-31`)
    await expect(page.getByTestId('gl-row')).toHaveCount(20)
    await expect(page.getByTestId('gl-row').first().getByTestId('gl-debit')).toHaveText(BIG)
    await expect(page.getByTestId('gl-row').first().getByTestId('gl-balance')).toHaveText(BIG)
    await expect(page.getByTestId('gl-row').nth(1).getByTestId('gl-credit')).toHaveText('2,345,678.12')
    await expectEveryFigureOnScreen(page, page.getByTestId('gl-table').locator('td.text-end'))
    expect(await labelOf(page.getByTestId('gl-row').first().getByTestId('gl-balance'))).toBe('"Balance"')
    expect(await labelOf(page.getByTestId('gl-closing'))).toBe('"Balance"')
    await screenshot(page, testInfo, 'phones-general-ledger')
  })

  test('the balance sheet shows every amount', async ({ page }, testInfo) => {
    await openAsOwner(page, '/reports/balance-sheet?asOf=2026-01-31')
    await expect(page.locator('[data-testid="bs-row"][data-code="3000"]').getByTestId('bs-amount')).toHaveText(BIG)
    await expect(page.getByTestId('bs-balanced')).toHaveText('Assets = liabilities + equity')
    await expectEveryFigureOnScreen(page, page.getByTestId('bs-table').locator('td.text-end'))
    await screenshot(page, testInfo, 'phones-balance-sheet')
  })

  test('a statement with a comparative column stacks both amounts under each account', async ({ page }, testInfo) => {
    // The comparative period as the income statement on main takes it from the URL.
    await openAsOwner(page, '/reports/income-statement?from=2026-01-01&to=2026-01-31&compareFrom=2025-12-01&compareTo=2025-12-31')
    await expect(page.getByTestId('is-total-operating-expenses')).toHaveText('20,700.00')
    await expectEveryFigureOnScreen(page, page.getByTestId('is-table').locator('td.text-end'))
    // The labels are copied from the header once the rows are there: polled, not read once.
    await expect.poll(() => labelOf(page.getByTestId('is-total-operating-expenses'))).toContain('1 Jan 2026')
    await screenshot(page, testInfo, 'phones-income-statement-compared')
  })

  test('the journal is a compact list: one line per entry with its number, date, memo, amount and status', async ({ page }, testInfo) => {
    await openAsOwner(page, '/ledger/journal')
    // The rows of the phone list (the server may have rendered the table for a desktop browser).
    const rows = page.getByTestId('journal-table').locator('.v-list-item[data-testid="entry-row"]')
    await expect(rows).toHaveCount(20)
    const first = rows.first()
    await expect(first).toContainText('20')
    await expect(first).toContainText('20 Jan 2026')
    await expect(first).toContainText('Office rent')
    await expect(first).toContainText('2,000.00')
    await expect(first.getByTestId('entry-status-posted')).toBeVisible()
    await expect.poll(() => overflowsHorizontally(page)).toBe(false)

    // One line each (a two-line row with a chip under it was about 100 px), so twenty fit in
    // about two screens with the filters above them.
    const heights = await rows.evaluateAll(all => all.map(row => row.getBoundingClientRect().height))
    for (const height of heights) expect(height).toBeLessThanOrEqual(48)
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThan(1800)
    // Number, date, amount and status are whole and inside the row; only the memo gives way.
    const cut = await rows.evaluateAll(all => all.flatMap((row) => {
      const edge = row.querySelector('.v-list-item__content')!.getBoundingClientRect().right
      return Array.from(row.querySelectorAll('.journal-line > :not(.journal-line__memo)'))
        .filter(part => part.scrollWidth > part.clientWidth + 1 || part.getBoundingClientRect().right > edge)
        .map(part => part.textContent!.trim())
    }))
    expect(cut).toEqual([])
    await screenshot(page, testInfo, 'phones-journal')

    await first.click()
    await expect(page).toHaveURL(/\/ledger\/journal\/[0-9a-f-]{36}$/)
  })
})

test.describe('on a desktop', () => {
  test.use(DESKTOP)

  test('the reports keep their columns and the journal its table', async ({ page }, testInfo) => {
    await openAsOwner(page, '/reports/trial-balance?asOf=2026-01-31')
    await expect(page.getByTestId('tb-table').getByRole('columnheader', { name: 'Credit' })).toBeVisible()
    await expect(page.locator('[data-testid="tb-row"][data-code="3000"]').getByTestId('tb-credit')).toHaveText(BIG)
    expect(await labelOf(page.getByTestId('tb-total-credit'))).toBe('none')
    await screenshot(page, testInfo, 'phones-desktop-trial-balance')

    await page.goto(tenantUrl(tenant.slug, `/reports/general-ledger?accountId=${bankId}&from=2026-01-01&to=2026-01-31`))
    await expect(page.getByTestId('gl-table').getByRole('columnheader', { name: 'Balance' })).toBeVisible()
    await expect(page.getByTestId('gl-row')).toHaveCount(20)
    await screenshot(page, testInfo, 'phones-desktop-general-ledger')

    await page.goto(tenantUrl(tenant.slug, '/ledger/journal'))
    await expect(page.getByTestId('journal-table').getByRole('columnheader', { name: 'Memo' })).toBeVisible()
    await expect(page.getByTestId('entry-row')).toHaveCount(20)
    await screenshot(page, testInfo, 'phones-desktop-journal')
  })
})
