import { describe, expect, it } from 'vitest'
import { errorText, pathForLog, redactSecrets, withoutSqlParameters } from '../../server/core/log'

describe('what the logs may carry', () => {
  it('redacts single-use tokens in page and API paths and drops the query string', () => {
    expect(pathForLog('/api/v1/invitations/abc-DEF_123/accept?x=1')).toBe('/api/v1/invitations/redacted/accept')
    expect(pathForLog('/invitation/abc')).toBe('/invitation/redacted')
    expect(pathForLog('/reset-password/zzz?next=/')).toBe('/reset-password/redacted')
    expect(pathForLog('/signup/tok')).toBe('/signup/redacted')
    expect(pathForLog('/api/v1/signup')).toBe('/api/v1/signup')
    expect(pathForLog('/api/v1/journal-entries/0190')).toBe('/api/v1/journal-entries/0190')
  })

  it('masks every bearer link in a mail body, text or HTML', () => {
    const html = '<a href="https://acme.example.com/invitation/AAA">join</a> or https://acme.example.com/reset-password/BBB.'
    expect(redactSecrets(html)).toBe('<a href="https://acme.example.com/invitation/redacted">join</a> or https://acme.example.com/reset-password/redacted.')
  })

  it('keeps the database\'s message of a failed statement but not its SQL parameters', () => {
    const cause = Object.assign(new Error('duplicate key value violates unique constraint "users_email_key"'), { code: '23505' })
    const wrapped = new Error('Failed query: insert into users (email, password_hash) values ($1, $2)\nparams: who@x.test,scrypt$secret', { cause })
    wrapped.name = 'DrizzleQueryError'
    const safe = withoutSqlParameters(wrapped)
    expect(safe.message).toBe('duplicate key value violates unique constraint "users_email_key"')
    expect(safe.stack).not.toMatch(/who@x\.test|scrypt\$secret|params:/)
    expect(safe.stack).toMatch(/^DrizzleQueryError: duplicate key/)
    expect(errorText(wrapped)).toBe(safe.message)
    expect(errorText('plain')).toBe('plain')
  })
})
