import * as z from 'zod/mini';
import type { SesMail } from '../aws/ses-mail';
import { logError } from '../log';
import { isRetryable, RetryableSweepError } from './reclaim-errors';
import { SWEEP_OUTCOMES, type SweepOutcome } from './reclaim-outcome';
import { escapeHtml } from '../html';

/**
 * The last step of a sweep run: one email per affected rep (per tenant and owner) listing what
 * was reclaimed from them and what will be soon, and the run's counts as the execution output.
 * Idempotent per run: a marker per (run, rep) is claimed before sending, so a retried task sends
 * only the digests that did not go out.
 */

export interface DigestDeps {
  /** The tenant's user directory: the rep's address and name. */
  users: { get(tenantId: string, userId: string): Promise<{ email?: string | null; name?: string | null } | undefined> };
  mailer: Pick<SesMail, 'sendSimple'>;
  markers: {
    /** False when this run's digest for the rep was already claimed (sent by an earlier attempt). */
    claimDigest(tenantId: string, ownerId: string, runId: string): Promise<boolean>;
    releaseDigest(tenantId: string, ownerId: string, runId: string): Promise<void>;
  };
}

/** What `GET /_local/executions` (and DescribeExecution in AWS) shows as the run's output. */
export interface SweepReport {
  now: string;
  due: number;
  reclaimed: number;
  warned: number;
  rescheduled: number;
  exempt: number;
  noPool: number;
  skippedRace: number;
  failed: number;
  /** Digest emails of this run (including any sent by an earlier attempt of this task). */
  digests: number;
  /** Reps with something to hear whose directory entry has no email address. */
  noAddress: number;
  digestsFailed: number;
  /** More was due than one run takes; the next run continues. */
  capped: boolean;
  /** The first failed items, for the operator (the log has the errors). */
  failures: { tenantId: string; customerId: string; error: string }[];
}

const MAX_LISTED_FAILURES = 20;
const SEND_CONCURRENCY = 4;

const outcomeSchema = z.object({
  tenantId: z.string(),
  customerId: z.string(),
  outcome: z.enum(SWEEP_OUTCOMES),
  ownerId: z.optional(z.string()),
  name: z.optional(z.string()),
  reclaimAt: z.optional(z.string()),
  error: z.optional(z.string()),
});

const digestInput = z.object({
  runId: z.string().check(z.minLength(1)),
  now: z.string(),
  capped: z.optional(z.boolean()),
  outcomes: z.array(outcomeSchema),
});
export type DigestInput = z.input<typeof digestInput>;

interface DigestGroup {
  tenantId: string;
  ownerId: string;
  reclaimed: SweepOutcome[];
  warned: SweepOutcome[];
}

function groupByRep(outcomes: readonly SweepOutcome[]): DigestGroup[] {
  const groups = new Map<string, DigestGroup>();
  for (const o of outcomes) {
    if ((o.outcome !== 'reclaimed' && o.outcome !== 'warned') || !o.ownerId) continue;
    const key = JSON.stringify([o.tenantId, o.ownerId]);
    const group = groups.get(key) ?? { tenantId: o.tenantId, ownerId: o.ownerId, reclaimed: [], warned: [] };
    group[o.outcome].push(o);
    groups.set(key, group);
  }
  return [...groups.values()];
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const byName = (a: SweepOutcome, b: SweepOutcome) => (a.name ?? '').localeCompare(b.name ?? '');
const when = (iso: string | undefined) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : 'soon');

/** The digest for one rep: what went back to the pool, and what will unless they follow up. */
export function renderDigest(group: DigestGroup, repName: string | null | undefined) {
  const reclaimed = [...group.reclaimed].sort(byName);
  const warned = [...group.warned].sort(byName);
  const subject = [
    reclaimed.length ? `${plural(reclaimed.length, 'customer', 'customers')} went back to the pool` : '',
    warned.length ? `${plural(warned.length, 'customer', 'customers')} will go back soon` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const sections: { title: string; lines: string[] }[] = [];
  if (reclaimed.length) {
    sections.push({ title: 'Back in the pool (no follow-up before the deadline):', lines: reclaimed.map((o) => o.name ?? o.customerId) });
  }
  if (warned.length) {
    sections.push({
      title: 'Going back to the pool unless you follow up:',
      lines: warned.map((o) => `${o.name ?? o.customerId}, after ${when(o.reclaimAt)}`),
    });
  }
  const hello = `Hello${repName ? ` ${repName}` : ''},`;
  const text = [hello, '', ...sections.flatMap((s) => [s.title, ...s.lines.map((l) => `- ${l}`), '']), 'Your CRM'].join('\n');
  const html = [
    `<p>${escapeHtml(hello)}</p>`,
    ...sections.map((s) => `<p>${escapeHtml(s.title)}</p><ul>${s.lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`),
    '<p>Your CRM</p>',
  ].join('');
  return { subject: `Reclaim digest: ${subject}`, text, html };
}

type Delivery = 'sent' | 'no-address' | 'failed';

async function deliver(deps: DigestDeps, runId: string, group: DigestGroup, retryable: unknown[]): Promise<Delivery> {
  let claimed = false;
  try {
    const rep = await deps.users.get(group.tenantId, group.ownerId);
    if (!rep?.email) return 'no-address';
    claimed = await deps.markers.claimDigest(group.tenantId, group.ownerId, runId);
    if (!claimed) return 'sent';
    const mail = renderDigest(group, rep.name);
    await deps.mailer.sendSimple({ to: rep.email, ...mail, tags: { tenantId: group.tenantId, kind: 'reclaim-digest' } });
    return 'sent';
  } catch (error) {
    if (claimed) await deps.markers.releaseDigest(group.tenantId, group.ownerId, runId).catch((e) => logError('reclaim: digest marker not released', e));
    if (isRetryable(error)) retryable.push(error);
    else logError('reclaim: digest not sent', error, { tenantId: group.tenantId, ownerId: group.ownerId });
    return 'failed';
  }
}

/** Task SendReclaimDigests: mails every affected rep once per run and reports the run's counts. */
export async function sendReclaimDigests(deps: DigestDeps, event: unknown): Promise<SweepReport> {
  const input = digestInput.parse(event);
  const outcomes = input.outcomes as SweepOutcome[];
  const count = (kind: SweepOutcome['outcome']) => outcomes.filter((o) => o.outcome === kind).length;

  const groups = groupByRep(outcomes);
  const retryable: unknown[] = [];
  const deliveries: Delivery[] = [];
  for (let i = 0; i < groups.length; i += SEND_CONCURRENCY) {
    deliveries.push(...(await Promise.all(groups.slice(i, i + SEND_CONCURRENCY).map((g) => deliver(deps, input.runId, g, retryable)))));
  }
  // Step Functions retries the task with backoff; the markers skip what already went out.
  if (retryable.length) throw new RetryableSweepError(retryable[0]);

  return {
    now: input.now,
    due: outcomes.length,
    reclaimed: count('reclaimed'),
    warned: count('warned'),
    rescheduled: count('rescheduled'),
    exempt: count('exempt'),
    noPool: count('no-pool'),
    skippedRace: count('skipped-race'),
    failed: count('failed'),
    digests: deliveries.filter((d) => d === 'sent').length,
    noAddress: deliveries.filter((d) => d === 'no-address').length,
    digestsFailed: deliveries.filter((d) => d === 'failed').length,
    capped: input.capped ?? false,
    failures: outcomes
      .filter((o) => o.outcome === 'failed')
      .slice(0, MAX_LISTED_FAILURES)
      .map((o) => ({ tenantId: o.tenantId, customerId: o.customerId, error: o.error ?? 'Error' })),
  };
}
