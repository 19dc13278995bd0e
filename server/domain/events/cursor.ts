/**
 * The feed's cursor: the position of the last event handed out, `(txid, seq)` (migration 0017),
 * opaque on the wire (base64url of `"<txid>.<seq>"`). No framework imports: the contract decodes it,
 * so a malformed cursor is a 400 VALIDATION_FAILED before any query runs.
 */
export interface FeedPosition {
  /** The writing transaction's id (xid8), a decimal string: it can exceed 2^53. */
  txid: string
  /** The event's insertion order (bigint identity), a decimal string. */
  seq: string
}

/** The position before every event: where a follower without a cursor starts. */
export const FEED_START: FeedPosition = { txid: '0', seq: '0' }

const POSITION = /^(0|[1-9]\d{0,19})\.(0|[1-9]\d{0,18})$/
const MAX_XID8 = BigInt('18446744073709551615')
const MAX_BIGINT = BigInt('9223372036854775807')

// btoa/atob, not Buffer: the pages bundle this too. The text is ASCII digits and a dot.
const toBase64url = (s: string) => btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
function fromBase64url(s: string): string | undefined {
  try {
    return atob(s.replace(/-/g, '+').replace(/_/g, '/'))
  }
  catch {
    return undefined
  }
}

export function encodeCursor(p: FeedPosition): string {
  return toBase64url(`${p.txid}.${p.seq}`)
}

/** The position a cursor names, or undefined when it is none this API handed out. */
export function decodeCursor(cursor: string): FeedPosition | undefined {
  if (!/^[A-Za-z0-9_-]{1,60}$/.test(cursor)) return undefined
  const m = POSITION.exec(fromBase64url(cursor) ?? '')
  if (!m) return undefined
  const [, txid = '', seq = ''] = m
  if (BigInt(txid) > MAX_XID8 || BigInt(seq) > MAX_BIGINT) return undefined
  // Only the canonical spelling: one position, one cursor.
  if (encodeCursor({ txid, seq }) !== cursor) return undefined
  return { txid, seq }
}
