import * as z from 'zod/mini';
import { CALL_OUTCOMES, SYSTEM_ACTIVITY_TYPES, TIMELINE_ACTIVITY_TYPES, type activityView } from '../../shared/activities/activity';
import type { listActivities } from '../../shared/activities/activity-use-cases';
import { caseResponse } from './cases';
import type { contactView } from '../../shared/contacts/contact';
import { addressSchema, CUSTOMER_KINDS, type customerView, LIFECYCLE_STAGES } from '../../shared/customers/customer';
import type { getCustomer360 } from '../../shared/customers/customer-360-repository';
import type { checkDuplicates } from '../../shared/customers/duplicate-check-repository';
import { CUSTOM_FIELD_ENTITIES, CUSTOM_FIELD_TYPES, type customFieldView } from '../../shared/custom-fields/custom-field-definition';
import { ownershipChangeResponse } from './allocation';
import { dealResponse } from './deals';
import { taskResponse } from './tasks';
import { contractResponse, orderResponse, processResponse, purchaseSummaryResponse, quoteResponse } from './processes';
import type { ProblemDetails } from '../../shared/http/problem';

/**
 * What the API answers, as zod/mini schemas for the OpenAPI document only: no handler parses its
 * own output. The views are plain functions (`customerView`, `contactView`...), so the type checks
 * at the end of this file tie each schema to the function it describes; changing a view without
 * its schema fails `tsc`.
 */

const timestamp = z.string().check(z.meta({ format: 'date-time', description: 'ISO 8601 time (UTC)', examples: ['2026-11-23T09:30:00.000Z'] }));
const ulid = (description: string) => z.string().check(z.meta({ description, examples: ['01JD6Q2N8R5W3Y7Z9A1B2C3D4E'] }));
const userId = (description: string) => z.string().check(z.describe(description));
const storedEmail = z.string().check(z.meta({ format: 'email', description: 'Normalized: trimmed, lower case' }));
const storedPhone = z.string().check(z.meta({ description: 'E.164, e.g. +493012345678', examples: ['+493012345678'] }));
const version = z.int().check(z.minimum(1), z.describe('Starts at 1, +1 per change; the ETag is this number in quotes'));
const consentFlags = z.record(z.string(), z.boolean()).check(z.describe('Topic -> opted in (true) or out (false)'));

/** Who made and last changed a marketing record (template, segment), and its version: fields to spread into its schema. */
export const auditFields = { createdAt: z.string(), createdBy: z.string(), updatedAt: z.string(), updatedBy: z.string(), version: z.number() };

/** `customerView`: the customer as GET/POST/PATCH /customers answer it. */
export const customerResponse = z.object({
  id: ulid('Customer id'),
  kind: z.enum(CUSTOMER_KINDS),
  name: z.string(),
  emails: z.array(storedEmail),
  phones: z.array(storedPhone),
  website: z.nullable(z.string().check(z.meta({ format: 'uri', description: 'http(s) URL' }))),
  domain: z.nullable(z.string().check(z.describe('The company web domain, unique in the tenant; null for persons'))),
  address: z.nullable(addressSchema),
  industry: z.nullable(z.string()),
  region: z.nullable(z.string()),
  level: z.nullable(z.string()),
  lifecycleStage: z.enum(LIFECYCLE_STAGES),
  source: z.nullable(z.string()),
  tags: z.array(z.string()),
  ownerId: z.nullable(userId('The owning user (a rep); null while the customer is in the pool')),
  teamId: z.nullable(z.string().check(z.describe("The owner's sales team (from the owner's `custom:teamId`); managers see their team's customers"))),
  consent: consentFlags,
  customFields: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]))
    .check(z.meta({ description: "Key -> value of the tenant's custom fields (GET /custom-fields); keys without a value are absent", examples: [{ contractEnd: '2027-03-31', seats: 25 }] })),
  lastFollowUpAt: z.nullable(timestamp),
  createdAt: timestamp,
  createdBy: userId('User id of the creator'),
  updatedAt: timestamp,
  updatedBy: userId('User id of the last editor'),
  version,
  poolId: z.nullable(z.string().check(z.describe('The public pool an unowned customer waits in; null while owned or unassigned'))),
  assignedAt: z.nullable(timestamp.check(z.describe('When the current owner got the customer (creation, claim, assignment)'))),
  locked: z.boolean().check(z.describe("A locked customer stays with its owner: exempt from reclaim when the pool's policy says so")),
});

/** `contactView`: a person at a company customer. */
export const contactResponse = z.object({
  id: ulid('Contact id'),
  customerId: ulid('The company customer'),
  name: z.string(),
  title: z.nullable(z.string()),
  emails: z.array(storedEmail),
  phones: z.array(storedPhone),
  consent: consentFlags,
  createdAt: timestamp,
  updatedAt: timestamp,
  version,
});

/** `activityView`: one entry of the timeline. */
export const activityResponse = z.object({
  id: ulid('Activity id'),
  type: z.enum(TIMELINE_ACTIVITY_TYPES).check(z.describe(`${SYSTEM_ACTIVITY_TYPES.map((t) => `\`${t}\``).join(', ')} entries are written by the system; users cannot log them`)),
  occurredAt: timestamp,
  subject: z.nullable(z.string()),
  body: z.nullable(z.string()),
  payload: z.nullable(z.record(z.string(), z.unknown())),
  call: z.nullable(
    z.object({
      direction: z.enum(['inbound', 'outbound']),
      durationSeconds: z.optional(z.number()),
      outcome: z.optional(z.enum(CALL_OUTCOMES)),
    }),
  ).check(z.describe('A call: direction, duration and outcome')),
  meeting: z.nullable(
    z.object({
      startAt: timestamp,
      endAt: timestamp,
      location: z.optional(z.string()),
      attendees: z.optional(z.array(z.object({ contactId: z.optional(z.string()), userId: z.optional(z.string()), name: z.optional(z.string()), email: z.optional(z.string()) }))),
    }),
  ).check(z.describe('A meeting: start, end, place and who took part')),
  nextStepTaskId: z.nullable(z.string()).check(z.describe('The task this activity set as its next step (`nextStep`)')),
  actor: z.object({ type: z.enum(['user', 'system']), id: z.string() }),
  loggedAt: timestamp,
});

/** GET /customers/{id}/activities */
export const customerPageResponse = z.object({
  items: z.array(customerResponse).check(z.describe('Most recently updated first; by name for a name-prefix search')),
  cursor: z.nullable(z.string()).check(z.describe('Pass as ?cursor= for the next page; null on the last page. A page may hold fewer than `limit` items when filters apply: read on while the cursor is not null')),
});

export const activityPageResponse = z.object({
  items: z.array(activityResponse).check(z.describe('Newest first by occurredAt')),
  cursor: z.nullable(z.string()).check(z.describe('Pass as ?cursor= for the next page; null on the last page')),
});

/** A consent answer with its evidence. */
export const consentRecord = z.object({
  granted: z.boolean(),
  at: timestamp,
  source: z.string().check(z.describe('Where the answer came from, e.g. api')),
});

const storedRecords = (what: string) => z.array(z.record(z.string(), z.unknown())).check(z.describe(what));

/** `exportCustomer`: every item of the customer's partition, grouped, without storage keys. */
export const leadExportResponse = z.object({
  exportedAt: z.iso.datetime(),
  leadId: z.string(),
  profile: z.record(z.string(), z.unknown()).check(z.describe('The stored lead')),
  signals: storedRecords('What scored the lead: page views, mail opens, form posts'),
  other: storedRecords('Any other record of the lead (domain events still in the outbox, kept 7 days)'),
});

export const customerExportResponse = z.object({
  exportedAt: z.iso.datetime(),
  customerId: z.string(),
  profile: z.record(z.string(), z.unknown()).check(z.describe('The stored profile, consent evidence included')),
  contacts: storedRecords('Stored contacts'),
  activities: storedRecords('The whole timeline'),
  events: storedRecords('Domain events still in the outbox (kept 7 days)'),
  other: storedRecords('Any other record of the customer (ownership history, processing markers)'),
});

/** `getCustomer360`: everything about one customer in one answer. */
export const customer360Response = z.object({
  customer: customerResponse,
  consent: z.record(z.string(), consentRecord).check(z.describe('Topic -> the answer with its time and source (evidence)')),
  contacts: z.array(contactResponse),
  deals: z.array(dealResponse).check(z.describe('The customer\'s deals, open and closed')),
  ownershipHistory: z.array(ownershipChangeResponse).check(z.describe('Every change of owner (created, claimed, released, assigned, reclaimed, merged), oldest first')),
  tasks: z.array(taskResponse).check(z.describe("The customer's and its deals' follow-up tasks: open ones soonest due first, then done ones latest first")),
  cases: z.array(caseResponse).check(z.describe("The customer's service cases: active ones first, longest waiting on top, then done ones latest first (threads at GET /cases/{id})")),
  service: z
    .object({
      activeCases: z.int(),
      complaints: z.int().check(z.describe('Cases of category `complaint` or `complaint-...`, open or done')),
      recentComplaints: z.int().check(z.describe('Complaints opened in the last 90 days')),
      slaBreachedCases: z.int().check(z.describe('Cases with an SLA target breached')),
      lastCaseAt: z.nullable(z.string()),
    })
    .check(z.describe("The customer's service in figures, from the cases above (for risk flags)")),
  processes: z.array(processResponse).check(z.describe("The customer's approval processes: running ones first, longest waiting on top, then ended ones latest first")),
  quotes: z.array(quoteResponse).check(z.describe("The customer's quotes, latest changed first")),
  orders: z.array(orderResponse).check(z.describe("The customer's orders, latest placed first")),
  contracts: z.array(contractResponse).check(z.describe("The customer's contracts: active and pending ones first, soonest ending on top, then the others latest changed first")),
  purchases: purchaseSummaryResponse.check(z.describe("The customer's purchase figures: orders not cancelled, lifetime spend per currency, first and last purchase")),
  latestActivities: z.array(activityResponse).check(z.describe('The latest 20, newest first')),
});

/** `checkDuplicates`: who might already be this customer. */
export const duplicateMatchesResponse = z.object({
  matches: z.array(
    z.object({
      customerId: ulid('Customer id'),
      name: z.string(),
      kind: z.enum(CUSTOMER_KINDS),
      ownerId: z.nullable(z.string()),
      matchedOn: z.array(z.object({ field: z.enum(['email', 'phone', 'domain', 'name']), value: z.string() })),
    }),
  ).check(z.describe('Most matched fields first')),
});

/** `customFieldView`: a custom field definition (POST /custom-fields answers it, GET lists them). */
export const customFieldResponse = z.object({
  key: z.string().check(z.meta({ description: 'The property name in `customFields`', examples: ['contractEnd'] })),
  appliesTo: z.enum(CUSTOM_FIELD_ENTITIES),
  label: z.string(),
  type: z.enum(CUSTOM_FIELD_TYPES),
  options: z.nullable(z.array(z.string())).check(z.describe('The allowed values of a select or multiselect field, in display order; null for other types')),
  description: z.nullable(z.string()),
  createdAt: timestamp,
  createdBy: userId('The admin who defined it'),
});

/** GET /custom-fields */
export const customFieldListResponse = z.object({ items: z.array(customFieldResponse).check(z.describe('In key order')) });

/** GET /health */
export const healthResponse = z.object({ status: z.literal('ok') });

/** GET /openapi.json: this document. */
export const openApiResponse = z.looseObject({ openapi: z.string(), info: z.record(z.string(), z.unknown()), paths: z.record(z.string(), z.unknown()) });

export const fieldErrorSchema = z.object({
  path: z.string().check(z.meta({ description: 'Dotted path of the failing field; empty for the body itself', examples: ['emails.0', 'consent.marketing'] })),
  message: z.string(),
});

/** RFC 9457 problem details, as `toProblem` writes them (`application/problem+json`). */
export const problemDetailsSchema = z.looseObject({
  type: z.string().check(z.meta({ format: 'uri', description: '`urn:crm:problem:<slug>`', examples: ['urn:crm:problem:validation-failed'] })),
  title: z.string(),
  status: z.int(),
  detail: z.optional(z.string()),
  errors: z.optional(z.array(fieldErrorSchema).check(z.describe('The failing fields (400 validation-failed)'))),
});

/** 409 `urn:crm:problem:duplicate-customer`: who already holds the value (DuplicateCustomer). */
export const duplicateCustomerProblemSchema = z.extend(problemDetailsSchema, {
  field: z.enum(['email', 'phone', 'domain']),
  value: z.string(),
  existingCustomerId: z.string(),
  existingOwnerId: z.nullable(z.string()),
});

/** 412 `urn:crm:problem:precondition-failed`: the version the record is at now (StaleVersion). */
export const staleVersionProblemSchema = z.extend(problemDetailsSchema, {
  currentVersion: z.int(),
  currentETag: z.string().check(z.meta({ examples: ['"4"'] })),
});

/** The 412 of a write with If-Match on a `what` (the task, the settings...): one wording for every route. */
export const staleVersion = (what: string) => ({
  description: `The ${what} changed since the version in If-Match (\`precondition-failed\`); the body names the current version.`,
  schema: staleVersionProblemSchema,
});

/** API Gateway's own answers (the JWT authorizer's 401, its 404 and 413): not problem+json. */
export const gatewayErrorSchema = z.object({ message: z.string() });

// ---- the schemas above must describe what the code returns ---------------------------------

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Same keys, and every documented value is one the code can return (the doc may be narrower, e.g. an enum for a string). */
type Documents<Doc, Actual> = [keyof Doc] extends [keyof Actual] ? ([keyof Actual] extends [keyof Doc] ? (Doc extends Actual ? true : false) : false) : false;
type Holds<T extends true> = T;
type Customer360 = Awaited<ReturnType<typeof getCustomer360>>;

type _ResponseSchemasMatchTheCode = [
  Holds<Equals<z.output<typeof customerResponse>, ReturnType<typeof customerView>>>,
  Holds<Equals<z.output<typeof contactResponse>, ReturnType<typeof contactView>>>,
  Holds<Equals<z.output<typeof activityResponse>, ReturnType<typeof activityView>>>,
  Holds<Equals<z.output<typeof activityPageResponse>['cursor'], Awaited<ReturnType<typeof listActivities>>['cursor']>>,
  Holds<Documents<z.output<typeof customer360Response>, Customer360>>,
  Holds<Documents<z.output<typeof duplicateMatchesResponse>['matches'][number], Awaited<ReturnType<typeof checkDuplicates>>['matches'][number]>>,
  Holds<z.output<typeof problemDetailsSchema> extends ProblemDetails ? true : false>,
  Holds<Equals<z.output<typeof customFieldResponse>, ReturnType<typeof customFieldView>>>,
];
