/**
 * Field encryption at rest (SPEC §4): AES-256-GCM under ENCRYPTION_KEY, and a keyed hash beside a
 * ciphertext so equal values can be found without decrypting.
 *
 * A ciphertext is `v1:<keyId>:<iv>:<tag>:<data>` (base64url parts). The key id is derived from the
 * key itself (the first 8 bytes of SHA-256 over a label and the key), so no id has to be configured:
 * after a rotation ENCRYPTION_KEY is the new key and ENCRYPTION_KEYS_RETIRED lists the old ones, which
 * still decrypt what they wrote; new values are always written with the current key. A ciphertext is
 * bound to its context (additional authenticated data, e.g. the tenant id): copied into another
 * tenant it does not decrypt.
 *
 * The keyed hash is HMAC-SHA256 under a key derived (HKDF) from the current key, over the context
 * and the normalised value, prefixed with the key id: values hashed under different keys never
 * compare equal, so after a rotation stored hashes must be recomputed to keep finding duplicates.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto'
import { useConfig } from './config'

const VERSION = 'v1'

export interface Keyring {
  /** The key new values are written with, and its id. */
  current: { id: string, key: Buffer }
  /** Every key that can still decrypt, the current one included, by id. */
  byId: Map<string, Buffer>
}

/** A ciphertext that is malformed, tampered with, from another context or under a key not in the ring. */
export class DecryptionError extends Error {}

const b64 = (buf: Buffer) => buf.toString('base64url')

/** The public id of a key: 16 hex digits of SHA-256 over a label and the key. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('paksa field key id\0').update(key).digest('hex').slice(0, 16)
}

function decodeKey(base64: string): Buffer {
  const key = Buffer.from(base64, 'base64')
  if (key.length !== 32) throw new Error('an encryption key must be 32 bytes (base64)')
  return key
}

/** A keyring from the current key and the retired ones (base64, 32 bytes each). */
export function makeKeyring(currentBase64: string, retiredBase64: readonly string[] = []): Keyring {
  const key = decodeKey(currentBase64)
  const current = { id: keyIdOf(key), key }
  const byId = new Map<string, Buffer>()
  for (const old of retiredBase64) {
    const k = decodeKey(old)
    byId.set(keyIdOf(k), k)
  }
  byId.set(current.id, key)
  return { current, byId }
}

let ring: Keyring | undefined

/** The process's keyring, from the configuration (ENCRYPTION_KEY, ENCRYPTION_KEYS_RETIRED). */
export function useKeyring(): Keyring {
  if (!ring) {
    const config = useConfig()
    ring = makeKeyring(config.encryptionKey, config.retiredEncryptionKeys)
  }
  return ring
}

/** Encrypts `plaintext` under the current key, bound to `context`. */
export function encryptField(plaintext: string, context: string, keys: Keyring = useKeyring()): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', keys.current.key, iv)
  cipher.setAAD(Buffer.from(context, 'utf8'))
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return [VERSION, keys.current.id, b64(iv), b64(cipher.getAuthTag()), b64(data)].join(':')
}

/** The key id a ciphertext names (for a rewrap after a rotation). */
export function keyIdOfCiphertext(ciphertext: string): string | undefined {
  const parts = ciphertext.split(':')
  return parts.length === 5 && parts[0] === VERSION ? parts[1] : undefined
}

/** Decrypts a value encryptField wrote with any key in the ring and the same `context`; DecryptionError otherwise. */
export function decryptField(ciphertext: string, context: string, keys: Keyring = useKeyring()): string {
  const parts = ciphertext.split(':')
  if (parts.length !== 5 || parts[0] !== VERSION) throw new DecryptionError('not a ciphertext of this format')
  const [, keyId, iv, tag, data] = parts as [string, string, string, string, string]
  const key = keys.byId.get(keyId)
  if (!key) throw new DecryptionError(`the key ${keyId} is not configured`)
  const ivBytes = Buffer.from(iv, 'base64url')
  const tagBytes = Buffer.from(tag, 'base64url')
  if (ivBytes.length !== 12 || tagBytes.length !== 16) throw new DecryptionError('not a ciphertext of this format')
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, ivBytes, { authTagLength: 16 })
    decipher.setAAD(Buffer.from(context, 'utf8'))
    decipher.setAuthTag(tagBytes)
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8')
  }
  catch {
    throw new DecryptionError('the ciphertext does not authenticate (tampered with, or another context)')
  }
}

const hashKeys = new WeakMap<Buffer, Buffer>()

function hashKeyOf(key: Buffer): Buffer {
  let derived = hashKeys.get(key)
  if (!derived) {
    derived = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'paksa keyed hash v1', 32))
    hashKeys.set(key, derived)
  }
  return derived
}

/**
 * `<keyId>:<hex>`: HMAC-SHA256 of `value` in `context` under a key derived from the current key.
 * The caller normalises `value` (equal accounts must give equal strings).
 */
export function keyedHash(value: string, context: string, keys: Keyring = useKeyring()): string {
  const mac = createHmac('sha256', hashKeyOf(keys.current.key)).update(context, 'utf8').update('\0').update(value, 'utf8').digest('hex')
  return `${keys.current.id}:${mac}`
}
