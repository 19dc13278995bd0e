import { describe, expect, it } from 'vitest'
import { hashPassword, passwordProblem, verifyPassword } from '../../server/domain/identity/passwords'

describe('password policy', () => {
  it('refuses 11 characters and accepts 12', () => {
    expect(passwordProblem('Xk9#mQ2$vL4')).toMatch(/at least 12/)
    expect(passwordProblem('Xk9#mQ2$vL4p')).toBeNull()
  })

  it('counts characters, not UTF-16 units', () => {
    // 11 emoji are 22 UTF-16 units but only 11 characters.
    expect(passwordProblem('🔒'.repeat(11))).toMatch(/at least 12/)
    expect(passwordProblem('🔒'.repeat(12))).toBeNull()
  })

  it('refuses common passwords from the bundled list, whatever their case', () => {
    expect(passwordProblem('123456789012')).toMatch(/common/)
    expect(passwordProblem('1qaz2wsx3edc')).toMatch(/common/)
    expect(passwordProblem('ABCDEFGHIJKL')).toMatch(/common/)
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
