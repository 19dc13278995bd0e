import { userContracts } from '../../../contracts/users'
import { getMember } from '../../../domain/identity/members'
import { defineApiHandler } from '../../../utils/api'
import { setVersionTag } from '../../../utils/versioning'

export default defineApiHandler(userContracts.get, async (event, { params, read }) => {
  const member = await read(tx => getMember(tx, params.id))
  setVersionTag(event, member.version)
  return member
})
