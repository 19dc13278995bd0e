import { z } from 'zod'
import { defineContract, Email, IdParams, Timestamp, Uuid } from './define'

/** Tokens are 43 base64url characters; anything else is simply not found (one answer for all). */
export const EmailTokenParams = z.object({ token: z.string().min(1).max(200) })

export const InvitationInfo = z.object({
  email: z.string(),
  /** The name the admin typed, if any (a new account may keep or change it). */
  name: z.string().nullable(),
  tenantName: z.string(),
  /** True: no Paksa account has this e-mail yet, so accepting chooses its password; false: it confirms the existing account's own. */
  newAccount: z.boolean(),
  expiresAt: Timestamp,
}).meta({ id: 'Invitation' })

export const AcceptInvitationBody = z.object({
  /** A new account's display name (the name the admin typed when omitted). Ignored for an existing account, which keeps its own. */
  name: z.string().trim().min(1, 'is required').max(120).optional(),
  /** A new account's first password (policy-checked), or the existing account's current one. */
  password: z.string().min(1, 'is required').max(256),
}).strict().meta({ id: 'AcceptInvitation' })

export const IssuedInvitation = z.object({ id: Uuid, email: z.string(), expiresAt: Timestamp }).meta({ id: 'IssuedInvitation' })

export const PasswordResetRequestBody = z.object({ email: Email }).strict().meta({ id: 'PasswordResetRequest' })

export const PasswordResetConfirmBody = z.object({
  token: z.string().min(1, 'is required').max(200),
  password: z.string().max(256),
}).strict().meta({ id: 'PasswordResetConfirm' })

const Ok = z.object({ ok: z.literal(true) })

export const invitationContracts = {
  resend: defineContract({ operationId: 'resendInvitation', method: 'post', path: '/api/v1/users/{id}/invitation', tag: 'Users', audience: 'tenant', permission: 'users:manage', summary: 'Send a pending member a new invitation link (the earlier link stops working)', params: IdParams, response: IssuedInvitation, successStatus: 201, errors: ['INVITATION_ALREADY_ACCEPTED'] }),
  get: defineContract({ operationId: 'getInvitation', method: 'get', path: '/api/v1/invitations/{token}', tag: 'Invitations', audience: 'public', site: 'tenant', summary: 'What an invitation link is for (tenant, e-mail, whether the account is new)', params: EmailTokenParams, response: InvitationInfo, errors: ['INVITATION_INVALID'] }),
  accept: defineContract({ operationId: 'acceptInvitation', method: 'post', path: '/api/v1/invitations/{token}/accept', tag: 'Invitations', audience: 'public', site: 'tenant', summary: 'Accept an invitation: a new account sets its name and password, an existing one gives its own password', params: EmailTokenParams, body: AcceptInvitationBody, response: Ok, errors: ['INVITATION_INVALID', 'WEAK_PASSWORD', 'WRONG_PASSWORD', 'ALREADY_MEMBER', 'ACCOUNT_EXISTS', 'TOO_MANY_ATTEMPTS'] }),
  requestReset: defineContract({ operationId: 'requestPasswordReset', method: 'post', path: '/api/v1/auth/password-reset', tag: 'Auth', audience: 'public', site: 'tenant', summary: 'Mail a password reset link if the e-mail belongs to a member here (always 202)', body: PasswordResetRequestBody, response: Ok, successStatus: 202, errors: ['TOO_MANY_REQUESTS'] }),
  confirmReset: defineContract({ operationId: 'confirmPasswordReset', method: 'post', path: '/api/v1/auth/password-reset/confirm', tag: 'Auth', audience: 'public', site: 'tenant', summary: 'Set a new password with a reset token; signs out the member\'s sessions here', body: PasswordResetConfirmBody, response: Ok, errors: ['RESET_TOKEN_INVALID', 'WEAK_PASSWORD'] }),
}
