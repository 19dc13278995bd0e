import { describe, expect, it } from 'vitest'
import { classifyHost, RESERVED_SLUGS, slugProblem } from '../../server/domain/tenancy/slug'

describe('tenant slugs', () => {
  it.each(['acme', 'abc', 'a1b', 'acme-corp', 'a-b-c', 'x2024', `a${'b'.repeat(30)}c`])('accepts %s', (slug) => {
    expect(slugProblem(slug)).toBeNull()
  })

  it.each([
    ['ab', 'too short (2 characters)'],
    [`a${'b'.repeat(31)}c`, 'too long (33 characters)'],
    ['1acme', 'starts with a digit'],
    ['-acme', 'starts with a hyphen'],
    ['acme-', 'ends with a hyphen'],
    ['Acme', 'upper case'],
    ['ac me', 'contains a space'],
    ['ac_me', 'contains an underscore'],
    ['ac.me', 'contains a dot'],
    ['acmé', 'contains a non-ASCII letter'],
    ['', 'is empty'],
  ])('refuses %j (%s)', (slug) => {
    expect(slugProblem(slug)).toMatch(/characters/)
  })

  it('refuses punycode labels (xn--)', () => {
    expect(slugProblem('xn--abc')).toMatch(/punycode/)
    expect(slugProblem('xn--80ak6aa92e')).toMatch(/punycode/)
  })

  it.each(['admin', 'www', 'api', 'app', 'mail', 'static', 'assets', 'cdn', 'status', 'docs', 'auth', 'billing', 'support'])('reserves %s', (slug) => {
    expect(RESERVED_SLUGS.has(slug)).toBe(true)
    expect(slugProblem(slug)).toBe('is reserved')
  })

  it('reserves exactly the names the specification lists', () => {
    expect([...RESERVED_SLUGS].sort()).toEqual(['admin', 'api', 'app', 'assets', 'auth', 'billing', 'cdn', 'docs', 'mail', 'static', 'status', 'support', 'www'])
  })
})

describe('classifying the Host header', () => {
  const base = 'localhost'

  it('takes the left label under the base domain as the tenant slug', () => {
    expect(classifyHost('acme.localhost', base)).toEqual({ kind: 'tenant', slug: 'acme' })
  })

  it('ignores the port', () => {
    expect(classifyHost('acme.localhost:3000', base)).toEqual({ kind: 'tenant', slug: 'acme' })
    expect(classifyHost('localhost:3000', base)).toEqual({ kind: 'apex' })
    expect(classifyHost('admin.localhost:8443', base)).toEqual({ kind: 'admin' })
  })

  it('is case-insensitive and lower-cases the slug', () => {
    expect(classifyHost('ACME.LocalHost:3000', base)).toEqual({ kind: 'tenant', slug: 'acme' })
    expect(classifyHost('ADMIN.LOCALHOST', base)).toEqual({ kind: 'admin' })
  })

  it('accepts a fully qualified host with a trailing dot', () => {
    expect(classifyHost('acme.localhost.', base)).toEqual({ kind: 'tenant', slug: 'acme' })
    expect(classifyHost('acme.localhost.:3000', base)).toEqual({ kind: 'tenant', slug: 'acme' })
  })

  it('serves the back-office on admin', () => {
    expect(classifyHost('admin.localhost', base)).toEqual({ kind: 'admin' })
  })

  it('serves the apex (landing and sign-up) on the base domain and on www', () => {
    expect(classifyHost('localhost', base)).toEqual({ kind: 'apex' })
    expect(classifyHost('www.localhost', base)).toEqual({ kind: 'apex' })
  })

  it('recognises bare IPv4 and IPv6 addresses', () => {
    expect(classifyHost('127.0.0.1', base)).toEqual({ kind: 'ip' })
    expect(classifyHost('10.0.0.12:3000', base)).toEqual({ kind: 'ip' })
    expect(classifyHost('[::1]:3000', base)).toEqual({ kind: 'ip' })
    expect(classifyHost('[::1]', base)).toEqual({ kind: 'ip' })
  })

  it('treats foreign domains as unknown', () => {
    expect(classifyHost('acme.example.com', base)).toEqual({ kind: 'unknown' })
    expect(classifyHost('evil.com:3000', base)).toEqual({ kind: 'unknown' })
    expect(classifyHost('notlocalhost', base)).toEqual({ kind: 'unknown' })
    expect(classifyHost('acmelocalhost', base)).toEqual({ kind: 'unknown' })
    expect(classifyHost('', base)).toEqual({ kind: 'unknown' })
  })

  it('treats nested labels as unknown, not as a tenant', () => {
    expect(classifyHost('x.acme.localhost', base)).toEqual({ kind: 'unknown' })
    expect(classifyHost('acme.admin.localhost', base)).toEqual({ kind: 'unknown' })
  })

  it('treats reserved names other than admin and www as unknown', () => {
    for (const slug of ['api', 'app', 'mail', 'static', 'assets', 'cdn', 'status', 'docs', 'auth', 'billing', 'support']) {
      expect(classifyHost(`${slug}.localhost`, base)).toEqual({ kind: 'unknown' })
    }
  })

  it('treats labels that are not valid slugs as unknown', () => {
    expect(classifyHost('xn--abc.localhost', base)).toEqual({ kind: 'unknown' })
    expect(classifyHost('ab.localhost', base)).toEqual({ kind: 'unknown' })
    expect(classifyHost('-acme.localhost', base)).toEqual({ kind: 'unknown' })
    expect(classifyHost('acme_corp.localhost', base)).toEqual({ kind: 'unknown' })
    expect(classifyHost(`a${'b'.repeat(40)}.localhost`, base)).toEqual({ kind: 'unknown' })
  })

  it('works under a multi-label base domain', () => {
    const prod = 'paksa.example'
    expect(classifyHost('acme.paksa.example', prod)).toEqual({ kind: 'tenant', slug: 'acme' })
    expect(classifyHost('paksa.example', prod)).toEqual({ kind: 'apex' })
    expect(classifyHost('admin.paksa.example:443', prod)).toEqual({ kind: 'admin' })
    expect(classifyHost('acme.localhost', prod)).toEqual({ kind: 'unknown' })
    expect(classifyHost('acme.evilpaksa.example', prod)).toEqual({ kind: 'unknown' })
    expect(classifyHost('paksa.example.evil.com', prod)).toEqual({ kind: 'unknown' })
  })
})
