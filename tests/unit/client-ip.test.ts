import { describe, expect, it } from 'vitest'
import { clientIp } from '../../server/utils/client-ip'

const proxy = '10.0.0.5'

describe('client IP', () => {
  it('is the socket peer without a trusted proxy, whatever X-Forwarded-For says', () => {
    expect(clientIp('203.0.113.7', '198.51.100.1', 0)).toBe('198.51.100.1')
    expect(clientIp(undefined, '198.51.100.1', 0)).toBe('198.51.100.1')
  })

  it('is the entry the trusted proxy appended (the right-most), not the client-written left-most', () => {
    // The client sent "X-Forwarded-For: 1.2.3.4"; the proxy appended the address it saw.
    expect(clientIp('1.2.3.4, 203.0.113.7', proxy, 1)).toBe('203.0.113.7')
    expect(clientIp('203.0.113.7', proxy, 1)).toBe('203.0.113.7')
    // A new forged value per request does not make a new address.
    expect(clientIp('9.9.9.9, 203.0.113.7', proxy, 1)).toBe(clientIp('8.8.8.8, 203.0.113.7', proxy, 1))
  })

  it('counts n hops from the right with TRUST_PROXY=n (CDN in front of a load balancer)', () => {
    expect(clientIp('1.2.3.4, 203.0.113.7, 172.16.0.9', proxy, 2)).toBe('203.0.113.7')
    expect(clientIp('2001:db8::1, 172.16.0.9', proxy, 2)).toBe('2001:db8::1')
    // Fewer entries than hops: the left-most is the furthest any proxy saw.
    expect(clientIp('203.0.113.7', proxy, 3)).toBe('203.0.113.7')
  })

  it('falls back to the socket peer when the header is missing or the entry is not an IP address', () => {
    expect(clientIp(undefined, proxy, 1)).toBe(proxy)
    expect(clientIp('1.2.3.4, unknown', proxy, 1)).toBe(proxy)
    expect(clientIp('1.2.3.4, <script>', proxy, 1)).toBe(proxy)
    expect(clientIp(undefined, undefined, 0)).toBe('unknown')
  })
})
