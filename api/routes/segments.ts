import * as z from 'zod/mini';
import { createSegmentInput, SEGMENT_PREVIEW } from '../../shared/segments/segment';
import { SEGMENT_AUDIENCES, segmentDefinition } from '../../shared/segments/segment-definition';
import { auditFields } from '../responses/common';
import { areaRoutes } from '../route';

const segmentResponse = z.object({ id: z.string(), name: z.string(), description: z.nullable(z.string()), audience: z.enum(SEGMENT_AUDIENCES), definition: segmentDefinition, ...auditFields });
const customerMember = z.object({ id: z.string(), name: z.string(), kind: z.string(), lifecycleStage: z.string(), ownerId: z.nullable(z.string()), poolId: z.nullable(z.string()), tags: z.array(z.string()), updatedAt: z.string() });
const contactMember = z.object({ id: z.string(), customerId: z.string(), companyName: z.string(), name: z.string(), title: z.nullable(z.string()), email: z.string(), updatedAt: z.string() });
const leadMember = z.object({ id: z.string(), name: z.nullable(z.string()), status: z.string(), ownerId: z.nullable(z.string()), source: z.nullable(z.string()), updatedAt: z.string() });
const segmentPreviewResponse = z.object({
  segmentId: z.string(),
  audience: z.enum(SEGMENT_AUDIENCES),
  count: z.number(),
  sample: z.array(z.union([customerMember, contactMember, leadMember])),
  evaluatedAt: z.string(),
  scanned: z.number(),
  complete: z.boolean(),
  index: z.string(),
  partitions: z.number(),
});

const id = { id: 'Segment id' };
const segmentUsers = 'Only marketers and admins use segments (`forbidden`).';

/** Segments: saved filters over customer attributes (docs/marketing.md). */
export const SEGMENTS_ROUTES = areaRoutes('segments', 'marketing', [
  {
    method: 'POST',
    path: '/segments',
    auth: 'jwt',
    handler: 'functions/segments/create-segment.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Save a segment',
      description:
        'A saved filter over customer attributes. Every criterion is optional; criteria combine with AND, a list inside one means "any of" (`tags.all`: all of). ' +
        'Ranges (`lastActivityAt`: the last follow-up a user logged; `lastPurchaseAt`: the last won deal) take `after`/`before` timestamps and `withinDays`/`notWithinDays` ' +
        'relative to the evaluation; a customer without a value matches only with `never: true`. `customFields` conditions must fit the field\'s type. ' +
        '`audience` (default `customers`) may be `contacts`: the people at company customers, with every customer criterion but `kinds` applied to their company and `consentGranted` to the contact\'s own consent; only contacts with an email are members. ' +
        'It may be `leads`: then the criteria are `leadStatuses` (default the open ones: new, nurture, mql, sql; the nurture list is `nurture`), `sources`, `ownerIds`, `industries`, `regions` and `consentGranted`, read from the status lists (GSI5). Marketers and admins.',
      tags: ['Marketing'],
      requestBody: { schema: createSegmentInput, description: 'The segment. Unknown fields are rejected by name.' },
      success: { status: 201, description: 'Saved.', schema: segmentResponse, headers: ['Location', 'ETag'] },
      errors: { 400: 'The body fails the schema, a criterion is not one of the audience\'s (`definition.<criterion>`), or a custom field condition names an undefined key or does not fit its type (`definition.customFields.<key>`).', 403: segmentUsers },
    },
  },
  {
    method: 'GET',
    path: '/segments',
    auth: 'jwt',
    handler: 'functions/segments/list-segments.ts',
    access: { table: 'read' },
    doc: {
      summary: "The tenant's segments",
      description: 'Every segment, oldest first. Marketers and admins. One Query.',
      tags: ['Marketing'],
      success: { status: 200, description: 'The segments.', schema: z.object({ items: z.array(segmentResponse) }) },
      errors: { 403: segmentUsers },
    },
  },
  {
    method: 'GET',
    path: '/segments/{id}',
    auth: 'jwt',
    handler: 'functions/segments/get-segment.ts',
    access: { table: 'read' },
    doc: {
      summary: 'Read a segment',
      description: 'Marketers and admins.',
      tags: ['Marketing'],
      pathParameters: id,
      success: { status: 200, description: 'The segment.', schema: segmentResponse, headers: ['ETag'] },
      errors: { 403: segmentUsers, 404: 'No such segment in your tenant (`not-found`).' },
    },
  },
  {
    method: 'GET',
    path: '/segments/{id}/preview',
    auth: 'jwt',
    handler: 'functions/segments/preview-segment.ts',
    // Reads up to 5,000 index items per preview (docs/marketing.md): more time than a single read.
    timeoutSeconds: 29,
    access: { table: 'read' },
    doc: {
      summary: 'Count a segment and show a sample',
      description:
        'Evaluates the segment now: Queries the narrowest index its definition allows (owners\' books, else pools\' books, else stage lists, else the tenant list; ' +
        '`index`, `partitions`) page by page and applies the other criteria to each customer. Answers the number of matching customers, the first `sample` of them ' +
        '(most recently updated first), `evaluatedAt` and `scanned` (index items read: the cost). A `contacts` segment reads each matching company\'s contacts (one Query of its partition, counted in `scanned`) ' +
        'and lists contacts: id, `customerId`, `companyName`, name, title and the `email` a campaign would mail. A `leads` segment reads the status lists and lists leads. Reads at most `budget` items; when the segment\'s partitions hold ' +
        'more, `count` covers what was read and `complete` is false. No table Scan: the cost is bounded by the tenant\'s customers in those partitions.',
      tags: ['Marketing'],
      pathParameters: id,
      queryParameters: {
        sample: { description: `Members (customers, contacts or leads) to list (0-${SEGMENT_PREVIEW.sample.max}, default ${SEGMENT_PREVIEW.sample.default}).`, schema: z.string() },
        budget: { description: `Index items to read at most (1-${SEGMENT_PREVIEW.budget.max}, default ${SEGMENT_PREVIEW.budget.default}).`, schema: z.string() },
      },
      success: { status: 200, description: 'The count, a sample and the cost.', schema: segmentPreviewResponse },
      errors: { 400: 'A query parameter is out of range (`query.sample`, `query.budget`).', 403: segmentUsers, 404: 'No such segment in your tenant (`not-found`).' },
    },
  },
]);
