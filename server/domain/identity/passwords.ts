/**
 * Password hashing with scrypt (Node's crypto; N=2^15, r=8, p=1) and the password policy:
 * at least 12 characters and not in the bundled list of common passwords.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'
import { COMMON_PASSWORDS } from './common-passwords'

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>
const PARAMS = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }
const KEY_LEN = 32

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await scrypt(password.normalize('NFKC'), salt, KEY_LEN, PARAMS)
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${key.toString('base64')}`
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, key] = stored.split('$')
  if (alg !== 'scrypt' || !salt || !key) return false
  const expected = Buffer.from(key, 'base64')
  const actual = await scrypt(password.normalize('NFKC'), Buffer.from(salt, 'base64'), expected.length,
    { N: Number(n), r: Number(r), p: Number(p), maxmem: PARAMS.maxmem })
  return timingSafeEqual(actual, expected)
}

let dummy: Promise<string> | undefined
/** Spends the same time as a real check, so an unknown e-mail cannot be told apart by timing. */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'))
  await verifyPassword(password, await dummy)
}

/** Returns why a password is refused, or null when it meets the policy. */
export function passwordProblem(password: string): string | null {
  if ([...password].length < 12) return 'must be at least 12 characters'
  if (password.length > 256) return 'must be at most 256 characters'
  if (COMMON_PASSWORDS.has(password.toLowerCase())) return 'is too common; choose another'
  return null
}
