/**
 * Page benchmark: what a customer's browser downloads and waits for, and what the server spends
 * rendering a page.
 *   (a) Chromium (cold cache, a new browser context per page) loads the login page, the dashboard,
 *       the journal and the trial balance over an emulated 1.6 Mbps / 150 ms link, and prints the
 *       bytes transferred (compressed, headers included) for HTML, JS, CSS and the rest, first
 *       contentful paint and the load event; goals: dashboard HTML ≤ 60 KB, first-load JS ≤ 250 KB,
 *       load ≤ 3 s.
 *   (b) The dashboard's server render with 20 concurrent signed-in users against one user alone
 *       (the baseline of the same run); goal: p95 ≤ 150 ms.
 *
 * Run: `npm run bench:pages` after `flock /tmp/paksa-build.lock npx nuxt build` (`BENCH_CPU_PROF=<folder>`:
 * the server writes a CPU profile there, bench/cpu-profile.ts reads it). See bench/README.md.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { Agent } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext } from '@playwright/test'
import { createTestDatabase, type TestDatabase } from '../tests/support/database'
import { adminSignIn, createTenantVia, send, type Target } from '../tests/support/http'
import { linesOf, postEntry } from '../tests/support/ledger'
import type { RunningServer } from '../tests/support/server'
import { startBenchServer } from './support/harness'

const LINK = { latencyMs: 150, downloadBitsPerSecond: 1_600_000, uploadBitsPerSecond: 750_000 }
const SSR_USERS = 20
const SSR_REQUESTS = Number(process.env.BENCH_SSR_REQUESTS ?? 400)
const SSR_ALONE = 40
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
const GOALS = { dashboardHtmlKb: 60, firstLoadJsKb: 250, loadSeconds: 3, ssrP95Ms: 150 }

interface PageLoad { name: string, bytes: Record<'html' | 'js' | 'css' | 'other', number>, requests: number, fcpMs: number, loadMs: number }

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
const percentile = (sorted: number[], p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!

/** One cold load of `url` in a fresh context (given cookies, no cache) over the emulated link. */
async function loadCold(browser: Browser, name: string, url: string, cookies: Awaited<ReturnType<BrowserContext['cookies']>>): Promise<PageLoad> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-GB', timezoneId: 'UTC' })
  try {
    if (cookies.length) await context.addCookies(cookies)
    const page = await context.newPage()
    const cdp = await context.newCDPSession(page)
    await cdp.send('Network.enable')
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: LINK.latencyMs,
      downloadThroughput: LINK.downloadBitsPerSecond / 8,
      uploadThroughput: LINK.uploadBitsPerSecond / 8,
    })
    const types = new Map<string, string>()
    const bytes = { html: 0, js: 0, css: 0, other: 0 }
    let requests = 0
    cdp.on('Network.responseReceived', e => types.set(e.requestId, e.type))
    cdp.on('Network.loadingFinished', (e) => {
      requests++
      const type = types.get(e.requestId)
      const kind = type === 'Document' ? 'html' : type === 'Script' ? 'js' : type === 'Stylesheet' ? 'css' : 'other'
      bytes[kind] += e.encodedDataLength
    })
    await page.goto(url, { waitUntil: 'load', timeout: 120_000 })
    // Requests the page starts once hydrated (its data) belong to its first load too.
    await page.waitForLoadState('networkidle', { timeout: 120_000 })
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
      const fcp = performance.getEntriesByName('first-contentful-paint')[0]
      return { loadMs: nav.loadEventEnd - nav.startTime, fcpMs: fcp ? fcp.startTime : Number.NaN }
    })
    return { name, bytes, requests, ...timing }
  }
  finally {
    await context.close()
  }
}

/** `count` GETs of `path` on `workers` concurrent loops; the sorted latencies in ms. */
/** utime + stime of a process in milliseconds (/proc/<pid>/stat, clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

async function timeGets(target: Target, host: string, path: string, cookie: string, workers: number, count: number): Promise<number[]> {
  const latencies: number[] = []
  let next = 0
  await Promise.all(Array.from({ length: workers }, async () => {
    while (next < count) {
      next++
      const started = performance.now()
      const res = await send(target, 'GET', host, path, { headers: { cookie, accept: 'text/html' } })
      if (res.status !== 200 || !res.text.includes('<html')) throw new Error(`GET ${path}: ${res.status}`)
      latencies.push(performance.now() - started)
    }
  }))
  return latencies.sort((a, b) => a - b)
}

async function main() {
  let db: TestDatabase | undefined
  let server: RunningServer | undefined
  let browser: Browser | undefined
  const dataDir = mkdtempSync(join(tmpdir(), 'paksa-bench-pages-'))
  const agent = new Agent({ keepAlive: true, maxSockets: SSR_USERS })
  try {
    db = await createTestDatabase()
    const bench = await startBenchServer(db.url, dataDir)
    server = bench.server
    const admin = bench.admin
    const target: Target = { baseUrl: server.url, agent, timeoutMs: 60_000 }
    const tenant = await createTenantVia(target, server.port, await adminSignIn(target, server.port, admin), { prefix: 'pages', chartOfAccounts: 'standard', name: 'Bench Trading Ltd' })
    // A year of books: capital, then each month a sale and two expenses.
    const year = new Date().getUTCFullYear()
    await postEntry(tenant.asOwner, { date: `${year - 1}-12-01`, memo: 'Capital', lines: linesOf([['1000', '50000.00', ''], ['3000', '', '50000.00']]), post: true })
    const today = new Date().toISOString().slice(0, 10)
    for (let m = 1; m <= 12; m++) {
      const date = `${year}-${String(m).padStart(2, '0')}-05`
      if (date > today) break
      await postEntry(tenant.asOwner, { date, memo: 'Sales', lines: linesOf([['1000', '8400.00', ''], ['4000', '', '8400.00']]), post: true })
      await postEntry(tenant.asOwner, { date, memo: 'Rent', lines: linesOf([['6000', '2100.00', ''], ['1000', '', '2100.00']]), post: true })
    }
    console.log(`page bench: server ${server.url}, tenant ${tenant.slug}, Chromium ${CHROMIUM}`)

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
    const origin = `http://${tenant.host}`
    // Signed in once through the form; each measured load gets the session cookies in a new, empty-cache context.
    const signedIn = await browser.newContext()
    const page = await signedIn.newPage()
    await page.goto(`${origin}/login`)
    await page.getByTestId('login-email').fill(tenant.owner.email)
    await page.getByTestId('login-password').fill(tenant.owner.password)
    await page.getByTestId('login-submit').click()
    await page.waitForURL(url => !url.pathname.startsWith('/login'))
    const cookies = await signedIn.cookies()
    await signedIn.close()

    // BENCH_PAGES=ssr: only (b), e.g. for a CPU profile of the server render alone.
    const ssrOnly = process.env.BENCH_PAGES === 'ssr'
    if (!ssrOnly) console.log(`\n(a) cold loads at ${LINK.downloadBitsPerSecond / 1e6} Mbps down, ${LINK.uploadBitsPerSecond / 1e3} kbps up, ${LINK.latencyMs} ms latency (bytes on the wire, headers included)`)
    const loads: PageLoad[] = []
    for (const [name, path, withCookies] of ssrOnly ? [] : [['login', '/login', false], ['dashboard', '/', true], ['journal', '/ledger/journal', true], ['trial balance', '/reports/trial-balance', true]] as const) {
      const load = await loadCold(browser, name, `${origin}${path}`, withCookies ? cookies : [])
      loads.push(load)
      console.log(`  ${name.padEnd(14)} HTML ${kb(load.bytes.html).padStart(9)}  JS ${kb(load.bytes.js).padStart(9)}  CSS ${kb(load.bytes.css).padStart(9)}  other ${kb(load.bytes.other).padStart(9)}  (${load.requests} requests)  FCP ${(load.fcpMs / 1000).toFixed(2)} s  load ${(load.loadMs / 1000).toFixed(2)} s`)
    }

    const cookieHeader = cookies.filter(c => c.domain === tenant.host.split(':')[0]).map(c => `${c.name}=${c.value}`).join('; ')
    console.log(`\n(b) dashboard server render (GET / as HTML, signed in), ${SSR_ALONE} requests alone, then ${SSR_REQUESTS} from ${SSR_USERS} concurrent users`)
    await timeGets(target, tenant.host, '/', cookieHeader, 1, 5) // warm-up
    const serverPid = server.process.pid!
    const cpuBefore = cpuMs(serverPid)
    const alone = await timeGets(target, tenant.host, '/', cookieHeader, 1, SSR_ALONE)
    const cpuAlone = (cpuMs(serverPid) - cpuBefore) / SSR_ALONE
    const started = performance.now()
    const cpuCrowdBefore = cpuMs(serverPid)
    const crowd = await timeGets(target, tenant.host, '/', cookieHeader, SSR_USERS, SSR_REQUESTS)
    const seconds = (performance.now() - started) / 1000
    const cpuCrowd = (cpuMs(serverPid) - cpuCrowdBefore) / SSR_REQUESTS
    console.log(`  server CPU per render (/proc, all threads): alone ${cpuAlone.toFixed(1)} ms, with ${SSR_USERS} users ${cpuCrowd.toFixed(1)} ms`)
    console.log(`  one user:  p50 ${percentile(alone, 0.5).toFixed(1)} ms  p95 ${percentile(alone, 0.95).toFixed(1)} ms`)
    console.log(`  ${SSR_USERS} users: p50 ${percentile(crowd, 0.5).toFixed(1)} ms  p95 ${percentile(crowd, 0.95).toFixed(1)} ms  p99 ${percentile(crowd, 0.99).toFixed(1)} ms  (${(SSR_REQUESTS / seconds).toFixed(1)} pages/s)`)
    const html = await send(target, 'GET', tenant.host, '/', { headers: { cookie: cookieHeader, accept: 'text/html' } })
    console.log(`  one render's HTML: ${kb(Buffer.byteLength(html.text))} uncompressed`)
    console.log(`  ratio p95 with ${SSR_USERS} users / p50 alone: ${(percentile(crowd, 0.95) / percentile(alone, 0.5)).toFixed(2)}`)

    const dashboard = loads.find(l => l.name === 'dashboard')
    console.log('\ngoals')
    if (dashboard) console.log(`  dashboard HTML ≤ ${GOALS.dashboardHtmlKb} KB: ${kb(dashboard.bytes.html)} ${dashboard.bytes.html <= GOALS.dashboardHtmlKb * 1024 ? 'met' : 'NOT met'}`)
    for (const load of loads) {
      console.log(`  ${load.name}: first-load JS ≤ ${GOALS.firstLoadJsKb} KB: ${kb(load.bytes.js)} ${load.bytes.js <= GOALS.firstLoadJsKb * 1024 ? 'met' : 'NOT met'}; load ≤ ${GOALS.loadSeconds} s: ${(load.loadMs / 1000).toFixed(2)} s ${load.loadMs <= GOALS.loadSeconds * 1000 ? 'met' : 'NOT met'}`)
    }
    console.log(`  dashboard SSR p95 with ${SSR_USERS} users ≤ ${GOALS.ssrP95Ms} ms: ${percentile(crowd, 0.95).toFixed(1)} ms ${percentile(crowd, 0.95) <= GOALS.ssrP95Ms ? 'met' : 'NOT met'}`)
  }
  finally {
    await browser?.close().catch(() => {})
    await server?.stop().catch(() => {})
    await db?.drop().catch(err => console.error('bench: could not drop the database:', err))
    rmSync(dataDir, { recursive: true, force: true })
    agent.destroy()
  }
}

main().catch((err) => {
  console.error(err)
  process.exitCode = 1
})
