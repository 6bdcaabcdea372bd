import * as z from 'zod/mini';
import { ACTIVITY_PAGE_SIZE, logActivityInput, MAX_FUTURE_SKEW_MS } from '../../shared/activities/activity';
import { activityPageResponse, activityResponse } from '../responses/common';
import { READERS, customerId, notReadable } from './customers';
import { areaRoutes } from '../route';

/** A customer's timeline. */
export const ACTIVITIES_ROUTES = areaRoutes('activities', 'stateless', [
  {
    method: 'POST',
    path: '/customers/{id}/activities',
    auth: 'jwt',
    handler: 'functions/activities/log-activity.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Log an activity',
      description:
        `Anyone who may read the customer may log what happened with them, except members of its pool who see it there (they claim it first). \`occurredAt\` defaults to now and may not lie in the future (${MAX_FUTURE_SKEW_MS / 60_000} minutes of clock skew are tolerated). ` +
        "A user's note, call, email, meeting or visit moves the customer's `lastFollowUpAt` forward (never back). Commits `crm.activity.logged.v1`.",
      tags: ['Activities'],
      pathParameters: customerId,
      requestBody: { schema: logActivityInput, description: 'The activity. `payload` holds small structured facts (at most 8 KB of JSON).' },
      success: { status: 201, description: 'Logged.', schema: activityResponse },
      errors: {
        400: 'The body is not valid JSON (`malformed-request`), fails the schema, or `occurredAt` lies in the future (`validation-failed`).',
        404: notReadable,
      },
    },
  },
  {
    method: 'GET',
    path: '/customers/{id}/activities',
    auth: 'jwt',
    handler: 'functions/activities/list-activities.ts',
    access: { table: 'read' },
    doc: {
      summary: "A customer's timeline",
      description: `Newest first by \`occurredAt\`, one page at a time. ${READERS}`,
      tags: ['Activities'],
      pathParameters: customerId,
      queryParameters: {
        limit: {
          description: `Page size, ${ACTIVITY_PAGE_SIZE.default} when absent.`,
          schema: z._default(z.int().check(z.minimum(1), z.maximum(ACTIVITY_PAGE_SIZE.max)), ACTIVITY_PAGE_SIZE.default),
        },
        cursor: {
          description: "The previous page's `cursor`, to read on. Opaque; only valid for the customer it came from.",
          schema: z.string(),
        },
      },
      success: { status: 200, description: 'One page of the timeline.', schema: activityPageResponse },
      errors: {
        400: '`limit` is not a whole number from 1 to 100, or `cursor` is not one this list returned (`validation-failed`, paths `query.limit`, `query.cursor`).',
        404: notReadable,
      },
    },
  },
]);
