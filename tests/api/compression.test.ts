/**
 * Compressed answers (server/plugins/02.compression.ts): pages and JSON go out as brotli or gzip
 * when the client accepts it, decode to exactly what an uncompressed answer carries, and say
 * `Vary: Accept-Encoding`; error pages (rendered by Nuxt through an internal request) arrive
 * readable too.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { inject, beforeAll, describe, expect, it } from 'vitest'
import { createTenant, hosts, rawRequest, type TestTenant } from '../support/api'

let t: TestTenant
beforeAll(async () => {
  t = await createTenant({ prefix: 'gz', chartOfAccounts: 'standard' })
})

const get = (host: string, path: string, headers: Record<string, string> = {}) =>
  rawRequest(`${inject('baseUrl')}${path}`, 'GET', { host, ...headers })

describe('compression', () => {
  it('sends JSON as brotli or gzip when accepted, the same document as without', async () => {
    const auth = { authorization: `Bearer ${t.owner.token}` }
    const plain = await get(t.host, '/api/v1/accounts', auth)
    expect(plain.status).toBe(200)
    expect(plain.headers.get('content-encoding')).toBeNull()
    const br = await get(t.host, '/api/v1/accounts', { ...auth, 'accept-encoding': 'gzip, deflate, br' })
    expect(br.headers.get('content-encoding')).toBe('br')
    expect(br.headers.get('vary')).toMatch(/accept-encoding/i)
    expect(br.bytes.length).toBeLessThan(plain.bytes.length / 3)
    expect(JSON.parse(brotliDecompressSync(br.bytes).toString('utf8'))).toEqual(JSON.parse(plain.text))
    const gz = await get(t.host, '/api/v1/accounts', { ...auth, 'accept-encoding': 'gzip' })
    expect(gz.headers.get('content-encoding')).toBe('gzip')
    expect(JSON.parse(gunzipSync(gz.bytes).toString('utf8'))).toEqual(JSON.parse(plain.text))
  })

  it('compresses a server-rendered page', async () => {
    const page = await get(hosts.apex(), '/', { 'accept-encoding': 'br' })
    expect(page.status).toBe(200)
    expect(page.headers.get('content-encoding')).toBe('br')
    expect(brotliDecompressSync(page.bytes).toString('utf8')).toMatch(/^<!DOCTYPE html>/i)
  })

  it('sends an error page readable to a client that accepts brotli', async () => {
    const missing = await get(hosts.tenant('no-such-tenant-gz'), '/login', { 'accept-encoding': 'br', 'accept': 'text/html' })
    expect(missing.status).toBe(404)
    const encoding = missing.headers.get('content-encoding')
    const html = encoding === 'br' ? brotliDecompressSync(missing.bytes).toString('utf8') : missing.text
    expect(html).toMatch(/<html/i)
  })

  it('leaves small answers and file downloads as they are', async () => {
    const health = await get(hosts.apex(), '/api/health', { 'accept-encoding': 'br' })
    expect(health.status).toBe(200)
    expect(health.headers.get('content-encoding')).toBeNull()
    const pdf = await get(t.host, '/api/v1/reports/trial-balance?format=pdf', { 'authorization': `Bearer ${t.owner.token}`, 'accept-encoding': 'br' })
    expect(pdf.status).toBe(200)
    expect(pdf.headers.get('content-encoding')).toBeNull()
    expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-')
  })
})
