import { z } from 'zod'
import { ROLES } from '../domain/identity/rbac'
import { defineContract, Email, IdParams, listQuery, listResponse, Timestamp, Uuid } from './define'

export const RoleName = z.enum(ROLES)
const Roles = z.array(RoleName).min(1, 'needs at least one role').max(ROLES.length).transform(r => [...new Set(r)])

/**
 * Adding a member always invites: no password, and the same 201 whether or not the e-mail has a
 * Paksa account. `name` is how the admin refers to them until they accept (optional).
 */
export const CreateUserBody = z.object({
  email: Email,
  name: z.string().trim().min(1, 'is required').max(120).optional(),
  roles: Roles,
}).strict().meta({ id: 'CreateUser' })

export const UpdateUserBody = z.object({
  roles: Roles,
  version: z.number().int().min(1).optional(),
}).strict().meta({ id: 'UpdateUser' })

/**
 * A member of this tenant. `status: "invited"` is a pending membership (the invitation): `id` is
 * the invitation's, `email` and `name` are what the admin typed, and nothing about any platform
 * account shows. Once accepted it is `"active"`, with the account's own id, e-mail and name.
 */
export const UserResource = z.object({
  id: Uuid, email: z.string(), name: z.string().nullable(), roles: z.array(z.string()),
  status: z.enum(['active', 'invited']),
  version: z.number().int(), createdAt: Timestamp, updatedAt: Timestamp,
}).meta({ id: 'User' })

export const UserListQuery = listQuery(['email', 'name', 'createdAt'])

export const userContracts = {
  list: defineContract({ operationId: 'listUsers', method: 'get', path: '/api/v1/users', tag: 'Users', audience: 'tenant', permission: 'users:read', summary: 'List the members of this tenant', query: UserListQuery, response: listResponse(UserResource) }),
  create: defineContract({ operationId: 'createUser', method: 'post', path: '/api/v1/users', tag: 'Users', audience: 'tenant', permission: 'users:manage', summary: 'Invite a member: a pending membership and an e-mailed invitation; the same answer whether or not the e-mail has a Paksa account', body: CreateUserBody, response: UserResource, successStatus: 201, idempotent: true, errors: ['ALREADY_MEMBER', 'OWNER_ONLY'] }),
  get: defineContract({ operationId: 'getUser', method: 'get', path: '/api/v1/users/{id}', tag: 'Users', audience: 'tenant', permission: 'users:read', summary: 'One member (or pending invitation)', params: IdParams, response: UserResource }),
  update: defineContract({ operationId: 'updateUser', method: 'patch', path: '/api/v1/users/{id}', tag: 'Users', audience: 'tenant', permission: 'users:manage', summary: 'Change a member\'s (or a pending invitation\'s) roles', params: IdParams, body: UpdateUserBody, response: UserResource, errors: ['STALE_VERSION', 'LAST_OWNER', 'OWNER_ONLY'] }),
  remove: defineContract({ operationId: 'removeUser', method: 'delete', path: '/api/v1/users/{id}', tag: 'Users', audience: 'tenant', permission: 'users:manage', summary: 'Remove a member from this tenant, or withdraw a pending invitation', params: IdParams, response: z.object({ ok: z.literal(true) }), errors: ['LAST_OWNER', 'OWNER_ONLY'] }),
}
