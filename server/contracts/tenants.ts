import { z } from 'zod'
import { defineContract, Email, IdParams, listQuery, listResponse, Timestamp, Uuid } from './define'
import { Currency } from './ledger'

export const Slug = z.string().trim().toLowerCase().min(1, 'is required').max(63)

export const CreateTenantBody = z.object({
  slug: Slug,
  name: z.string().trim().min(1, 'is required').max(120),
  baseCurrency: Currency.default('USD'),
  fiscalYearStartMonth: z.number().int().min(1).max(12).default(1),
  chartOfAccounts: z.enum(['standard', 'none']).default('standard'),
  owner: z.object({
    email: Email,
    name: z.string().trim().min(1, 'is required').max(120),
    password: z.string().max(256),
  }).strict(),
}).strict().meta({ id: 'CreateTenant' })

export const UpdateTenantBody = z.object({
  status: z.enum(['active', 'suspended']).optional(),
  name: z.string().trim().min(1, 'is required').max(120).optional(),
}).strict().meta({ id: 'UpdateTenant' })

export const TenantResource = z.object({
  id: Uuid, slug: z.string(), name: z.string(), status: z.enum(['active', 'suspended']),
  baseCurrency: z.string(), fiscalYearStartMonth: z.number().int(), createdAt: Timestamp, updatedAt: Timestamp,
  userCount: z.number().int(),
}).meta({ id: 'Tenant' })

export const TenantListQuery = listQuery(['slug', 'name', 'createdAt', 'status']).extend({
  status: z.enum(['active', 'suspended']).optional(),
})

/**
 * Self-service sign-up: the organisation and its owner's e-mail and name. No password here: the
 * owner gives one when following the e-mailed link (a new account chooses it, an existing one
 * confirms its own), so nothing sent to this route can touch an account.
 */
export const SignupBody = CreateTenantBody.extend({
  owner: z.object({
    email: Email,
    name: z.string().trim().min(1, 'is required').max(120),
  }).strict(),
}).strict().meta({ id: 'SignupRequest' })

/** The same answer for every accepted sign-up, whoever the e-mail belongs to. */
export const SignupPending = z.object({ status: z.literal('pending') }).meta({ id: 'SignupPending' })

/** Sign-up links carry 43 base64url characters; anything else is simply not found. */
export const SignupTokenParams = z.object({ token: z.string().min(1).max(200) })

export const SignupInfo = z.object({
  email: z.string(),
  organisationName: z.string(),
  slug: z.string(),
  /** True: no Paksa account has this e-mail yet, so completing chooses its password; false: it confirms the existing account's own. */
  newAccount: z.boolean(),
  expiresAt: Timestamp,
}).meta({ id: 'SignupLink' })

export const CompleteSignupBody = z.object({
  /** A new account's first password (policy-checked), or the existing account's current one. */
  password: z.string().min(1, 'is required').max(256),
}).strict().meta({ id: 'CompleteSignup' })

export const SignupResponse = z.object({
  tenant: TenantResource.omit({ userCount: true }),
  loginUrl: z.string(),
  handoffUrl: z.string().meta({ description: 'Open it in the browser within 60 s: it signs the owner in on the new organisation\'s host, once' }),
}).meta({ id: 'Signup' })

/**
 * Sign-in only compares with the stored address, so it also takes local ones: the embedded default's
 * generated platform admin is `admin@localhost`, which a strict e-mail check refuses.
 */
const SignInEmail = z.string().trim().max(254).regex(/^[^\s@]+@[^\s@]+$/, 'must be an e-mail address').transform(s => s.toLowerCase())
export const AdminLoginBody = z.object({ email: SignInEmail, password: z.string().min(1, 'is required').max(256) }).strict().meta({ id: 'AdminCredentials' })
export const AdminResource = z.object({ id: Uuid, email: z.string(), name: z.string() }).meta({ id: 'PlatformAdmin' })

export const tenantContracts = {
  adminLogin: defineContract({ operationId: 'loginAdmin', method: 'post', path: '/api/v1/admin/auth/login', tag: 'Back-office', audience: 'public', site: 'admin', summary: 'Platform admin sign-in (admin host)', body: AdminLoginBody, response: z.object({ accessToken: z.string(), expiresIn: z.number().int(), admin: AdminResource }), errors: ['INVALID_CREDENTIALS', 'TOO_MANY_ATTEMPTS'] }),
  adminLogout: defineContract({ operationId: 'logoutAdmin', method: 'post', path: '/api/v1/admin/auth/logout', tag: 'Back-office', audience: 'public', summary: 'Platform admin sign-out', response: z.object({ ok: z.literal(true) }) }),
  adminMe: defineContract({ operationId: 'getAdminMe', method: 'get', path: '/api/v1/admin/me', tag: 'Back-office', audience: 'admin', summary: 'The signed-in platform admin', response: z.object({ admin: AdminResource }) }),
  list: defineContract({ operationId: 'listTenants', method: 'get', path: '/api/v1/admin/tenants', tag: 'Back-office', audience: 'admin', summary: 'List tenants with usage figures', query: TenantListQuery, response: listResponse(TenantResource) }),
  create: defineContract({ operationId: 'createTenant', method: 'post', path: '/api/v1/admin/tenants', tag: 'Back-office', audience: 'admin', summary: 'Create a tenant and its owner', body: CreateTenantBody, response: TenantResource, successStatus: 201, errors: ['SLUG_TAKEN', 'INVALID_SLUG', 'WEAK_PASSWORD'] }),
  get: defineContract({ operationId: 'getTenant', method: 'get', path: '/api/v1/admin/tenants/{id}', tag: 'Back-office', audience: 'admin', summary: 'One tenant', params: IdParams, response: TenantResource }),
  update: defineContract({ operationId: 'updateTenant', method: 'patch', path: '/api/v1/admin/tenants/{id}', tag: 'Back-office', audience: 'admin', summary: 'Suspend, reactivate or rename a tenant', params: IdParams, body: UpdateTenantBody, response: TenantResource }),
  signup: defineContract({ operationId: 'signUp', method: 'post', path: '/api/v1/signup', tag: 'Sign-up', audience: 'public', site: 'apex', summary: 'Self-service sign-up on the apex host: e-mails a link that creates the organisation (always 202, the same for new and existing e-mails)', body: SignupBody, response: SignupPending, successStatus: 202, errors: ['SLUG_TAKEN', 'INVALID_SLUG', 'TOO_MANY_REQUESTS'] }),
  getSignup: defineContract({ operationId: 'getSignupLink', method: 'get', path: '/api/v1/signup/{token}', tag: 'Sign-up', audience: 'public', site: 'apex', summary: 'What a sign-up link is for (organisation, e-mail, whether the account is new)', params: SignupTokenParams, response: SignupInfo, errors: ['SIGNUP_INVALID'] }),
  completeSignup: defineContract({ operationId: 'completeSignup', method: 'post', path: '/api/v1/signup/{token}/complete', tag: 'Sign-up', audience: 'public', site: 'apex', summary: 'Follow a sign-up link: a new account sets its password, an existing one gives its own; creates the organisation with that owner', params: SignupTokenParams, body: CompleteSignupBody, response: SignupResponse, successStatus: 201, errors: ['SIGNUP_INVALID', 'SLUG_TAKEN', 'WEAK_PASSWORD', 'WRONG_PASSWORD', 'ACCOUNT_EXISTS', 'TOO_MANY_ATTEMPTS'] }),
}
