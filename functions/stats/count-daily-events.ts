import type { EventBridgeEvent } from 'aws-lambda';
import { countDailyEvent } from '../../shared/stats/daily-stats-use-case';
import { dailyStatsRepository } from '../../shared/stats/wiring';
import { eventHandler } from '../../shared/log-context';

/** Rule target: per-tenant daily counters of domain events (the KPI issue reads them). */
export const handler = eventHandler(async (event: EventBridgeEvent<string, unknown>) => countDailyEvent(dailyStatsRepository, event));
