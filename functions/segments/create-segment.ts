import { httpHandler, json } from '../../shared/http/http-handler';
import { createSegmentInput, segmentView } from '../../shared/marketing/segment';
import { segmentDeps } from '../../shared/marketing/segment-service';
import { createSegment } from '../../shared/marketing/segment-use-cases';

/** POST /segments: a marketer or admin saves a filter over customer attributes. */
export const handler = httpHandler({ body: createSegmentInput }, async ({ caller, body }) => {
  const segment = await createSegment(segmentDeps, caller, body);
  return json(201, segmentView(segment), { etag: `"${segment.version}"`, location: `/segments/${segment.id}` });
});
