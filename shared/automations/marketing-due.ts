import { keys } from '../keys';

/**
 * The marketing-due index (docs/marketing.md, "Due work"): GSI2 partition `MKTDUE`, sort key
 * `<dueAt>#<tenantId>#<kind>#<id>`, on whatever item holds the work (a delayed automation send, a
 * scheduled campaign start). Every minute the sweep (marketing-due-use-case.ts) reads what is due and
 * hands each entry to the handler of its kind. Pure helpers; the repository reads and writes it.
 */

/** A due entry as the sweep reads it: where its item lives, what is due, and the whole item (the index projects every attribute). */
export interface DueEntry {
  PK: string;
  SK: string;
  /** The entry's GSI2SK as read: claims and removals are conditioned on it. */
  sortKey: string;
  dueAt: string;
  tenantId: string;
  kind: string;
  id: string;
  /** Times a sweep or sender claimed it so far. */
  attempts: number;
  item: Record<string, unknown>;
}

/** What a kind's handler did with an entry. `removed`: it took the entry off the index itself, in the write that recorded its result. */
export interface DueHandled {
  outcome: string;
  removed?: boolean;
}

export interface DueContext {
  nowIso: string;
  /** The entry's sort key while this run holds it (see `leasedSortKey`); a handler that removes the entry itself conditions on it. */
  leasedSortKey: string;
}

/**
 * The registry: one handler per kind. Adding a kind is one entry in `DUE_KINDS`
 * (marketing-due-kinds.ts) and items written with `keys.marketingDue(dueAt, tenantId, kind, id)`.
 * A handler must be idempotent: after a crash or a failed attempt the entry is handed over again
 * once its lease ends. Unless it says `removed`, the sweep takes the entry off the index when the
 * handler returns, and leaves it for a later run when it throws.
 */
export type DueHandler = (entry: DueEntry, context: DueContext) => Promise<DueHandled>;
export type DueRegistry = Readonly<Record<string, DueHandler>>;

/** How long a run holds an entry it claimed: far above the sweep's timeout, so no other run takes it over while it works. */
export const DUE_LEASE_SECONDS = 300;
/** A run that claimed an entry this often without finishing gives up on it (logged): a poison entry must not cost every run forever. */
export const MAX_DUE_ATTEMPTS = 5;
/** Bounded work per run: entries per Query page, entries per run, handled at once. */
export const DUE_SWEEP = { pageSize: 100, maxEntries: 300, concurrency: 10 } as const;

/** The upper bound of a due Query at `nowIso`: `~` sorts after `#`, so entries due exactly now are included. */
export const dueUpTo = (nowIso: string) => `${nowIso}~`;

/** Splits `<dueAt>#<tenantId>#<kind>#<id>`; ids may contain `#` (an automation send's is `<automationId>#<eventId>`). */
export function parseDueSortKey(sortKey: string): { dueAt: string; tenantId: string; kind: string; id: string } | undefined {
  const [dueAt, tenantId, kind, ...rest] = sortKey.split('#');
  if (!dueAt || !tenantId || !kind || rest.length === 0 || Number.isNaN(Date.parse(dueAt))) return undefined;
  return { dueAt, tenantId, kind, id: rest.join('#') };
}

/** The entry's sort key while claimed at `nowIso`: the same entry, due again when the lease ends (when the run holding it failed to finish). */
export function leasedSortKey(entry: Pick<DueEntry, 'tenantId' | 'kind' | 'id'>, nowIso: string, leaseSeconds = DUE_LEASE_SECONDS): string {
  const until = new Date(Date.parse(nowIso) + leaseSeconds * 1000).toISOString();
  return keys.marketingDue(until, entry.tenantId, entry.kind, entry.id).GSI2SK;
}

/** An index item as a due entry, or undefined for one whose sort key is not ours to read (skipped and logged). */
export function toDueEntry(item: Record<string, unknown>): DueEntry | undefined {
  const parsed = parseDueSortKey(String(item.GSI2SK ?? ''));
  if (!parsed || typeof item.PK !== 'string' || typeof item.SK !== 'string') return undefined;
  return { PK: item.PK, SK: item.SK, sortKey: String(item.GSI2SK), ...parsed, attempts: Number(item.dueAttempts ?? 0), item };
}
