import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from '../envelope';

const presence = z.enum(['available', 'away', 'offline']);

/**
 * An agent's routing profile was written (PUT /agents/{userId}): the router drains the queue for
 * an available agent, or puts an unavailable agent's cases back in the queue when the policy says
 * so. Ids, presence and numbers only; the consumer acts on the agent as it is when it runs.
 */
export const agentUpdatedV1 = defineEvent(
  'crm.agent.updated.v1',
  z.object({
    userId: z.string(),
    presence,
    /** null: the first profile of this user. */
    previousPresence: z.nullable(presence),
    capacity: z.int(),
    previousCapacity: z.nullable(z.int()),
  }),
);

export type AgentUpdatedV1 = DetailOf<typeof agentUpdatedV1>;
