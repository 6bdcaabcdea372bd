import { timelineEntryDeps } from '../../shared/activities/wiring';
import { recordTimelineEntry } from '../../shared/activities/timeline-entry-use-case';
import { eventHandler } from '../../shared/log-context';

/**
 * Rule target on the CRM bus: one timeline entry per covered domain event (deals, changes of hands,
 * opened tasks; shared/activities/timeline-entries.ts), written once per event id. A failed write
 * throws, so EventBridge retries.
 */
export const handler = eventHandler(async (event: unknown) => recordTimelineEntry(timelineEntryDeps, event));
