import { eventCatalogFor } from '../../shared/automations/event-catalog';
import { httpHandler, json } from '../../shared/http/http-handler';

/** GET /automations/event-catalog: every event type an automation's pattern can match, with its fields. */
export const handler = httpHandler({}, async ({ caller }) => json(200, eventCatalogFor(caller)));
