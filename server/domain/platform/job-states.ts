/** Plain data, free of BullMQ, so the route contracts (and pages) can import it. */
/**
 * BullMQ 6's job states. It has no `paused` state: a paused queue keeps its jobs waiting, so
 * pausing is reported per queue (`paused`), not as a count.
 */
export const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed'] as const
