import { httpHandler, json } from '../../shared/http/http-handler';
import { segmentView } from '../../shared/segments/segment';
import { segmentDeps } from '../../shared/segments/wiring';
import { getSegment } from '../../shared/segments/segment-use-cases';

/** GET /segments/{id}: marketers and admins. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  const segment = await getSegment(segmentDeps.segments, caller, pathParameters.id ?? '');
  return json(200, segmentView(segment), { etag: `"${segment.version}"` });
});
