/**
 * E-mail (SPEC 6.13), invitations and password reset (SPEC 6.2, §4 users and memberships): mail goes
 * through the transactional outbox to the shared test server's SMTP sink; links are built from the
 * tenant's slug and APP_BASE_DOMAIN; tokens are single-use and expire; no account enumeration.
 */
import { randomBytes } from 'node:crypto'
import type { ParsedMail } from 'mailparser'
import postgres from 'postgres'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { addMember, client, createTenant, login, request, strongPassword, type TestTenant } from '../support/api'
import { waitForMail } from '../support/smtp'

/** The database owner (superuser in the test set-ups), to look at rows and age tokens. */
const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

const mailDir = () => inject('mailDir')
const port = () => new URL(inject('baseUrl')).port
const newEmail = (prefix = 'invitee') => `${prefix}-${randomBytes(4).toString('hex')}@mail.test`

/** The token of the first link to `path` in a mail's text part, checking the link's origin. */
function linkToken(mail: ParsedMail, tenant: TestTenant, path: 'invitation' | 'reset-password'): string {
  const match = new RegExp(`(https?://[^\\s/]+)/${path}/([A-Za-z0-9_-]+)`).exec(mail.text ?? '')
  expect(match, mail.text).not.toBeNull()
  expect(match![1]).toBe(`http://${tenant.slug}.localhost:${port()}`)
  return match![2]!
}

async function outboxRows(tenantId: string, to: string) {
  return sql<{ id: string, kind: string, status: string, subject: string }[]>`
    select id, kind, status, subject from mail_outbox where tenant_id = ${tenantId} and ${to} = any("to") order by created_at`
}

async function invite(tenant: TestTenant, email = newEmail(), roles = ['viewer']) {
  const res = await tenant.asOwner.post('/api/v1/users', { json: { email, name: 'Ivy Invitee', roles } })
  expect(res.status, res.text).toBe(201)
  const [mail] = await waitForMail(mailDir(), email)
  return { id: res.body.id as string, email, mail: mail!, token: linkToken(mail!, tenant, 'invitation') }
}

describe('invitations', () => {
  it('mails an invitation with a text and an HTML part to an invited member; the link uses the slug and APP_BASE_DOMAIN', async () => {
    const tenant = await createTenant({ name: 'Acme & <Co>' })
    const { email, mail, token } = await invite(tenant)
    expect(mail.subject).toBe('You are invited to Acme & <Co> on Paksa Financial')
    expect(mail.text).toContain('Accept the invitation: ')
    expect(mail.html).toContain(`href="http://${tenant.slug}.localhost:${port()}/invitation/${token}"`)
    expect(mail.html).toContain('Acme &amp; &lt;Co&gt;')
    expect(mail.html).not.toContain('<Co>')
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    // The outbox row records the send; the token itself is stored only as a hash.
    await expect.poll(async () => (await outboxRows(tenant.id, email))[0]?.status).toBe('sent')
    const stored = await sql`select token_hash from invitations where tenant_id = ${tenant.id} and email = ${email}`
    expect(stored).toHaveLength(1)
    expect(stored[0]!.token_hash).not.toContain(token)
  })

  it('describes the invitation behind a token: {email, name, tenantName, newAccount, expiresAt} seven days ahead', async () => {
    const tenant = await createTenant()
    const { email, token } = await invite(tenant)
    const res = await request('GET', tenant.host, `/api/v1/invitations/${token}`)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ email, name: 'Ivy Invitee', tenantName: `Tenant ${tenant.slug}`, newAccount: true })
    const days = (Date.parse(res.body.expiresAt) - Date.now()) / 86_400_000
    expect(days).toBeGreaterThan(6.9)
    expect(days).toBeLessThanOrEqual(7)
  })

  it('refuses a weak password on accept (400 WEAK_PASSWORD, fields.password) and keeps the invitation open', async () => {
    const tenant = await createTenant()
    const { token } = await invite(tenant)
    for (const password of ['short', 'password1234']) {
      const res = await request('POST', tenant.host, `/api/v1/invitations/${token}/accept`, { json: { password } })
      expect(res.status).toBe(400)
      expect(res.body.data.code).toBe('WEAK_PASSWORD')
      expect(res.body.data.fields).toHaveProperty('password')
    }
    const missing = await request('POST', tenant.host, `/api/v1/invitations/${token}/accept`, { json: {} })
    expect(missing.status).toBe(400)
    expect(missing.body.data.fields).toHaveProperty('password')
    expect((await request('GET', tenant.host, `/api/v1/invitations/${token}`)).status).toBe(200)
  })

  it('accepts with a password: the member signs in with it, the token works once (then 404 INVITATION_INVALID), and the admins are notified', async () => {
    const tenant = await createTenant()
    const admin = await addMember(tenant, ['admin'])
    const viewer = await addMember(tenant, ['viewer'])
    const { id, email, token } = await invite(tenant)
    const password = strongPassword()
    const res = await request('POST', tenant.host, `/api/v1/invitations/${token}/accept`, { json: { name: 'Ivy Accepted', password } })
    expect(res.status, res.text).toBe(200)
    expect(res.body).toEqual({ ok: true })
    const session = await login(tenant.host, email, password)
    // The pending member (the invitation's id) became an active one under the account's own id.
    expect((await tenant.asOwner.get(`/api/v1/users/${id}`)).status).toBe(404)
    expect((await tenant.asOwner.get(`/api/v1/users/${session.user.id}`)).body).toMatchObject({ email, name: 'Ivy Accepted', status: 'active' })
    expect((await client(tenant.host, session.accessToken).get('/api/v1/me')).body.user.name).toBe('Ivy Accepted')

    const again = await request('POST', tenant.host, `/api/v1/invitations/${token}/accept`, { json: { password: strongPassword() } })
    expect(again.status).toBe(404)
    expect(again.body.data.code).toBe('INVITATION_INVALID')
    await login(tenant.host, email, password)

    const notified = await sql<{ user_id: string, title: string, link: string }[]>`
      select user_id, title, link from notifications where tenant_id = ${tenant.id} and type = 'invitation.accepted' and dedupe_key = ${`invitation:${id}`}`
    expect(notified.map(n => n.user_id).sort()).toEqual([tenant.owner.id, admin.id].sort())
    expect(notified.map(n => n.user_id)).not.toContain(viewer.id)
    expect(notified[0]).toMatchObject({ title: 'Ivy Accepted accepted the invitation', link: '/settings/users' })
  })

  it('answers one 404 INVITATION_INVALID for an unknown, an expired and a used token', async () => {
    const tenant = await createTenant()
    const expired = await invite(tenant)
    await sql`update invitations set expires_at = now() - interval '1 second' where tenant_id = ${tenant.id} and email = ${expired.email}`
    const used = await invite(tenant)
    expect((await request('POST', tenant.host, `/api/v1/invitations/${used.token}/accept`, { json: { password: strongPassword() } })).status).toBe(200)
    for (const token of [randomBytes(32).toString('base64url'), expired.token, used.token, 'x']) {
      const info = await request('GET', tenant.host, `/api/v1/invitations/${token}`)
      expect(info.status).toBe(404)
      expect(info.body.data.code).toBe('INVITATION_INVALID')
      const accept = await request('POST', tenant.host, `/api/v1/invitations/${token}/accept`, { json: { password: strongPassword() } })
      expect(accept.status).toBe(404)
      expect(accept.body.data.code).toBe('INVITATION_INVALID')
    }
  })

  it('is bound to its tenant: the token is 404 on another tenant\'s host, and after the member was removed', async () => {
    const tenant = await createTenant()
    const other = await createTenant()
    const { id, token } = await invite(tenant)
    expect((await request('GET', other.host, `/api/v1/invitations/${token}`)).status).toBe(404)
    expect((await tenant.asOwner.delete(`/api/v1/users/${id}`)).status).toBe(200)
    expect((await request('GET', tenant.host, `/api/v1/invitations/${token}`)).status).toBe(404)
  })

  it('writes the same invitation mail for an existing account as for a new e-mail (the tenant\'s outbox tells nothing)', async () => {
    const tenant = await createTenant()
    const elsewhere = await createTenant()
    const fresh = newEmail()
    const mails = []
    for (const email of [elsewhere.owner.email, fresh]) {
      expect((await tenant.asOwner.post('/api/v1/users', { json: { email, name: 'Ivy Invitee', roles: ['auditor'] } })).status).toBe(201)
      const [row] = await sql<{ subject: string, text: string, html: string }[]>`
        select subject, text, html from mail_outbox where tenant_id = ${tenant.id} and ${email} = any("to")`
      const token = /\/invitation\/([A-Za-z0-9_-]{43})/.exec(row!.text)![1]!
      const neutral = (v: string) => v.replaceAll(token, 'TOKEN').replace(/expires on [^.]+ UTC/, 'expires on X UTC')
      mails.push({ subject: row!.subject, text: neutral(row!.text), html: neutral(row!.html) })
    }
    expect(mails[0]).toEqual(mails[1])
  })

  it('lets an existing platform user accept only with their own password: a wrong one is 422 WRONG_PASSWORD; their password and name stay', async () => {
    const tenant = await createTenant()
    const elsewhere = await createTenant()
    const email = elsewhere.owner.email
    const res = await tenant.asOwner.post('/api/v1/users', { json: { email, name: 'Typed By Admin', roles: ['auditor'] } })
    expect(res.status).toBe(201)
    const [mail] = await waitForMail(mailDir(), email)
    expect(mail!.subject).toBe(`You are invited to Tenant ${tenant.slug} on Paksa Financial`)
    const token = linkToken(mail!, tenant, 'invitation')
    expect((await request('GET', tenant.host, `/api/v1/invitations/${token}`)).body).toMatchObject({ email, newAccount: false })

    const attempted = strongPassword()
    const wrong = await request('POST', tenant.host, `/api/v1/invitations/${token}/accept`, { json: { password: attempted } })
    expect(wrong.status).toBe(422)
    expect(wrong.body.data.code).toBe('WRONG_PASSWORD')
    expect(wrong.body.data.fields).toHaveProperty('password')
    const missing = await request('POST', tenant.host, `/api/v1/invitations/${token}/accept`, { json: {} })
    expect(missing.status).toBe(400)
    expect(missing.body.data.fields).toHaveProperty('password')
    expect((await request('POST', tenant.host, `/api/v1/auth/login`, { json: { email, password: elsewhere.owner.password } })).status).toBe(401)

    expect((await request('POST', tenant.host, `/api/v1/invitations/${token}/accept`, { json: { password: elsewhere.owner.password } })).status).toBe(200)
    const accepted = await sql`select accepted_at, user_id from invitations where tenant_id = ${tenant.id} and email = ${email}`
    expect(accepted[0]!.accepted_at).toBeInstanceOf(Date)
    expect(accepted[0]!.user_id).toBe(elsewhere.owner.id)
    await login(tenant.host, email, elsewhere.owner.password)
    await login(elsewhere.host, email, elsewhere.owner.password)
    expect((await tenant.asOwner.get(`/api/v1/users/${elsewhere.owner.id}`)).body).toMatchObject({ name: 'Owner', roles: ['auditor'], status: 'active' })
    expect((await request('POST', tenant.host, `/api/v1/auth/login`, { json: { email, password: attempted } })).status).toBe(401)
  })

  it('writes no invitation or mail when adding the member fails (409 ALREADY_MEMBER)', async () => {
    const tenant = await createTenant()
    const { email } = await invite(tenant)
    const again = await tenant.asOwner.post('/api/v1/users', { json: { email, name: 'Again', roles: ['viewer'] } })
    expect(again.status).toBe(409)
    expect(await outboxRows(tenant.id, email)).toHaveLength(1)
  })

  it('re-sends an invitation (POST /api/v1/users/{id}/invitation): the new link works, the old one is 404', async () => {
    const tenant = await createTenant()
    const first = await invite(tenant)
    const res = await tenant.asOwner.post(`/api/v1/users/${first.id}/invitation`)
    expect(res.status, res.text).toBe(201)
    expect(res.body).toMatchObject({ email: first.email })
    const mails = await waitForMail(mailDir(), first.email, 2)
    const second = linkToken(mails[1]!, tenant, 'invitation')
    expect(second).not.toBe(first.token)
    expect((await request('GET', tenant.host, `/api/v1/invitations/${first.token}`)).status).toBe(404)
    expect((await request('POST', tenant.host, `/api/v1/invitations/${second}/accept`, { json: { password: strongPassword() } })).status).toBe(200)

    const afterAccept = await tenant.asOwner.post(`/api/v1/users/${first.id}/invitation`)
    expect(afterAccept.status).toBe(409)
    expect(afterAccept.body.data.code).toBe('INVITATION_ALREADY_ACCEPTED')
  })

  it('lets only users:manage re-send (viewer 403), and answers 404 for someone who is not a member here', async () => {
    const tenant = await createTenant()
    const viewer = await addMember(tenant, ['viewer'])
    const { id } = await invite(tenant)
    expect((await viewer.client.post(`/api/v1/users/${id}/invitation`)).status).toBe(403)
    const other = await createTenant()
    expect((await other.asOwner.post(`/api/v1/users/${id}/invitation`)).status).toBe(404)
  })
})

describe('password reset', () => {
  /** The reset mails to `email` (a member added by invitation also got that invitation's mail). */
  async function resetMails(email: string, count = 1): Promise<ParsedMail[]> {
    const deadline = Date.now() + 20_000
    for (;;) {
      const mails = (await waitForMail(mailDir(), email)).filter(m => m.subject?.startsWith('Reset your'))
      if (mails.length >= count || Date.now() > deadline) return mails
      await new Promise(r => setTimeout(r, 200))
    }
  }

  async function requestReset(tenant: TestTenant, email: string) {
    return request('POST', tenant.host, '/api/v1/auth/password-reset', { json: { email } })
  }

  it('answers 202 {ok: true} for an unknown e-mail, and for a member of another tenant, without writing any mail', async () => {
    const tenant = await createTenant()
    const other = await createTenant()
    for (const email of [newEmail('nobody'), other.owner.email]) {
      const res = await requestReset(tenant, email)
      expect(res.status).toBe(202)
      expect(res.body).toEqual({ ok: true })
      expect(await outboxRows(tenant.id, email)).toEqual([])
    }
  })

  it('mails a member a link; confirming sets the new password, the old one fails, and their refresh tokens stop working', async () => {
    const tenant = await createTenant()
    const member = await addMember(tenant, ['viewer'])
    const before = await login(tenant.host, member.email, member.password)
    const res = await requestReset(tenant, member.email.toUpperCase())
    expect(res.status).toBe(202)
    expect(res.body).toEqual({ ok: true })
    const [mail] = await resetMails(member.email)
    expect(mail!.subject).toBe(`Reset your Paksa Financial password for Tenant ${tenant.slug}`)
    expect(mail!.html).toContain('/reset-password/')
    const token = linkToken(mail!, tenant, 'reset-password')

    const password = strongPassword()
    const confirm = await request('POST', tenant.host, '/api/v1/auth/password-reset/confirm', { json: { token, password } })
    expect(confirm.status, confirm.text).toBe(200)
    expect(confirm.body).toEqual({ ok: true })
    expect((await request('POST', tenant.host, '/api/v1/auth/login', { json: { email: member.email, password: member.password } })).status).toBe(401)
    await login(tenant.host, member.email, password)
    expect((await request('POST', tenant.host, '/api/v1/auth/refresh', { json: { refreshToken: before.refreshToken } })).status).toBe(401)
  })

  it('refuses a used token (400 RESET_TOKEN_INVALID) and keeps the password set with it', async () => {
    const tenant = await createTenant()
    const member = await addMember(tenant, ['viewer'])
    await requestReset(tenant, member.email)
    const token = linkToken((await resetMails(member.email))[0]!, tenant, 'reset-password')
    const password = strongPassword()
    expect((await request('POST', tenant.host, '/api/v1/auth/password-reset/confirm', { json: { token, password } })).status).toBe(200)
    const reuse = await request('POST', tenant.host, '/api/v1/auth/password-reset/confirm', { json: { token, password: strongPassword() } })
    expect(reuse.status).toBe(400)
    expect(reuse.body.data.code).toBe('RESET_TOKEN_INVALID')
    await login(tenant.host, member.email, password)
  })

  it('refuses an expired token (400 RESET_TOKEN_INVALID), an unknown one, and one used on another tenant\'s host', async () => {
    const tenant = await createTenant()
    const other = await createTenant()
    const member = await addMember(tenant, ['viewer'])
    await requestReset(tenant, member.email)
    const token = linkToken((await resetMails(member.email))[0]!, tenant, 'reset-password')
    for (const [host, t] of [[other.host, token], [tenant.host, randomBytes(32).toString('base64url')]] as const) {
      const res = await request('POST', host, '/api/v1/auth/password-reset/confirm', { json: { token: t, password: strongPassword() } })
      expect(res.status).toBe(400)
      expect(res.body.data.code).toBe('RESET_TOKEN_INVALID')
    }
    await sql`update password_resets set expires_at = now() - interval '1 second' where tenant_id = ${tenant.id}`
    const expired = await request('POST', tenant.host, '/api/v1/auth/password-reset/confirm', { json: { token, password: strongPassword() } })
    expect(expired.status).toBe(400)
    expect(expired.body.data.code).toBe('RESET_TOKEN_INVALID')
    await login(tenant.host, member.email, member.password)
  })

  it('makes an earlier unused link stop working when a new one is asked for', async () => {
    const tenant = await createTenant()
    const member = await addMember(tenant, ['viewer'])
    await requestReset(tenant, member.email)
    await requestReset(tenant, member.email)
    const mails = await resetMails(member.email, 2)
    const [first, second] = mails.map(m => linkToken(m, tenant, 'reset-password'))
    expect((await request('POST', tenant.host, '/api/v1/auth/password-reset/confirm', { json: { token: first, password: strongPassword() } })).status).toBe(400)
    expect((await request('POST', tenant.host, '/api/v1/auth/password-reset/confirm', { json: { token: second, password: strongPassword() } })).status).toBe(200)
  })

  it('refuses a weak new password (400 WEAK_PASSWORD) and leaves the token usable', async () => {
    const tenant = await createTenant()
    const member = await addMember(tenant, ['viewer'])
    await requestReset(tenant, member.email)
    const token = linkToken((await resetMails(member.email))[0]!, tenant, 'reset-password')
    const weak = await request('POST', tenant.host, '/api/v1/auth/password-reset/confirm', { json: { token, password: 'password1234' } })
    expect(weak.status).toBe(400)
    expect(weak.body.data.code).toBe('WEAK_PASSWORD')
    expect((await request('POST', tenant.host, '/api/v1/auth/password-reset/confirm', { json: { token, password: strongPassword() } })).status).toBe(200)
  })

  it('rate-limits requests per e-mail address (429 after 5 in 15 minutes), known or not', async () => {
    const tenant = await createTenant()
    const email = newEmail('limited')
    for (let i = 0; i < 5; i++) expect((await requestReset(tenant, email)).status).toBe(202)
    const limited = await requestReset(tenant, email)
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
  })

  it('sends no reset link to someone only invited (not a member until they accept): 202, and the invitation stays the way in', async () => {
    const tenant = await createTenant()
    const { email, token } = await invite(tenant)
    const res = await requestReset(tenant, email)
    expect(res.status).toBe(202)
    expect((await outboxRows(tenant.id, email)).map(r => r.kind)).toEqual(['invitation'])
    expect((await request('GET', tenant.host, `/api/v1/invitations/${token}`)).status).toBe(200)
  })
})
