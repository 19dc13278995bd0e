import { isIP } from 'node:net'

/**
 * The client's address for throttling and the audit log.
 *
 * Without a trusted proxy (`hops` 0) it is the socket's peer: X-Forwarded-For is written by the
 * client and ignored. With `hops` trusted proxies, each appends the address it received the request
 * from, so the entry `hops` places from the right was written by our outermost trusted proxy; every
 * entry left of it is the client's own text (a new one per request would make a new "address").
 * When the header has fewer entries than `hops`, the leftmost is the best there is. An entry that
 * is not an IP address (a misconfigured proxy) falls back to the socket's peer.
 */
export function clientIp(forwardedFor: string | undefined, remoteAddress: string | undefined, hops: number): string {
  const peer = remoteAddress || 'unknown'
  if (hops <= 0 || !forwardedFor) return peer
  const entries = forwardedFor.split(',').map(s => s.trim()).filter(Boolean)
  const candidate = entries[Math.max(0, entries.length - hops)]
  return candidate && isIP(candidate) ? candidate : peer
}
