import type { EventBridgeEvent } from 'aws-lambda';
import { countDailyEvent } from '../../shared/stats/daily-stats-use-case';
import { dailyStatsRepository } from '../../shared/stats/wiring';

/** Rule target: per-tenant daily counters of domain events (the KPI issue reads them). */
export const handler = async (event: EventBridgeEvent<string, unknown>) => countDailyEvent(dailyStatsRepository, event);
