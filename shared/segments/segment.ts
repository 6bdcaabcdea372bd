import * as z from 'zod/mini';
import type { Caller } from '../access/caller';
import { runsMarketing } from '../access/permissions';
import { text } from '../customers/fields';
import { Forbidden, NotFound, ValidationFailed } from '../errors';
import { SEGMENT_AUDIENCES, type SegmentAudience, segmentDefinition, type SegmentDefinition } from './segment-definition';

export const createSegmentInput = z.strictObject({
  name: text(200),
  description: z.optional(text(1000)),
  /** Who it selects: `customers` (the default), `contacts` (of company customers) or `leads`; the definition uses that audience's criteria. */
  audience: z.optional(z.enum(SEGMENT_AUDIENCES)),
  definition: segmentDefinition,
});
export type CreateSegmentInput = z.output<typeof createSegmentInput>;

export interface Segment {
  id: string;
  tenantId: string;
  name: string;
  description: string | null;
  audience: SegmentAudience;
  definition: SegmentDefinition;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  version: number;
}

export class SegmentNotFound extends NotFound {
  constructor(segmentId: string) {
    super(`Segment ${segmentId} not found`);
  }
}

/**
 * Segments select across the whole tenant and their previews list customers, so only the roles
 * that read every customer and run marketing use them: marketers and admins.
 */
export function assertCanUseSegments(caller: Caller): void {
  if (!runsMarketing(caller)) throw new Forbidden('Only marketers and admins use segments');
}

export const SEGMENT_PREVIEW = { sample: { default: 10, max: 50 }, budget: { default: 5000, max: 5000 }, pageSize: 1000 } as const;

/** `?sample=0..50&budget=1..5000`: how many members to show, how many items to read at most. */
export function parsePreviewQuery(query: Record<string, string | undefined>): { sample: number; budget: number } {
  const read = (name: 'sample' | 'budget', min: number) => {
    const raw = query[name];
    const { default: fallback, max } = SEGMENT_PREVIEW[name];
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d{1,5}$/.test(raw) || value < min || value > max) {
      throw new ValidationFailed([{ path: `query.${name}`, message: `Expected a whole number from ${min} to ${max}` }]);
    }
    return value;
  };
  return { sample: read('sample', 0), budget: read('budget', 1) };
}

export function segmentView(segment: Segment) {
  const { tenantId: _tenant, ...view } = segment;
  return view;
}

/** What a preview shows of a lead: who and where in the funnel, not their contact data. */
export function leadMemberView(lead: { id: string; name: string | null; status: string; ownerId: string | null; source: string | null; updatedAt: string }) {
  const { id, name, status, ownerId, source, updatedAt } = lead;
  return { id, name, status, ownerId, source, updatedAt };
}

/**
 * What a preview shows of a contact: who, at which company, and the address a campaign would
 * mail (the first of its emails), so a marketer can see whom a contacts campaign reaches.
 */
export function contactMemberView(member: { contact: { id: string; customerId: string; name: string; title: string | null; emails: string[]; updatedAt: string }; company: { name: string } }) {
  const { id, customerId, name, title, emails, updatedAt } = member.contact;
  return { id, customerId, companyName: member.company.name, name, title, email: emails[0]!, updatedAt };
}

/** What a preview shows of a customer: who, not their contact data. */
export function segmentMemberView(customer: { id: string; name: string; kind: string; lifecycleStage: string; ownerId: string | null; poolId: string | null; tags: string[]; updatedAt: string }) {
  const { id, name, kind, lifecycleStage, ownerId, poolId, tags, updatedAt } = customer;
  return { id, name, kind, lifecycleStage, ownerId, poolId, tags, updatedAt };
}
