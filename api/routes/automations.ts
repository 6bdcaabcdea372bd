import * as z from 'zod/mini';
import { AUTOMATION_AUDIENCES, type automationView, automationPatch, createAutomationInput, MAX_AUTOMATIONS, MAX_DELAY_SECONDS, MAX_EVENT_PATTERN_CHARS } from '../../shared/automations/automation';
import { AUTOMATION_SKIP_REASONS } from '../../shared/automations/automation-stats';
import { staleVersion } from '../responses/common';
import { areaRoutes } from '../route';

const automationResponse = z.object({
  id: z.string(),
  name: z.string(),
  eventPattern: z.record(z.string(), z.unknown()),
  templateId: z.string(),
  topic: z.string(),
  delay: z.number(),
  enabled: z.boolean(),
  offer: z.nullable(z.string()),
  audience: z.enum(AUTOMATION_AUDIENCES).check(z.describe('`subject`: the customer or lead the event names; `contacts`: the contacts of the company customer it names, each under their own consent')),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  version: z.number(),
});

const count = (what: string) => z.number().check(z.describe(what));
/** `AutomationStats` (shared/automations/automation-stats.ts). */
const automationStats = z
  .object({
    sent: count('Mails sent'),
    skipped: z.object(Object.fromEntries(AUTOMATION_SKIP_REASONS.map((reason) => [reason, z.number()])) as Record<(typeof AUTOMATION_SKIP_REASONS)[number], z.ZodMiniNumber>).check(z.describe('Sends not made, per reason')),
    delivered: count('Sent mails SES delivered, once per mail'),
    bounced: count('Sent mails that bounced (hard or soft), once per mail'),
    complained: count('Sent mails marked as spam, once per mail'),
    opened: count('Sent mails opened at least once (unique opens)'),
    clicked: count('Sent mails with at least one link clicked (unique clicks)'),
    unsubscribed: count("Sent mails whose unsubscribe link was used, once per mail"),
  })
  .check(z.describe('Counted as sends finish and SES events and unsubscribes arrive, each once however often it is redelivered; a read is one GetItem'));

const jsonSchema = z.record(z.string(), z.unknown()).check(z.describe('A JSON Schema (draft 2020-12)'));

/** `EventCatalog` (shared/automations/event-catalog.ts). */
const eventCatalogResponse = z.object({
  source: z.string().check(z.describe('The `source` of every CRM event (`crm`)')),
  envelope: z.record(z.string(), jsonSchema).check(z.describe('The fields every `detail` carries besides `data`: id, occurredAt, tenantId, actor, correlationId')),
  items: z.array(
    z.object({
      detailType: z.string(),
      automatable: z.boolean().check(z.describe('Its `data` names a customer (`customerId`) or a lead (`leadId`), so it can trigger an automation')),
      recipients: z.array(z.enum(['customer', 'lead'])).check(z.describe('Whom its automations mail: the customer `data` names first, else the lead')),
      data: jsonSchema.check(z.describe('The schema of `detail.data`: the fields a pattern can name under `detail.data`')),
      examplePattern: z.object({ source: z.array(z.string()), 'detail-type': z.array(z.string()) }),
    }),
  ).check(z.describe('By detail-type')),
});

const id = { id: 'Automation id' };
const managers = 'Only marketers and admins manage automations (`forbidden`).';
const unusable =
  'The body fails the schema, `eventPattern` is not a valid EventBridge pattern (the path names the part, e.g. `eventPattern.detail.data.to[0]`), ' +
  `is longer than ${MAX_EVENT_PATTERN_CHARS} characters, or \`templateId\` names no template of the tenant (\`validation-failed\`).`;
const how =
  'When a CRM domain event matching `eventPattern` happens to a customer (`detail.data.customerId`), the template is mailed to the customer\'s first address ' +
  'under the consent `topic`: at once, or `delay` seconds after the event (due sends go out within about a minute). The pattern is an EventBridge event pattern ' +
  'matched against the whole bus event (`source` is `crm`, `detail-type` the event type, `detail` its envelope with `data`), with every operator EventBridge ' +
  'documents. A mail goes only to a live customer with an address and consent to the topic, not suppressed, within the frequency cap, with one-click unsubscribe; ' +
  'each automation mails once per event, however often the event is delivered.';

/** Event-triggered marketing automations (docs/marketing.md). */
export const AUTOMATIONS_ROUTES = areaRoutes('automations', 'marketing', [
  {
    method: 'GET',
    path: '/automations/event-catalog',
    auth: 'jwt',
    handler: 'functions/automations/get-event-catalog.ts',
    access: {},
    doc: {
      summary: 'Every event a pattern can match',
      description:
        "Each domain event type with the JSON Schema of its `detail.data`, whether it can trigger an automation (it names a customer), and the smallest pattern that matches it; the envelope's fields once. " +
        'Generated from the event contracts, so it is exactly what the bus carries. Marketers and admins. Reads nothing from the table.',
      tags: ['Marketing'],
      success: { status: 200, description: 'The catalog.', schema: eventCatalogResponse },
      errors: { 403: managers },
    },
  },
  {
    method: 'POST',
    path: '/automations',
    auth: 'jwt',
    handler: 'functions/automations/create-automation.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Create an automation',
      description: `${how} \`delay\` 0-${MAX_DELAY_SECONDS} seconds (30 days, default 0); \`enabled\` defaults to true. At most ${MAX_AUTOMATIONS} per tenant. Marketers and admins.`,
      tags: ['Marketing'],
      requestBody: { schema: createAutomationInput, description: 'The automation. Unknown fields are rejected by name.' },
      success: { status: 201, description: 'Created.', schema: automationResponse, headers: ['Location', 'ETag'] },
      errors: { 400: unusable, 403: managers, 409: `The tenant has ${MAX_AUTOMATIONS} automations already (\`automation-limit-reached\`, with \`limit\`).` },
    },
  },
  {
    method: 'GET',
    path: '/automations',
    auth: 'jwt',
    handler: 'functions/automations/list-automations.ts',
    access: { table: 'read' },
    doc: {
      summary: "The tenant's automations",
      description: 'Every automation, oldest first. Marketers and admins. One Query.',
      tags: ['Marketing'],
      success: { status: 200, description: 'The automations.', schema: z.object({ items: z.array(automationResponse) }) },
      errors: { 403: managers },
    },
  },
  {
    method: 'GET',
    path: '/automations/{id}',
    auth: 'jwt',
    handler: 'functions/automations/get-automation.ts',
    access: { table: 'read' },
    doc: {
      summary: 'Read an automation',
      description:
        'Marketers and admins. The ETag is the version to send back in If-Match when editing. `stats`: mails sent, sends skipped per reason, and what became of the sent mails ' +
        '(delivered, bounced, complained, opened, clicked, unsubscribed), each counted once per mail. Two GetItems.',
      tags: ['Marketing'],
      pathParameters: id,
      success: { status: 200, description: 'The automation and its statistics.', schema: z.extend(automationResponse, { stats: automationStats }), headers: ['ETag'] },
      errors: { 403: managers, 404: 'No such automation in your tenant (`not-found`).' },
    },
  },
  {
    method: 'PATCH',
    path: '/automations/{id}',
    auth: 'jwt',
    handler: 'functions/automations/update-automation.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Update an automation (JSON Merge Patch)',
      description:
        'A field present replaces the stored one; `eventPattern` is replaced whole, not merged. A new pattern or template is checked as on create. ' +
        'Disabling stops new sends at once and skips delayed sends that fall due while disabled; sends already due use the automation as it is then. Marketers and admins.',
      tags: ['Marketing'],
      pathParameters: id,
      requestBody: { schema: automationPatch, description: 'The changes. Unknown fields are rejected by name.', mergePatch: true },
      ifMatch: true,
      success: { status: 200, description: 'The automation after the change.', schema: automationResponse, headers: ['ETag'] },
      errors: {
        400: `${unusable} Or If-Match is not an ETag such as "3".`,
        403: managers,
        404: 'No such automation in your tenant (`not-found`).',
        412: staleVersion('automation'),
      },
    },
  },
  {
    method: 'DELETE',
    path: '/automations/{id}',
    auth: 'jwt',
    handler: 'functions/automations/delete-automation.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Delete an automation',
      description: 'Its delayed sends still pending are skipped when they fall due. Marketers and admins.',
      tags: ['Marketing'],
      pathParameters: id,
      success: { status: 204, description: 'Deleted.' },
      errors: { 403: managers, 404: 'No such automation in your tenant (`not-found`).' },
    },
  },
]);

// The documented response must describe what the code returns (compile-time only).
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Holds<T extends true> = T;
export type _AutomationResponseMatchesTheCode = Holds<Same<z.output<typeof automationResponse>, ReturnType<typeof automationView>>>;
