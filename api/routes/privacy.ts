import { customerExportResponse, leadExportResponse } from '../responses/common';
import { leadId, leadNotFound } from './leads';
import { areaRoutes } from '../route';
import { customerId, notReadable } from './customers';

/** A customer's or a lead's personal data: export it, erase it (docs/privacy.md). */
export const PRIVACY_ROUTES = areaRoutes('privacy', 'stateless', [
  {
    method: 'DELETE',
    path: '/customers/{id}',
    auth: 'jwt',
    handler: 'functions/privacy/erase-customer.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: "Erase a customer's personal data",
      description:
        "For a data subject's erasure request (GDPR art. 17, CCPA deletion). In one transaction the profile becomes an anonymous tombstone " +
        '(id, kind, lifecycle stage, creation time, who erased it and when; it leaves every list), the uniqueness guards of its emails, phones and domain go ' +
        '(the values can be used again at once) and `crm.customer.erased.v1` is committed. Then every other record of the customer is scrubbed: ' +
        'contacts deleted, activities reduced to type, time and who logged them, stored events deleted. Daily counters stay. ' +
        'Idempotent and resumable: erasing an erased customer finishes any unfinished scrubbing and answers 204 again. ' +
        'Afterwards the customer answers 410 `customer-erased` everywhere. Admins only (a privacy request is handled by the tenant, not by the rep).',
      tags: ['Customers'],
      pathParameters: customerId,
      success: { status: 204, description: 'Erased (or already erased, and now completely scrubbed).' },
      errors: {
        403: 'Only an admin may erase (`forbidden`).',
        404: notReadable,
        409: 'The customer kept changing while it was being erased (`conflict`); send the DELETE again.',
        410: 'The customer was merged into another (`customer-merged`): its data lives at the survivor named by `mergedInto` (and `location`); erase that one.',
      },
    },
  },
  {
    method: 'GET',
    path: '/customers/{id}/export',
    auth: 'jwt',
    handler: 'functions/privacy/export-customer.ts',
    access: { table: 'read' },
    doc: {
      summary: 'Export everything stored about a customer',
      description:
        "For a data subject's access and portability request (GDPR art. 15 and 20, CCPA right to know): every item of the customer's partition " +
        '(profile with consent evidence, contacts, the whole timeline, outbox events), grouped, without storage keys, as a JSON attachment. Admins only.',
      tags: ['Customers'],
      pathParameters: customerId,
      success: { status: 200, description: 'The export.', schema: customerExportResponse },
      errors: {
        403: 'Only an admin may export (`forbidden`).',
        404: 'No such customer in your tenant (`not-found`).',
        410: 'The customer was erased (`customer-erased`): nothing about them is left to export; or merged into another (`customer-merged`), whose export holds the data.',
      },
    },
  },
  {
    method: 'DELETE',
    path: '/leads/{id}',
    auth: 'jwt',
    handler: 'functions/privacy/erase-lead.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: "Erase a lead's personal data",
      description:
        "For a data subject's erasure request. In one transaction the lead becomes an anonymous tombstone (id, channel, status, creation time, who erased it and when; it leaves every list and search), " +
        'its email and phone guards go (the values can be captured again at once) and `crm.lead.erased.v1` is committed; then every other item of the lead (its signals, its stored events) is deleted, ' +
        'and the suppression list keeps only the hash of its address. Erasing a customer erases the leads holding its emails and phones the same way. Idempotent and resumable: ' +
        'a repeated DELETE finishes what is unfinished and answers 204 again. Afterwards the lead answers 410 `lead-erased` everywhere. Admins only.',
      tags: ['Leads'],
      pathParameters: leadId,
      success: { status: 204, description: 'Erased (or already erased, and now completely scrubbed).' },
      errors: {
        403: 'Only an admin may erase (`forbidden`).',
        404: leadNotFound,
        409: 'The lead kept changing while it was being erased (`conflict`); send the DELETE again.',
      },
    },
  },
  {
    method: 'GET',
    path: '/leads/{id}/export',
    auth: 'jwt',
    handler: 'functions/privacy/export-lead.ts',
    access: { table: 'read' },
    doc: {
      summary: 'Export everything stored about a lead',
      description: "For a data subject's access and portability request: the lead's profile, its signals and its stored events, without storage keys, as a JSON attachment. Admins only.",
      tags: ['Leads'],
      pathParameters: leadId,
      success: { status: 200, description: 'The export.', schema: leadExportResponse },
      errors: {
        403: 'Only an admin may export (`forbidden`).',
        404: leadNotFound,
        410: 'The lead was erased (`lead-erased`): nothing about it is left to export.',
      },
    },
  },
]);
