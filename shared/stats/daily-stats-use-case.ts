import { anyEnvelopeSchema, busEventSchema } from '../../events/envelope';
import { clock } from '../clock';
import type { DailyStatsRepository } from './daily-stats-repository';

/** Counts a domain event under its tenant, UTC day of occurrence and detail-type. */
export async function countDailyEvent(repository: DailyStatsRepository, event: unknown): Promise<{ counted: boolean }> {
  const busEvent = busEventSchema.parse(event);
  const detail = anyEnvelopeSchema.parse(busEvent.detail);
  const day = detail.occurredAt.slice(0, 10);
  const counted = await repository.countOnce(detail.tenantId, day, busEvent['detail-type'], detail.id, clock.epochSeconds());
  return { counted };
}
