/**
 * Upkeep, once a minute: the outbox relay (server/domain/outbox/relay.ts) enqueues again every
 * outbox row whose enqueue was lost.
 */
import { relayOutbox } from '../../server/domain/outbox/relay'
import { defineJobHandler } from './define'

export default defineJobHandler({
  queue: 'maintenance',
  concurrency: 1,
  process: () => relayOutbox(),
})
