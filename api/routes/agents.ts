import { putAgentInput, routingPolicyInput } from '../../shared/agents/agent';
import { agentListResponse, agentResponse, routingPolicyResponse } from '../responses/agents';
import { areaRoutes } from '../route';

const userId = { userId: 'User id (the token `sub`)' };
const staff = 'Only agents, managers and admins (`forbidden`).';

/** Routing cases to available agents (docs/service.md, "Routing to agents"). */
export const AGENTS_ROUTES = areaRoutes('agents', 'service', [
  {
    method: 'PUT',
    path: '/agents/{userId}',
    auth: 'jwt',
    handler: 'functions/agents/put-agent.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: "Set an agent's presence, skills and capacity",
      description:
        'The whole routing profile: `presence` (available, away, offline), `skills` (case categories and languages; an empty list serves every case) and `capacity` (open cases routing gives them at most). ' +
        'The agent for themself, or an admin for anyone; the user must be an active user of the tenant. Commits `crm.agent.updated.v1`: an available agent is given queued cases they fit, oldest first; ' +
        'an agent who is away or offline gets their `new` and `open` cases put back in the queue when the routing policy says `whenAway: requeue`. Their load and assignment count are kept.',
      tags: ['Service'],
      pathParameters: userId,
      requestBody: { schema: putAgentInput, description: 'The profile. Unknown fields are rejected by name.' },
      success: { status: 201, description: 'Created (200 with the same body when a profile was replaced).', schema: agentResponse, headers: ['Location'] },
      errors: {
        400: 'The body fails the schema (each field named in `errors`), or the user is not an active user of the tenant (`path.userId`).',
        403: 'Agents set only their own profile; admins anyone\'s (`forbidden`).',
        409: 'Other writes of the same profile kept winning (`conflict`); send it again.',
      },
    },
  },
  {
    method: 'GET',
    path: '/agents/{userId}',
    auth: 'jwt',
    handler: 'functions/agents/get-agent.ts',
    access: { table: 'read' },
    doc: {
      summary: "Read an agent's routing profile",
      description: 'Presence, skills, capacity, the current load (active cases assigned to them) and routing\'s assignment count. Agents, managers and admins.',
      tags: ['Service'],
      pathParameters: userId,
      success: { status: 200, description: 'The agent.', schema: agentResponse },
      errors: { 403: staff, 404: 'No routing profile for this user (`not-found`).' },
    },
  },
  {
    method: 'GET',
    path: '/agents',
    auth: 'jwt',
    handler: 'functions/agents/list-agents.ts',
    access: { table: 'read' },
    doc: {
      summary: "List the tenant's agents",
      description: 'Every agent with a routing profile, with presence, skills, capacity and load; one Query. Agents, managers and admins.',
      tags: ['Service'],
      success: { status: 200, description: 'The agents.', schema: agentListResponse },
      errors: { 403: staff },
    },
  },
  {
    method: 'GET',
    path: '/routing-policy',
    auth: 'jwt',
    handler: 'functions/agents/get-routing-policy.ts',
    access: { table: 'read' },
    doc: {
      summary: 'Read the routing policy',
      description: 'The strategy that picks an agent (`round-robin` or `least-busy`) and what happens to an absent agent\'s cases (`keep` or `requeue`); round-robin and keep until an admin sets it.',
      tags: ['Service'],
      success: { status: 200, description: 'The policy.', schema: routingPolicyResponse },
      errors: { 403: staff },
    },
  },
  {
    method: 'PUT',
    path: '/routing-policy',
    auth: 'jwt',
    handler: 'functions/agents/put-routing-policy.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Set the routing policy',
      description: '`strategy`: `round-robin` (fewest routed cases first, then the longest idle) or `least-busy` (lowest load/capacity first). `whenAway`: `keep` or `requeue`. Applies from the next routing decision. Admins only.',
      tags: ['Service'],
      requestBody: { schema: routingPolicyInput, description: 'Fields left out take their defaults (round-robin, keep).' },
      success: { status: 200, description: 'Set.', schema: routingPolicyResponse },
      errors: { 400: 'The body fails the schema (named in `errors`).', 403: 'Only an admin (`forbidden`).' },
    },
  },
]);
