import { httpHandler, json } from '../../shared/http/http-handler';
import { leadMemberView, segmentMemberView } from '../../shared/segments/segment';
import { segmentDeps } from '../../shared/segments/wiring';
import { previewSegment } from '../../shared/segments/segment-use-cases';

/** GET /segments/{id}/preview?sample=&budget= : count, a sample, and the items read. */
export const handler = httpHandler({}, async ({ caller, pathParameters, query }) => {
  const preview = await previewSegment(segmentDeps, caller, pathParameters.id ?? '', query);
  const { leads, ...rest } = preview;
  return json(200, { ...rest, sample: preview.audience === 'leads' ? leads.map(leadMemberView) : preview.sample.map(segmentMemberView) });
});
