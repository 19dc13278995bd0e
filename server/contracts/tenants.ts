import { z } from 'zod'
import { defineContract, Email, IdParams, listQuery, listResponse, Timestamp, Uuid } from './define'

export const Slug = z.string().trim().toLowerCase().min(1, 'is required').max(63)
export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')

export const CreateTenantBody = z.object({
  slug: Slug,
  name: z.string().trim().min(1, 'is required').max(120),
  baseCurrency: CurrencyCode.default('USD'),
  fiscalYearStartMonth: z.number().int().min(1).max(12).default(1),
  chartOfAccounts: z.enum(['standard', 'none']).default('standard'),
  owner: z.object({
    email: Email,
    name: z.string().trim().min(1, 'is required').max(120),
    password: z.string().max(256),
  }).strict(),
}).strict()

export const UpdateTenantBody = z.object({
  status: z.enum(['active', 'suspended']).optional(),
  name: z.string().trim().min(1, 'is required').max(120).optional(),
}).strict()

export const TenantResource = z.object({
  id: Uuid, slug: z.string(), name: z.string(), status: z.enum(['active', 'suspended']),
  baseCurrency: z.string(), fiscalYearStartMonth: z.number().int(), createdAt: Timestamp, updatedAt: Timestamp,
  userCount: z.number().int(),
})

export const TenantListQuery = listQuery(['slug', 'name', 'createdAt', 'status']).extend({
  status: z.enum(['active', 'suspended']).optional(),
})

export const SignupResponse = z.object({ tenant: TenantResource.omit({ userCount: true }), loginUrl: z.string() })

/**
 * Sign-in only compares with the stored address, so it also takes local ones: the embedded default's
 * generated platform admin is `admin@localhost`, which a strict e-mail check refuses.
 */
const SignInEmail = z.string().trim().max(254).regex(/^[^\s@]+@[^\s@]+$/, 'must be an e-mail address').transform(s => s.toLowerCase())
export const AdminLoginBody = z.object({ email: SignInEmail, password: z.string().min(1, 'is required').max(256) }).strict()
export const AdminResource = z.object({ id: Uuid, email: z.string(), name: z.string() })

export const tenantContracts = {
  adminLogin: defineContract({ method: 'post', path: '/api/v1/admin/auth/login', tag: 'Back-office', audience: 'public', summary: 'Platform admin sign-in (admin host)', body: AdminLoginBody, response: z.object({ accessToken: z.string(), expiresIn: z.number().int(), admin: AdminResource }), errors: ['INVALID_CREDENTIALS', 'TOO_MANY_ATTEMPTS'] }),
  adminLogout: defineContract({ method: 'post', path: '/api/v1/admin/auth/logout', tag: 'Back-office', audience: 'public', summary: 'Platform admin sign-out', response: z.object({ ok: z.literal(true) }) }),
  adminMe: defineContract({ method: 'get', path: '/api/v1/admin/me', tag: 'Back-office', audience: 'admin', summary: 'The signed-in platform admin', response: z.object({ admin: AdminResource }) }),
  list: defineContract({ method: 'get', path: '/api/v1/admin/tenants', tag: 'Back-office', audience: 'admin', summary: 'List tenants with usage figures', query: TenantListQuery, response: listResponse(TenantResource) }),
  create: defineContract({ method: 'post', path: '/api/v1/admin/tenants', tag: 'Back-office', audience: 'admin', summary: 'Create a tenant and its owner', body: CreateTenantBody, response: TenantResource, successStatus: 201, errors: ['SLUG_TAKEN', 'INVALID_SLUG', 'WEAK_PASSWORD'] }),
  get: defineContract({ method: 'get', path: '/api/v1/admin/tenants/{id}', tag: 'Back-office', audience: 'admin', summary: 'One tenant', params: IdParams, response: TenantResource }),
  update: defineContract({ method: 'patch', path: '/api/v1/admin/tenants/{id}', tag: 'Back-office', audience: 'admin', summary: 'Suspend, reactivate or rename a tenant', params: IdParams, body: UpdateTenantBody, response: TenantResource }),
  signup: defineContract({ method: 'post', path: '/api/v1/signup', tag: 'Sign-up', audience: 'public', summary: 'Self-service sign-up on the apex host: a new tenant and its owner', body: CreateTenantBody, response: SignupResponse, successStatus: 201, errors: ['SLUG_TAKEN', 'INVALID_SLUG', 'WEAK_PASSWORD'] }),
}
