import { httpHandler, json } from '../../shared/http/http-handler';
import { segmentView } from '../../shared/segments/segment';
import { segmentDeps } from '../../shared/segments/wiring';
import { listSegments } from '../../shared/segments/segment-use-cases';

/** GET /segments: the tenant's segments, oldest first; marketers and admins. */
export const handler = httpHandler({}, async ({ caller }) => json(200, { items: (await listSegments(segmentDeps.segments, caller)).map(segmentView) }));
