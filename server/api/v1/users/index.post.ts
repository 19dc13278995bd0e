import { userContracts } from '../../../contracts/users'
import { addMember } from '../../../domain/identity/members'
import { defineApiHandler } from '../../../utils/api'

/** The invitation mail is handed to the queue only once the membership has committed (unit.mail). */
export default defineApiHandler(userContracts.create, async (_event, { body, tenant, actor, write }) =>
  write((tx, unit) => addMember(tx, tenant.id, actor, body, unit.mail)))
