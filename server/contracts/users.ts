import { z } from 'zod'
import { ROLES } from '../domain/identity/rbac'
import { defineContract, Email, IdParams, listQuery, listResponse, Timestamp, Uuid } from './define'

export const RoleName = z.enum(ROLES)
const Roles = z.array(RoleName).min(1, 'needs at least one role').max(ROLES.length).transform(r => [...new Set(r)])

export const CreateUserBody = z.object({
  email: Email,
  name: z.string().trim().min(1, 'is required').max(120),
  password: z.string().max(256).optional(),
  roles: Roles,
}).strict()

export const UpdateUserBody = z.object({
  roles: Roles,
  version: z.number().int().min(1).optional(),
}).strict()

export const UserResource = z.object({
  id: Uuid, email: z.string(), name: z.string(), roles: z.array(z.string()),
  version: z.number().int(), createdAt: Timestamp, updatedAt: Timestamp,
})

export const UserListQuery = listQuery(['email', 'name', 'createdAt'])

export const userContracts = {
  list: defineContract({ method: 'get', path: '/api/v1/users', tag: 'Users', audience: 'tenant', permission: 'users:read', summary: 'List the members of this tenant', query: UserListQuery, response: listResponse(UserResource) }),
  create: defineContract({ method: 'post', path: '/api/v1/users', tag: 'Users', audience: 'tenant', permission: 'users:manage', summary: 'Add a member (creates the platform user when the e-mail is new); without a password, an invitation is e-mailed', body: CreateUserBody, response: UserResource, successStatus: 201, idempotent: true, errors: ['ALREADY_MEMBER', 'EXISTING_USER_PASSWORD', 'WEAK_PASSWORD', 'OWNER_ONLY'] }),
  get: defineContract({ method: 'get', path: '/api/v1/users/{id}', tag: 'Users', audience: 'tenant', permission: 'users:read', summary: 'One member', params: IdParams, response: UserResource }),
  update: defineContract({ method: 'patch', path: '/api/v1/users/{id}', tag: 'Users', audience: 'tenant', permission: 'users:manage', summary: 'Change a member\'s roles', params: IdParams, body: UpdateUserBody, response: UserResource, errors: ['STALE_VERSION', 'LAST_OWNER', 'OWNER_ONLY'] }),
  remove: defineContract({ method: 'delete', path: '/api/v1/users/{id}', tag: 'Users', audience: 'tenant', permission: 'users:manage', summary: 'Remove a member from this tenant', params: IdParams, response: z.object({ ok: z.literal(true) }), errors: ['LAST_OWNER', 'OWNER_ONLY'] }),
}
