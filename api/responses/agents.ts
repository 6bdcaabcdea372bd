import * as z from 'zod/mini';
import { type agentView, PRESENCES, ROUTING_STRATEGIES, type routingPolicyView, WHEN_AWAY } from '../../shared/agents/agent';

/** Response schemas of the agent and routing-policy routes, for the OpenAPI document only; the checks at the end tie them to the views. */

const timestamp = z.string().check(z.meta({ format: 'date-time', description: 'ISO 8601 time (UTC)', examples: ['2026-12-07T09:30:00.000Z'] }));

/** `agentView`. */
export const agentResponse = z.object({
  userId: z.string(),
  presence: z.enum(PRESENCES),
  skills: z.object({
    categories: z.array(z.string()).check(z.describe('Case categories served; empty: every category')),
    languages: z.array(z.string()).check(z.describe('Languages served (`pt` serves `pt-br`); empty: every language')),
  }),
  capacity: z.int().check(z.describe('Open cases routing gives them at most')),
  load: z.int().check(z.describe('Active cases (new, open, pending-customer) assigned to them now, however assigned')),
  assignedCount: z.int().check(z.describe('Cases routing gave them, ever (what round-robin balances)')),
  lastAssignedAt: z.nullable(timestamp),
  presenceChangedAt: timestamp,
  updatedAt: timestamp,
  updatedBy: z.string(),
});

export const agentListResponse = z.object({ items: z.array(agentResponse).check(z.describe('By user id')) });

/** `routingPolicyView`. */
export const routingPolicyResponse = z.object({
  strategy: z.enum(ROUTING_STRATEGIES),
  whenAway: z.enum(WHEN_AWAY),
  updatedAt: z.nullable(timestamp).check(z.describe('null: the defaults, never set')),
  updatedBy: z.nullable(z.string()),
});

// ---- the schemas above must describe what the code returns ---------------------------------

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Holds<T extends true> = T;

type _ResponseSchemasMatchTheCode = [Holds<Equals<z.output<typeof agentResponse>, ReturnType<typeof agentView>>>, Holds<Equals<z.output<typeof routingPolicyResponse>, ReturnType<typeof routingPolicyView>>>];
