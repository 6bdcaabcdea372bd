import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from './envelope';

/** Routing gave a lead to a rep of a team: which rule chose the team, which ticket the rep. */
export const leadAssignedV1 = defineEvent(
  'crm.lead.assigned.v1',
  z.object({
    leadId: z.string(),
    teamId: z.string(),
    toOwnerId: z.string(),
    rule: z.string(),
    /** The team's round-robin ticket that picked the rep. */
    ticket: z.number(),
    /** When first contact is due (the rule's response time after routing); the rep's first-contact task is due then. Absent on events from before it existed. */
    respondBy: z.optional(z.iso.datetime()),
  }),
);

export type LeadAssignedV1 = DetailOf<typeof leadAssignedV1>;
