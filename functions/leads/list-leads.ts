import { httpHandler, json } from '../../shared/http/http-handler';
import { LEAD_PAGE_SIZE } from '../../shared/leads/lead';
import { leadRepository } from '../../shared/leads/wiring';
import { listLeads } from '../../shared/leads/lead-use-cases';
import { parseLimit } from '../../shared/pagination';

/** GET /leads?status=: one status list (the nurture list is `status=nurture`), newest first. */
export const handler = httpHandler({}, async ({ caller, query }) => {
  const limit = parseLimit(query.limit, LEAD_PAGE_SIZE.default, LEAD_PAGE_SIZE.max);
  return json(200, await listLeads(leadRepository, caller, query.status, limit, query.cursor));
});
