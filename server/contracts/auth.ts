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

export const authContracts = {
  login: defineContract({ operationId: 'login', method: 'post', path: '/api/v1/auth/login', tag: 'Auth', audience: 'public', site: 'tenant', summary: 'Sign in on a tenant host', body: LoginBody, response: LoginResponse, errors: ['INVALID_CREDENTIALS', 'TOO_MANY_ATTEMPTS'] }),
  refresh: defineContract({ operationId: 'refreshSession', method: 'post', path: '/api/v1/auth/refresh', tag: 'Auth', audience: 'public', site: 'tenant', summary: 'Rotate a refresh token (body or cookie)', body: RefreshBody, response: LoginResponse, errors: ['INVALID_REFRESH_TOKEN'] }),
  logout: defineContract({ operationId: 'logout', method: 'post', path: '/api/v1/auth/logout', tag: 'Auth', audience: 'public', site: 'tenant', summary: 'Sign out: revoke the refresh-token family and clear cookies', body: LogoutBody, response: z.object({ ok: z.literal(true) }) }),
  me: defineContract({ operationId: 'getMe', method: 'get', path: '/api/v1/me', tag: 'Auth', audience: 'tenant', summary: 'The signed-in user, tenant, roles and permissions', response: MeResponse }),
  changePassword: defineContract({ operationId: 'changePassword', method: 'post', path: '/api/v1/me/password', tag: 'Auth', audience: 'tenant', summary: 'Change your own password', body: ChangePasswordBody, response: z.object({ ok: z.literal(true) }), errors: ['WRONG_PASSWORD', 'WEAK_PASSWORD'] }),
}
