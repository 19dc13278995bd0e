import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { hashPassword, passwordProblem, verifyPassword } from '../../server/domain/identity/passwords'

describe('password policy', () => {
  it('refuses 11 characters and accepts 12', () => {
    expect(passwordProblem('Xk9#mQ2$vL4')).toMatch(/at least 12/)
    expect(passwordProblem('Xk9#mQ2$vL4p')).toBeNull()
  })

  it('counts characters, not UTF-16 units', () => {
    const emoji = '🔒🔑🐱🐶🌍🚀🎉🍕🌈⚡🔥💧'
    // 11 emoji are 22 UTF-16 units but only 11 characters.
    expect(passwordProblem([...emoji].slice(0, 11).join(''))).toMatch(/at least 12/)
    expect(passwordProblem(emoji)).toBeNull()
  })

  it('refuses common passwords and their variants, whatever their case', () => {
    for (const password of ['123456789012', '1qaz2wsx3edc', 'password1234', 'PASSWORD1234', 'Welcome12345', 'letmein12345']) {
      expect(passwordProblem(password), password).toMatch(/too easy to guess/)
    }
  })

  it('refuses keyboard walks and sequences', () => {
    for (const password of ['qwertyuiop[]', 'asdfghjkl;\'\\', '!@#$%^&*()_+', 'qazwsxedcrfv', 'ABCDEFGHIJKL']) {
      expect(passwordProblem(password), password).toMatch(/too easy to guess/)
    }
    expect(passwordProblem('qwertyuiop[]')).toMatch(/keyboard/)
  })

  it('refuses a single repeated character or a repeated pattern, of any length', () => {
    for (const password of ['aaaaaaaaaaaa', 'z'.repeat(40), '🔒'.repeat(12), 'abcabcabcabc']) {
      expect(passwordProblem(password), password).toMatch(/too easy to guess/)
    }
  })

  it('refuses the product\'s own name dressed up', () => {
    expect(passwordProblem('paksa@123@123')).toMatch(/too easy to guess/)
  })

  it('accepts random and passphrase-like passwords (such as the test suites generate)', () => {
    for (const password of ['Xk9#mQ2$vL4p', 'Unrelated-Horse-Battery-93', `Pw-${randomBytes(9).toString('base64url')}`, `Owner-${randomBytes(9).toString('base64url')}`]) {
      expect(passwordProblem(password), password).toBeNull()
    }
  })

  it('has no context-word rule: a long password containing a common word is fine', () => {
    expect(passwordProblem('password-of-the-accountant-2024')).toBeNull()
  })

  it('refuses absurdly long passwords', () => {
    expect(passwordProblem('x'.repeat(257))).toMatch(/at most/)
  })
})

describe('password hashing', () => {
  it('verifies the password it hashed (round trip)', async () => {
    const hash = await hashPassword('correct horse battery staple')
    expect(hash).toMatch(/^scrypt\$/)
    expect(hash).not.toContain('correct horse')
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true)
  })

  it('answers false for a wrong password', async () => {
    const hash = await hashPassword('correct horse battery staple')
    expect(await verifyPassword('correct horse battery stapler', hash)).toBe(false)
    expect(await verifyPassword('', hash)).toBe(false)
  })

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([hashPassword('same password here'), hashPassword('same password here')])
    expect(a).not.toBe(b)
  })

  it('answers false for a stored value that is not a scrypt hash', async () => {
    expect(await verifyPassword('anything-at-all', 'plain-text')).toBe(false)
    expect(await verifyPassword('anything-at-all', '')).toBe(false)
  })
})
