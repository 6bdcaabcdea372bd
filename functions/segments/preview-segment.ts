import { httpHandler, json } from '../../shared/http/http-handler';
import { contactMemberView, leadMemberView, segmentMemberView } from '../../shared/segments/segment';
import { segmentDeps } from '../../shared/segments/wiring';
import { previewSegment } from '../../shared/segments/segment-use-cases';

/** GET /segments/{id}/preview?sample=&budget= : count, a sample, and the items read. */
export const handler = httpHandler({}, async ({ caller, pathParameters, query }) => {
  const preview = await previewSegment(segmentDeps, caller, pathParameters.id ?? '', query);
  const { leads, contacts, ...rest } = preview;
  const sample = { customers: () => preview.sample.map(segmentMemberView), contacts: () => contacts.map(contactMemberView), leads: () => leads.map(leadMemberView) }[preview.audience]();
  return json(200, { ...rest, sample });
});
