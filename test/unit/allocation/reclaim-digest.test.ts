import { describe, expect, it, vi } from 'vitest';
import { type DigestDeps, renderDigest, sendReclaimDigests } from '../../../shared/allocation/reclaim-digest-use-case';
import type { SweepOutcome } from '../../../shared/allocation/reclaim-sweep-use-cases';
import type { SimpleMail } from '../../../shared/aws/ses-mail';

const NOW = '2026-04-01T09:00:00.000Z';

const outcomes: SweepOutcome[] = [
  { tenantId: 'acme', customerId: 'C1', outcome: 'reclaimed', ownerId: 'rep-1', name: 'Zeta Corp', poolId: 'P1' },
  { tenantId: 'acme', customerId: 'C2', outcome: 'reclaimed', ownerId: 'rep-1', name: 'Acme Tools', poolId: 'P1' },
  { tenantId: 'acme', customerId: 'C3', outcome: 'warned', ownerId: 'rep-1', name: 'Globex <Ltd>', reclaimAt: '2026-04-04T09:00:00.000Z' },
  { tenantId: 'acme', customerId: 'C4', outcome: 'warned', ownerId: 'rep-2', name: 'Initech', reclaimAt: '2026-04-03T09:00:00.000Z' },
  { tenantId: 'acme', customerId: 'C5', outcome: 'reclaimed', ownerId: 'rep-3', name: 'Hooli', poolId: 'P1' },
  { tenantId: 'other', customerId: 'C6', outcome: 'reclaimed', ownerId: 'rep-1', name: 'Umbrella', poolId: 'P9' },
  { tenantId: 'acme', customerId: 'C7', outcome: 'rescheduled', reclaimAt: '2026-05-01T09:00:00.000Z' },
  { tenantId: 'acme', customerId: 'C8', outcome: 'exempt', reason: 'locked' },
  { tenantId: 'acme', customerId: 'C9', outcome: 'skipped-race' },
  { tenantId: 'acme', customerId: 'C10', outcome: 'failed', error: 'UnreadableProfile' },
  { tenantId: 'zzz', customerId: 'C11', outcome: 'no-pool' },
];

function fakes(options: { claimed?: string[]; failFor?: Record<string, Error> } = {}) {
  const sent: SimpleMail[] = [];
  const released: string[] = [];
  const directory: Record<string, { email?: string; name?: string }> = {
    'acme/rep-1': { email: 'ada@acme.test', name: 'Ada' },
    'acme/rep-2': { email: 'bob@acme.test', name: 'Bob' },
    'acme/rep-3': { name: 'No Address' },
    'other/rep-1': { email: 'ada@other.test', name: 'Ada' },
  };
  const deps: DigestDeps = {
    users: { get: async (tenantId, userId) => directory[`${tenantId}/${userId}`] },
    mailer: {
      sendSimple: vi.fn(async (mail: SimpleMail) => {
        const failure = options.failFor?.[mail.to];
        if (failure) throw failure;
        sent.push(mail);
        return { messageId: `m-${sent.length}` };
      }),
    },
    markers: {
      claimDigest: async (tenantId, ownerId) => !(options.claimed ?? []).includes(`${tenantId}/${ownerId}`),
      releaseDigest: async (tenantId, ownerId) => void released.push(`${tenantId}/${ownerId}`),
    },
  };
  return { deps, sent, released };
}

describe('sendReclaimDigests', () => {
  it('mails each affected rep once per tenant with what was reclaimed and what is due soon, and counts the run', async () => {
    const { deps, sent } = fakes();

    const report = await sendReclaimDigests(deps, { runId: 'run-1', now: NOW, capped: false, outcomes });

    expect(sent.map((m) => m.to).sort()).toEqual(['ada@acme.test', 'ada@other.test', 'bob@acme.test']);
    const ada = sent.find((m) => m.to === 'ada@acme.test')!;
    expect(ada.subject).toBe('Reclaim digest: 2 customers went back to the pool, 1 customer will go back soon');
    expect(ada.text).toContain('- Acme Tools\n- Zeta Corp');
    expect(ada.text).toContain('- Globex <Ltd>, after 2026-04-04 09:00 UTC');
    expect(ada.html).toContain('Globex &#60;Ltd&#62;');
    expect(ada.tags).toEqual({ tenantId: 'acme', kind: 'reclaim-digest' });
    expect(report).toEqual({
      now: NOW,
      due: 11,
      reclaimed: 4,
      warned: 2,
      rescheduled: 1,
      exempt: 1,
      noPool: 1,
      skippedRace: 1,
      failed: 1,
      digests: 3,
      noAddress: 1,
      digestsFailed: 0,
      capped: false,
      failures: [{ tenantId: 'acme', customerId: 'C10', error: 'UnreadableProfile' }],
    });
  });

  it('sends nothing twice in one run: a rep whose digest is already claimed is skipped but counted', async () => {
    const { deps, sent } = fakes({ claimed: ['acme/rep-1'] });

    const report = await sendReclaimDigests(deps, { runId: 'run-1', now: NOW, outcomes });

    expect(sent.map((m) => m.to).sort()).toEqual(['ada@other.test', 'bob@acme.test']);
    expect(report.digests).toBe(3);
  });

  it('throws ReclaimRetryable after the others went out when SES throttles, releasing that rep\'s marker', async () => {
    const throttled = Object.assign(new Error('Maximum sending rate exceeded'), { name: 'TooManyRequestsException' });
    const { deps, sent, released } = fakes({ failFor: { 'bob@acme.test': throttled } });

    await expect(sendReclaimDigests(deps, { runId: 'run-1', now: NOW, outcomes })).rejects.toMatchObject({ name: 'ReclaimRetryable' });
    expect(sent.map((m) => m.to).sort()).toEqual(['ada@acme.test', 'ada@other.test']);
    expect(released).toEqual(['acme/rep-2']);
  });

  it('counts a digest SES rejects for good as failed, without failing the run', async () => {
    const rejected = Object.assign(new Error('Email address is not verified'), { name: 'MessageRejected' });
    const { deps } = fakes({ failFor: { 'bob@acme.test': rejected } });

    const report = await sendReclaimDigests(deps, { runId: 'run-1', now: NOW, outcomes });

    expect(report).toMatchObject({ digests: 2, digestsFailed: 1 });
  });
});

describe('renderDigest', () => {
  it('has only the sections that apply', () => {
    const mail = renderDigest({ tenantId: 'acme', ownerId: 'rep-2', reclaimed: [], warned: [outcomes[3]!] }, null);

    expect(mail.subject).toBe('Reclaim digest: 1 customer will go back soon');
    expect(mail.text.startsWith('Hello,\n')).toBe(true);
    expect(mail.text).not.toContain('Back in the pool');
  });
});
