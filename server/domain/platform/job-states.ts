/**
 * BullMQ 6's job states. It has no `paused` state: a paused queue keeps its jobs waiting, so
 * pausing is reported per queue (`paused`), not as a count. Plain data, free of BullMQ, so the
 * route contracts can import it.
 */
export const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed'] as const
