import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { decryptField, DecryptionError, encryptField, keyedHash, keyIdOf, keyIdOfCiphertext, makeKeyring } from '../../server/core/encryption'
import { isValidBic, isValidIban, maskAccountNumber, maskBankAccount, normaliseAccountNumber } from '../../shared/purchases/bank-account'

const newKey = () => randomBytes(32).toString('base64')
const ring = makeKeyring(newKey())
const TENANT = 'tenant-a'

describe('field encryption (AES-256-GCM with a key id)', () => {
  it('round-trips a value, and never writes the same ciphertext twice', () => {
    const a = encryptField('DE89370400440532013000', TENANT, ring)
    const b = encryptField('DE89370400440532013000', TENANT, ring)
    expect(a).not.toBe(b)
    expect(a).not.toContain('DE89')
    expect(decryptField(a, TENANT, ring)).toBe('DE89370400440532013000')
    expect(decryptField(b, TENANT, ring)).toBe('DE89370400440532013000')
  })

  it('names its key in every ciphertext: v1:<keyId>:<iv>:<tag>:<data>', () => {
    const c = encryptField('x', TENANT, ring)
    expect(c).toMatch(/^v1:[0-9a-f]{16}:[\w-]+:[\w-]+:[\w-]*$/)
    expect(keyIdOfCiphertext(c)).toBe(ring.current.id)
    expect(ring.current.id).toBe(keyIdOf(ring.current.key))
  })

  it('refuses a tampered ciphertext (data, tag or iv changed)', () => {
    const c = encryptField('{"iban":"DE89370400440532013000"}', TENANT, ring)
    const [v, kid, iv, tag, data] = c.split(':') as [string, string, string, string, string]
    const flip = (s: string) => {
      const buf = Buffer.from(s, 'base64url')
      buf[0] = buf[0]! ^ 1
      return buf.toString('base64url')
    }
    for (const forged of [[v, kid, iv, tag, flip(data)], [v, kid, iv, flip(tag), data], [v, kid, flip(iv), tag, data]]) {
      expect(() => decryptField(forged.join(':'), TENANT, ring)).toThrow(DecryptionError)
    }
    expect(() => decryptField('v1:abc', TENANT, ring)).toThrow(DecryptionError)
    expect(() => decryptField(`v2:${kid}:${iv}:${tag}:${data}`, TENANT, ring)).toThrow(DecryptionError)
  })

  it('refuses a ciphertext bound to another context (copied into another tenant)', () => {
    const c = encryptField('secret', TENANT, ring)
    expect(() => decryptField(c, 'tenant-b', ring)).toThrow(DecryptionError)
  })

  it('refuses a ciphertext under a key id it does not hold, or with the id of another key', () => {
    const stranger = makeKeyring(newKey())
    const c = encryptField('secret', TENANT, stranger)
    expect(() => decryptField(c, TENANT, ring)).toThrow(/not configured/)
    const relabelled = c.replace(`:${stranger.current.id}:`, `:${ring.current.id}:`)
    expect(() => decryptField(relabelled, TENANT, ring)).toThrow(DecryptionError)
  })

  it('after a rotation reads what the retired key wrote, and writes with the new key only', () => {
    const oldKey = newKey()
    const before = makeKeyring(oldKey)
    const written = encryptField('old secret', TENANT, before)
    const after = makeKeyring(newKey(), [oldKey])
    expect(decryptField(written, TENANT, after)).toBe('old secret')
    expect(keyIdOfCiphertext(encryptField('new', TENANT, after))).toBe(after.current.id)
    expect(after.current.id).not.toBe(before.current.id)
    // Without the retired key listed, the old value no longer opens.
    expect(() => decryptField(written, TENANT, makeKeyring(newKey()))).toThrow(DecryptionError)
  })

  it('refuses keys that are not 32 bytes', () => {
    expect(() => makeKeyring(randomBytes(16).toString('base64'))).toThrow(/32 bytes/)
  })
})

describe('keyed hash', () => {
  it('is stable for the same key, value and context, and differs otherwise', () => {
    const h = keyedHash('DE89370400440532013000', TENANT, ring)
    expect(h).toMatch(new RegExp(`^${ring.current.id}:[0-9a-f]{64}$`))
    expect(keyedHash('DE89370400440532013000', TENANT, ring)).toBe(h)
    expect(keyedHash('DE89370400440532013001', TENANT, ring)).not.toBe(h)
    expect(keyedHash('DE89370400440532013000', 'tenant-b', ring)).not.toBe(h)
    expect(keyedHash('DE89370400440532013000', TENANT, makeKeyring(newKey()))).not.toBe(h)
  })

  it('finds the same account however it was typed, once normalised', () => {
    const typed = ['DE89 3704 0044 0532 0130 00', 'de89-3704-0044-0532-0130-00', 'DE89370400440532013000']
    const hashes = new Set(typed.map(t => keyedHash(normaliseAccountNumber(t), TENANT, ring)))
    expect(hashes.size).toBe(1)
  })
})

describe('bank account checks and masking', () => {
  it('accepts valid IBANs (any spacing or case) and refuses a wrong check digit or shape', () => {
    for (const ok of ['DE89370400440532013000', 'GB82 WEST 1234 5698 7654 32', 'fr1420041010050500013m02606', 'NL91ABNA0417164300']) expect(isValidIban(ok), ok).toBe(true)
    for (const bad of ['DE89370400440532013001', 'GB82WEST12345698765433', 'DE8937040044', '1234567890123456', 'DE89 3704 0044 0532 0130 00 XYZ!', '']) expect(isValidIban(bad), bad).toBe(false)
  })

  it('accepts 8- and 11-character BICs only', () => {
    for (const ok of ['DEUTDEFF', 'DEUTDEFF500', 'cobadeffxxx']) expect(isValidBic(ok), ok).toBe(true)
    for (const bad of ['DEUTDE', 'DEUTDEFF50', '1EUTDEFF', 'DEUTDEFF5000']) expect(isValidBic(bad), bad).toBe(false)
  })

  it('masks as DE89 **** **** 3000: first and last four, the same stars whatever the length', () => {
    expect(maskAccountNumber('DE89 3704 0044 0532 0130 00')).toBe('DE89 **** **** 3000')
    expect(maskAccountNumber('NL91ABNA0417164300')).toBe('NL91 **** **** 4300')
    expect(maskAccountNumber('12345678')).toBe('**** 5678')
    expect(maskAccountNumber('1234')).toBe('****')
    // a local number longer than 8 digits still shows only its last four
    expect(maskAccountNumber('4412-7788-01')).toBe('**** 8801')
    expect(maskBankAccount({ iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', bankName: 'Commerzbank' }))
      .toEqual({ iban: 'DE89 **** **** 3000', accountNumber: null, bic: 'COBADEFFXXX', bankName: 'Commerzbank' })
  })
})
