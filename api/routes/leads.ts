import * as z from 'zod/mini';
import { createLeadInput, disqualifyLeadInput, engagementInput, LEAD_PAGE_SIZE, LEAD_STATUSES, qualifyLeadInput } from '../../shared/leads/lead';
import { routingConfigInput } from '../../shared/leads/lead-routing';
import { scoringConfigInput } from '../../shared/leads/lead-scoring';
import { convertLeadInput } from '../../shared/leads/lead-conversion';
import { areaRoutes } from '../route';

export const leadId = { id: 'Lead id (ULID)' };
export const leadNotFound = 'No such lead in your tenant, or one you may not read (`not-found`).';
const decisionErrors = {
  403: 'Only the lead owner, a manager or an admin decides on a lead (`forbidden`).',
  404: leadNotFound,
};

/** Leads, their scoring and their routing settings (docs/leads.md). */
export const LEADS_ROUTES = areaRoutes('leads', 'sales', [
  {
    method: 'POST',
    path: '/leads',
    auth: 'jwt',
    handler: 'functions/leads/create-lead.ts',
    // Double opt-in: the confirmation mail and its signed link (docs/leads.md#double-opt-in).
    access: { table: 'readWrite', mail: 'send', unsubscribeSecret: 'read' },
    doc: {
      summary: 'Capture a lead',
      description:
        'Needs an email or a phone. A lead whose email, phone or company domain (given, or the email\'s unless a free-mail provider) belongs to a customer becomes a `lead` entry on that customer\'s timeline instead (200 `{disposition: "matched-customer", customerId, matchedOn, activityId, awaitingConfirmation}`); its `consent` answers change the customer\'s consent only when the email given is one of the customer\'s own (under double opt-in its grants wait, `awaitingConfirmation` names their topics, and the address gets a confirmation link). ' +
        'Otherwise a new lead, scored at once (a score over a threshold qualifies it, `crm.lead.qualified.v1`) and routed when the routing rules say so; `crm.lead.created.v1`. ' +
        '`consent` answers per topic need `consentText` (the wording shown) and are stored with it, `pageUrl` and the server\'s time; under the tenant\'s double opt-in, grants wait in `pendingConsent` and the lead\'s email gets a confirmation link.',
      tags: ['Leads'],
      requestBody: { schema: createLeadInput, description: 'The lead. Unknown fields are rejected by name.' },
      success: { status: 201, description: 'The new lead (200 with the match when it was attached to a customer).', headers: ['Location'] },
      errors: { 409: 'Another lead already has this email or phone (`duplicate-lead`, `existingLeadId`).' },
    },
  },
  {
    method: 'GET',
    path: '/leads',
    auth: 'jwt',
    handler: 'functions/leads/list-leads.ts',
    access: { table: 'read' },
    doc: {
      summary: 'List leads in one status',
      description: 'Newest update first; one Query on GSI5. `status=nurture` is the nurture list segments target. Reps see the leads assigned to them, managers their team\'s and unassigned ones.',
      tags: ['Leads'],
      queryParameters: {
        status: { description: 'Which list, `new` when absent.', schema: z.enum(LEAD_STATUSES) },
        limit: { description: `Page size, ${LEAD_PAGE_SIZE.default} when absent.`, schema: z._default(z.int().check(z.minimum(1), z.maximum(LEAD_PAGE_SIZE.max)), LEAD_PAGE_SIZE.default) },
        cursor: { description: "The previous page's `cursor`, to read on. Opaque.", schema: z.string() },
      },
      success: { status: 200, description: '`{items, cursor}`.' },
      errors: { 400: 'An unknown `status`, a bad `limit` or a foreign `cursor` (`validation-failed`, paths `query.<name>`).' },
    },
  },
  {
    method: 'GET',
    path: '/leads/{id}',
    auth: 'jwt',
    handler: 'functions/leads/get-lead.ts',
    access: { table: 'read' },
    doc: {
      summary: 'Read a lead with its score explained',
      description:
        'The score is computed at read time from the stored signals, with each engagement decayed by its rule\'s half-life, so it is exact at any moment. `score.contributions` lists every rule that contributed and how much.',
      tags: ['Leads'],
      pathParameters: leadId,
      success: { status: 200, description: 'The lead, `score {value, at, contributions, thresholds}`, `signals {count, recent}`.' },
      errors: { 404: leadNotFound },
    },
  },
  {
    method: 'POST',
    path: '/leads/{id}/engagements',
    auth: 'jwt',
    handler: 'functions/leads/add-engagement.ts',
    functionId: 'AddLeadEngagement',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Record an engagement signal',
      description: 'An email opened, a page visited, a form submitted...: stored on the lead and scored at once; crossing a threshold qualifies the lead in the same write.',
      tags: ['Leads'],
      pathParameters: leadId,
      requestBody: { schema: engagementInput, description: 'The signal; `occurredAt` defaults to now and may not lie in the future.' },
      success: { status: 201, description: 'The lead as GET answers it, re-scored.' },
      errors: { 404: leadNotFound },
    },
  },
  {
    method: 'POST',
    path: '/leads/{id}/qualify',
    auth: 'jwt',
    handler: 'functions/leads/qualify-lead.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Qualify a lead (MQL or SQL)',
      description: 'A rep\'s decision with a reason; `crm.lead.qualified.v1` once per level newly reached (MQL on the way to SQL included). A lead never moves down a level.',
      tags: ['Leads'],
      pathParameters: leadId,
      requestBody: { schema: qualifyLeadInput, description: 'The level and why.' },
      success: { status: 200, description: 'The lead as GET answers it.' },
      errors: decisionErrors,
    },
  },
  {
    method: 'POST',
    path: '/leads/{id}/disqualify',
    auth: 'jwt',
    handler: 'functions/leads/disqualify-lead.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Disqualify a lead, or put it on the nurture list',
      description: '`nurture: true`: not ready yet (status `nurture`, listed by `GET /leads?status=nurture`; engagement can qualify it again). Otherwise `disqualified`: scores no longer qualify it.',
      tags: ['Leads'],
      pathParameters: leadId,
      requestBody: { schema: disqualifyLeadInput, description: 'Why, and whether to nurture.' },
      success: { status: 200, description: 'The lead as GET answers it.' },
      errors: decisionErrors,
    },
  },
  {
    method: 'POST',
    path: '/leads/{id}/convert',
    auth: 'jwt',
    handler: 'functions/leads/convert-lead.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Convert a lead into a customer',
      description:
        'One transaction: the lead becomes `converted` (its personal details move to the customer), and either a new customer is made of it (a company with the lead as its contact when `company` is given or the lead names a company, else a person; owned by the lead\'s rep; with the customer\'s email/phone/domain guards, `crm.customer.created.v1`) or it joins the existing `customerId` (the caller must be able to change it; a company gets the lead as a contact). ' +
        'Optionally an opportunity deal (`deal`, as `POST /deals` without `customerId`; first stage by default; `crm.deal.created.v1`). A `lead` entry on the customer\'s timeline keeps the lead\'s source, UTM, score, qualification and engagement summary; `crm.lead.converted.v1`. A failure writes nothing. The lead\'s rep, a manager or an admin.',
      tags: ['Leads'],
      pathParameters: leadId,
      requestBody: { schema: convertLeadInput, description: '`customerId` to attach, or `company` (`null` forces a person) to create; `deal` to open one. `{}` converts into a new customer.' },
      success: { status: 200, description: '`{leadId, customerId, customerCreated, contactId, dealId, activityId, at, userId, customer, contact, deal}`.', headers: ['Location'] },
      errors: {
        400: 'Fails the schema, both `customerId` and `company`, an unknown `customerId`, `company.name` missing, an unknown `deal.pipelineId` or `deal.stageId` (`validation-failed`).',
        403: 'Not the lead\'s rep, a manager or an admin, or the customer to attach to is not yours (`forbidden`).',
        404: leadNotFound,
        409: 'Already converted (`lead-converted`, `customerId`), disqualified (`lead-disqualified`), or another customer holds the lead\'s email, phone or domain (`duplicate-customer`, `field`, `existingCustomerId` if you may read it, else null).',
        410: 'The customer to attach to was merged or erased (`customer-merged`, `customer-erased`).',
      },
    },
  },
  {
    method: 'PUT',
    path: '/lead-scoring',
    auth: 'jwt',
    handler: 'functions/leads/put-lead-scoring.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Set the lead scoring rules',
      description: 'Fit rules on attributes, engagement rules with weights and half-lives, MQL/SQL thresholds. Replaces the whole configuration; reads use it at once. Admins and marketers.',
      tags: ['Leads'],
      requestBody: { schema: scoringConfigInput, description: 'The whole configuration.' },
      success: { status: 200, description: 'The configuration stored.' },
      errors: { 400: 'Fails the schema, a rule without a match (`fit.<i>.in`, `fit.<i>.min`), or `thresholds.sql` below `thresholds.mql` (`validation-failed`).', 403: 'Admins and marketers only (`forbidden`).' },
    },
  },
  {
    method: 'PUT',
    path: '/routing-rules',
    auth: 'jwt',
    handler: 'functions/leads/put-routing-rules.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Set the lead routing rules',
      description: 'Rules (region, industry, product) to teams, each team\'s roster with available reps, and when leads are routed (`assignOn`). Per team round-robin (an atomic ticket: exact under concurrency) or least-loaded (fewest open leads, conditioned on the count read). Admins and managers.',
      tags: ['Leads'],
      requestBody: { schema: routingConfigInput, description: 'The whole configuration.' },
      success: { status: 200, description: 'The configuration stored.' },
      errors: { 400: 'Fails the schema, or a rule names a team not in `teams` (`validation-failed`, `rules.<i>.teamId`).', 403: 'Admins and managers only (`forbidden`).' },
    },
  },
  {
    method: 'GET',
    path: '/consent-confirmations/{token}',
    auth: 'none',
    publicBecause: 'Double opt-in links in confirmation mail are public by design (the person has no account): the HMAC-signed token names one lead, a tampered token gets a 400, and GET changes nothing (docs/leads.md#double-opt-in).',
    handler: 'functions/leads/show-consent-confirmation.ts',
    // The page only verifies the token: no table access at all.
    access: { unsubscribeSecret: 'read' },
    doc: {
      summary: 'Consent confirmation page (public)',
      description: 'The link of a double opt-in mail. Answers a small `text/html` page whose button POSTs to the same URL; GET itself grants nothing, because mail scanners and link previews follow every link. Names no person or address.',
      tags: ['Leads'],
      pathParameters: { token: 'The signed token from the confirmation mail' },
      success: { status: 200, description: 'The confirmation page (text/html).' },
      errors: { 400: 'The token is not one this stage signed, or was changed (`malformed-request`); the answer says nothing more.' },
    },
  },
  {
    method: 'POST',
    path: '/consent-confirmations/{token}',
    auth: 'none',
    publicBecause: 'Double opt-in links in confirmation mail are public by design (the person has no account): the HMAC-signed token names one lead, a tampered token gets a 400 (docs/leads.md#double-opt-in).',
    handler: 'functions/leads/confirm-lead-consent.ts',
    access: { table: 'readWrite', unsubscribeSecret: 'read' },
    doc: {
      summary: 'Confirm consent (double opt-in, public)',
      description:
        'The confirmation page\'s button. The grants waiting on the lead (`pendingConsent`) become consent records at this moment, with the evidence of the request and `requestedAt`, in one write conditioned on the lead\'s version (two clicks make one grant). ' +
        'The body is not read. The same page answers whether anything waited or not (already confirmed, converted, unknown lead): the link reveals nothing.',
      tags: ['Leads'],
      pathParameters: { token: 'The signed token from the confirmation mail' },
      success: { status: 200, description: 'The "confirmed" page (text/html).' },
      errors: { 400: 'The token is not one this stage signed, or was changed (`malformed-request`); the answer says nothing more.' },
    },
  },
]);
