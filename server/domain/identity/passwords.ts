/**
 * Password hashing with scrypt (Node's crypto; N=2^15, r=8, p=1) and the password policy:
 * at least 12 characters, and judged hard enough to guess by zxcvbn (zxcvbn-ts with its bundled
 * common-password, English word, name and keyboard-layout dictionaries; no network), which refuses
 * common passwords and their variants, keyboard walks, sequences and repeated characters.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'
import { ZxcvbnFactory } from '@zxcvbn-ts/core'
import * as zxcvbnCommon from '@zxcvbn-ts/language-common'
import * as zxcvbnEn from '@zxcvbn-ts/language-en'

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

/**
 * zxcvbn's score 3 ("safely unguessable", about 10^8 guesses or more) is the least accepted.
 * Words of this product count as guessable too.
 */
const MIN_SCORE = 3
const PRODUCT_WORDS = ['paksa', 'financial', 'finance', 'accounting', 'accountant', 'ledger']

let zxcvbn: ZxcvbnFactory | undefined
function strength() {
  zxcvbn ??= new ZxcvbnFactory({
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary, userInputs: PRODUCT_WORDS },
    graphs: zxcvbnCommon.adjacencyGraphs,
    translations: zxcvbnEn.translations,
  })
  return zxcvbn
}

/** Returns why a password is refused, or null when it meets the policy. */
export function passwordProblem(password: string): string | null {
  if ([...password].length < 12) return 'must be at least 12 characters'
  if (password.length > 256) return 'must be at most 256 characters'
  const result = strength().check(password)
  if (result.score < MIN_SCORE) {
    const why = result.feedback.warning
    return `is too easy to guess${why ? ` (${why.replace(/\.$/, '')})` : ''}; choose another`
  }
  return null
}
