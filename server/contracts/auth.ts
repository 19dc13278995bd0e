import { z } from 'zod'
import { defineContract, Email, Uuid } from './define'

export const LoginBody = z.object({
  email: Email,
  password: z.string().min(1, 'is required').max(256),
}).strict().meta({ id: 'Credentials' })

export const SessionUser = z.object({ id: Uuid, email: z.string(), name: z.string() }).meta({ id: 'SessionUser' })

export const LoginResponse = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  expiresIn: z.number().int(),
  user: SessionUser,
}).meta({ id: 'Session' })

export const RefreshBody = z.object({ refreshToken: z.string().max(200).optional() }).strict().meta({ id: 'RefreshRequest' })
export const LogoutBody = z.object({ refreshToken: z.string().max(200).optional() }).strict().meta({ id: 'LogoutRequest' })

export const MeResponse = z.object({
  user: SessionUser,
  tenant: z.object({ id: Uuid, slug: z.string(), name: z.string(), baseCurrency: z.string(), fiscalYearStartMonth: z.number().int() }),
  roles: z.array(z.string()),
  permissions: z.array(z.string()),
}).meta({ id: 'Me' })

export const ChangePasswordBody = z.object({
  currentPassword: z.string().min(1, 'is required').max(256),
  newPassword: z.string().max(256),
}).strict().meta({ id: 'PasswordChange' })

/** A handoff token (server/domain/identity/handoff.ts): 32 random bytes, base64url. */
export const HandoffBody = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be a handoff token'),
}).strict().meta({ id: 'HandoffRequest' })

export const OrganisationResource = z.object({
  slug: z.string(),
  name: z.string(),
  url: z.string().meta({ description: 'The organisation\'s own address (its dashboard)' }),
  roles: z.array(z.string()),
  current: z.boolean().meta({ description: 'The organisation of the host asked' }),
}).meta({ id: 'Organisation' })

export const IssueHandoffBody = z.object({
  slug: z.string().min(1, 'is required').max(63),
}).strict().meta({ id: 'HandoffIssue' })

export const HandoffResponse = z.object({
  url: z.string().meta({ description: 'Open it in the browser: the other organisation\'s host signs you in (the token is in the fragment)' }),
  expiresAt: z.iso.datetime(),
}).meta({ id: 'Handoff' })

export const authContracts = {
  login: defineContract({ operationId: 'login', method: 'post', path: '/api/v1/auth/login', tag: 'Auth', audience: 'public', site: 'tenant', summary: 'Sign in on a tenant host', body: LoginBody, response: LoginResponse, errors: ['INVALID_CREDENTIALS', 'TOO_MANY_ATTEMPTS'] }),
  refresh: defineContract({ operationId: 'refreshSession', method: 'post', path: '/api/v1/auth/refresh', tag: 'Auth', audience: 'public', site: 'tenant', summary: 'Rotate a refresh token (body or cookie)', body: RefreshBody, response: LoginResponse, errors: ['INVALID_REFRESH_TOKEN'] }),
  logout: defineContract({ operationId: 'logout', method: 'post', path: '/api/v1/auth/logout', tag: 'Auth', audience: 'public', site: 'tenant', summary: 'Sign out: revoke the refresh-token family and clear cookies', body: LogoutBody, response: z.object({ ok: z.literal(true) }) }),
  handoff: defineContract({ operationId: 'signInWithHandoff', method: 'post', path: '/api/v1/auth/handoff', tag: 'Auth', audience: 'public', site: 'tenant', summary: 'Sign in on this tenant host with a one-time handoff token (organisation switch, end of sign-up)', body: HandoffBody, response: LoginResponse, errors: ['HANDOFF_INVALID'] }),
  listOrganisations: defineContract({ operationId: 'listMyOrganisations', method: 'get', path: '/api/v1/me/organisations', tag: 'Auth', audience: 'tenant', summary: 'The active organisations you are a member of, this one marked current', response: z.object({ data: z.array(OrganisationResource) }) }),
  issueHandoff: defineContract({ operationId: 'createHandoff', method: 'post', path: '/api/v1/me/handoffs', tag: 'Auth', audience: 'tenant', summary: 'Switch organisation: a one-time link (60 s) that signs you in on another organisation you are a member of', body: IssueHandoffBody, response: HandoffResponse, successStatus: 201, errors: ['ORGANISATION_NOT_FOUND'] }),
  me: defineContract({ operationId: 'getMe', method: 'get', path: '/api/v1/me', tag: 'Auth', audience: 'tenant', summary: 'The signed-in user, tenant, roles and permissions', response: MeResponse }),
  changePassword: defineContract({ operationId: 'changePassword', method: 'post', path: '/api/v1/me/password', tag: 'Auth', audience: 'tenant', summary: 'Change your own password', body: ChangePasswordBody, response: z.object({ ok: z.literal(true) }), errors: ['WRONG_PASSWORD', 'WEAK_PASSWORD'] }),
}
