import { authContracts } from '../../../contracts/auth'
import { redeemHandoff } from '../../../domain/identity/handoff'
import { issueTokens } from '../../../domain/identity/issuing'
import { defineApiHandler } from '../../../utils/api'
import { setSessionCookies } from '../../../utils/cookies'

/**
 * The target host of an organisation switch or a sign-up: the handoff token is spent and a session
 * started in one unit of work of this tenant, then answered and set in cookies like a sign-in.
 */
export default defineApiHandler(authContracts.handoff, async (event, { body, tenant, actor, write }) => {
  const session = await write(tx => redeemHandoff(tx, tenant.id, body.token, actor))
  const tokens = await issueTokens({ kind: 'tenant', tenantId: tenant.id, session })
  setSessionCookies(event, tokens.accessToken, tokens.refreshToken)
  return { ...tokens, user: session.user }
})
