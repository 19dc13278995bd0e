/**
 * The one place access tokens are issued: tenant sign-in, refresh-token rotation and back-office
 * sign-in all call `issueTokens` (verification is server/domain/identity/tokens.ts and the auth
 * middleware).
 */
import { randomUUID } from 'node:crypto'
import { useConfig } from '../../core/config'
import type { IssuedSession } from './sessions'
import { ACCESS_TOKEN_TTL_SECONDS, PLATFORM_AUDIENCE, signAccessToken } from './tokens'

export type Grant
  /** A tenant session (from sign-in or rotation): the member, their roles, the refresh-token family and its new token. */
  = | { kind: 'tenant', tenantId: string, session: IssuedSession }
  /** A back-office session: no refresh token; a fresh session id lets sign-out revoke the access token. */
    | { kind: 'platform', adminId: string }

export interface IssuedTokens {
  accessToken: string
  /** Tenant sessions only. */
  refreshToken?: string
  expiresIn: number
}

export async function issueTokens(grant: Grant & { kind: 'tenant' }): Promise<IssuedTokens & { refreshToken: string }>
export async function issueTokens(grant: Grant & { kind: 'platform' }): Promise<IssuedTokens>
export async function issueTokens(grant: Grant): Promise<IssuedTokens> {
  const claims = grant.kind === 'tenant'
    ? { sub: grant.session.user.id, aud: grant.tenantId, sid: grant.session.sessionId, roles: grant.session.roles }
    : { sub: grant.adminId, aud: PLATFORM_AUDIENCE, sid: randomUUID(), roles: ['platform_admin'] }
  const accessToken = await signAccessToken(useConfig().jwtSecret, claims)
  return grant.kind === 'tenant'
    ? { accessToken, refreshToken: grant.session.refresh.token, expiresIn: ACCESS_TOKEN_TTL_SECONDS }
    : { accessToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS }
}
