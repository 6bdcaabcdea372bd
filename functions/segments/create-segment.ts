import { httpHandler, json } from '../../shared/http/http-handler';
import { createSegmentInput, segmentView } from '../../shared/segments/segment';
import { segmentDeps } from '../../shared/segments/wiring';
import { createSegment } from '../../shared/segments/segment-use-cases';

/** POST /segments: a marketer or admin saves a filter over customer attributes. */
export const handler = httpHandler({ body: createSegmentInput }, async ({ caller, body }) => {
  const segment = await createSegment(segmentDeps, caller, body);
  return json(201, segmentView(segment), { etag: `"${segment.version}"`, location: `/segments/${segment.id}` });
});
