import { logError, logInfo } from '../log';
import { type DueEntry, type DueRegistry, DUE_SWEEP, leasedSortKey, MAX_DUE_ATTEMPTS } from './marketing-due';
import type { MarketingDueRepository } from './marketing-due-repository';

export interface DueSweepDeps {
  due: Pick<MarketingDueRepository, 'due' | 'claim' | 'finish'>;
  /** The app clock (time travel locally). */
  nowIso: () => string;
}

export interface DueSweepOptions {
  /** Physical time (ms) after which no further entry is claimed: the function must end before its timeout. */
  stopBy: number;
  pageSize?: number;
  maxEntries?: number;
  concurrency?: number;
}

export interface DueSweepReport {
  now: string;
  /** Entries read from the index. */
  read: number;
  /** Per outcome the handlers returned. */
  outcomes: Record<string, number>;
  /** Another run held the entry (or took it meanwhile). */
  taken: number;
  /** The handler threw: the entry is retried when its lease ends. */
  failed: number;
  /** Claimed too often without finishing: taken off the index and logged. */
  gaveUp: number;
  /** Entries of a kind without a handler (claimed, retried when the lease ends), or whose sort key is not ours (left alone); logged. */
  unknown: number;
  /** Due entries may remain (the run's bound or time was reached). */
  more: boolean;
}

/**
 * One run of the marketing-due sweep (every minute): reads what is due at the app clock's now,
 * oldest first, in pages, claims each entry (a conditional write, so overlapping runs and the
 * automation dispatcher never handle one entry twice) and hands it to its kind's handler, a few
 * at a time. Bounded: at most `maxEntries` per run and nothing claimed after `stopBy`; what is left
 * waits for the next run. Entries are handled at most a minute late (the schedule), more when the
 * index holds more due work than a run's bound.
 */
export async function runDueMarketing(deps: DueSweepDeps, registry: DueRegistry, options: DueSweepOptions): Promise<DueSweepReport> {
  const now = deps.nowIso();
  const { pageSize = DUE_SWEEP.pageSize, maxEntries = DUE_SWEEP.maxEntries, concurrency = DUE_SWEEP.concurrency } = options;
  const report: DueSweepReport = { now, read: 0, outcomes: {}, taken: 0, failed: 0, gaveUp: 0, unknown: 0, more: false };

  const handle = async (entry: DueEntry): Promise<void> => {
    // Claimed before anything else, even of a kind without a handler (a deployment in between):
    // a claimed entry moves to its lease's end, so no entry keeps the head of the index busy.
    const leased = leasedSortKey(entry, now);
    const attempts = await deps.due.claim(entry, leased);
    if (attempts === undefined) {
      report.taken++;
      return;
    }
    if (attempts > MAX_DUE_ATTEMPTS) {
      await deps.due.finish(entry, leased, 'gave-up', now);
      report.gaveUp++;
      logError('marketing due entry given up', `claimed ${MAX_DUE_ATTEMPTS} times without finishing`, { kind: entry.kind, tenantId: entry.tenantId, id: entry.id, attempts });
      return;
    }
    const handler = registry[entry.kind];
    if (!handler) {
      report.unknown++;
      logError('marketing due entry of an unknown kind; retried when its lease ends', 'no handler in DUE_KINDS', { kind: entry.kind, tenantId: entry.tenantId, id: entry.id, attempts });
      return;
    }
    try {
      const handled = await handler({ ...entry, attempts }, { nowIso: now, leasedSortKey: leased });
      if (!handled.removed) await deps.due.finish(entry, leased, handled.outcome, now);
      report.outcomes[handled.outcome] = (report.outcomes[handled.outcome] ?? 0) + 1;
    } catch (error) {
      report.failed++;
      logError('marketing due entry failed; retried when its lease ends', error, { kind: entry.kind, tenantId: entry.tenantId, id: entry.id, attempts });
    }
  };

  let startKey: Record<string, unknown> | undefined;
  do {
    if (report.read >= maxEntries || Date.now() >= options.stopBy) {
      report.more = true;
      break;
    }
    const page = await deps.due.due(now, Math.min(pageSize, maxEntries - report.read), startKey);
    report.read += page.entries.length;
    report.unknown += page.skipped;
    for (let i = 0; i < page.entries.length; i += concurrency) {
      if (Date.now() >= options.stopBy) {
        report.more = true;
        break;
      }
      await Promise.all(page.entries.slice(i, i + concurrency).map(handle));
    }
    startKey = page.next;
  } while (startKey && !report.more);

  logInfo('marketing due sweep', { ...report });
  return report;
}
