import { userContracts } from '../../../contracts/users'
import { listMembers } from '../../../domain/identity/members'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(userContracts.list, async (_event, { query, read }) => {
  const { data, total } = await read(tx => listMembers(tx, query))
  return { data, page: query.page, pageSize: query.pageSize, total }
})
