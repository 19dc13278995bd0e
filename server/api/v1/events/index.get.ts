import { eventContracts } from '../../../contracts/events'
import { listEvents } from '../../../domain/events/events'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(eventContracts.listEvents, async (_event, { query, read }) => read(tx => listEvents(tx, query)))
