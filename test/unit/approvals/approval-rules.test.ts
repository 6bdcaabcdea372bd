import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../shared/access/caller';
import { resolveChain } from '../../../shared/approvals/approval-chain';
import { ApprovalDecided, ApprovalNotFound, ProcessNotRunning } from '../../../shared/approvals/approval-errors';
import { type ApprovalRule, chooseRule, defaultPolicy, type RequestFacts } from '../../../shared/approvals/approval-policy';
import { decide, newProcess, processIdOf, recall, stepApprovals, type ProcessStep } from '../../../shared/approvals/approval-process';
import type { DirectoryUser } from '../../../shared/users/user';

const facts = (over: Partial<RequestFacts> = {}): RequestFacts => ({ currency: 'EUR', total: 100_000n, decimals: 2, maxDiscountBasisPoints: 0, categories: [], customerLevel: null, ...over });

describe('approval policies', () => {
  it('by default ask the manager for a line discount above 20 %, and not at 20 % exactly', () => {
    const policy = defaultPolicy('quote-discount');
    expect(chooseRule(policy, facts({ maxDiscountBasisPoints: 2000 }))).toBeUndefined();
    expect(chooseRule(policy, facts({ maxDiscountBasisPoints: 2000.01 }))?.steps).toEqual([{ name: 'Manager', approvers: [{ manager: true }], mode: 'any' }]);
    expect(defaultPolicy('contract').rules).toEqual([]);
  });

  it('pick the first rule whose conditions all hold: totals only in their currency, categories, levels', () => {
    const step = { approvers: [{ role: 'admin' as const }], mode: 'any' as const };
    const rules: ApprovalRule[] = [
      { name: 'big', when: { totalAtLeast: { currency: 'EUR', amount: '1000.00' } }, steps: [step] },
      { name: 'hardware for gold', when: { categories: ['hardware'], customerLevels: ['gold'] }, steps: [step] },
    ];
    expect(chooseRule({ rules }, facts({ total: 100_000n }))?.name).toBe('big');
    expect(chooseRule({ rules }, facts({ total: 99_999n }))).toBeUndefined();
    expect(chooseRule({ rules }, facts({ currency: 'USD', total: 10_000_000n }))).toBeUndefined();
    expect(chooseRule({ rules }, facts({ total: 1n, categories: ['hardware'], customerLevel: 'gold' }))?.name).toBe('hardware for gold');
    expect(chooseRule({ rules }, facts({ total: 1n, categories: ['hardware'], customerLevel: null }))).toBeUndefined();
  });
});

const user = (userId: string, groups: DirectoryUser['groups'], managerId: string | null = null, status: DirectoryUser['status'] = 'active') =>
  ({ userId, groups, managerId, status }) as DirectoryUser;

describe('resolving a chain', () => {
  const directory = [user('rep', ['rep'], 'boss'), user('boss', ['manager']), user('m2', ['manager']), user('gone', ['manager'], null, 'deactivated'), user('root', ['admin'])];

  it('turns roles into active members, the manager into the requester’s, never the requester', () => {
    const rule: ApprovalRule = { name: 'r', when: {}, steps: [{ approvers: [{ manager: true }], mode: 'any' }, { name: 'Managers', approvers: [{ role: 'manager' }], mode: 'all' }] };
    const steps = resolveChain(rule, 'rep', directory);
    expect(steps.map((s) => [s.name, s.approverIds])).toEqual([['Step 1', ['boss']], ['Managers', ['boss', 'm2']]]);
    expect(resolveChain(rule, 'boss', directory)[1]!.approverIds).toEqual(['m2']);
  });

  it('gives a step left with nobody to the admins, and refuses when there are none', () => {
    const rule: ApprovalRule = { name: 'r', when: {}, steps: [{ approvers: [{ manager: true }], mode: 'any' }] };
    expect(resolveChain(rule, 'm2', directory)[0]!.approverIds).toEqual(['root']);
    expect(() => resolveChain(rule, 'm2', directory.filter((u) => u.userId !== 'root'))).toThrow(/Nobody active can approve/);
  });
});

describe('deciding', () => {
  const caller = (userId: string): Caller => ({ userId, tenantId: 't', groups: ['manager'] });
  const step = (mode: 'any' | 'all', approverIds: string[]): ProcessStep => ({ name: 'S', mode, approverIds, timeLimitHours: null, status: 'waiting', openedAt: null, closedAt: null });
  const NOW = new Date('2026-12-07T12:00:00.000Z');
  const started = (mode: 'any' | 'all') => {
    const process = newProcess({ id: '01JD0000000000000000000060', kind: 'quote-discount', customerId: 'c', requesterId: 'rep', rule: 'r', steps: [step(mode, ['a', 'b']), step('any', ['c'])], startedAt: NOW.toISOString(), subject: { type: 'quote', id: 'q', version: 2, summary: 's' } });
    const approvals = stepApprovals(process, 0, process.steps[0]!, () => undefined, NOW);
    return { process: { ...process, currentStep: 0, steps: process.steps.map((s, i) => (i === 0 ? { ...s, status: 'open' as const } : s)), taskToken: 'tok' }, approvals };
  };

  it('closes an `any` step on the first decision, and takes the others out of their inboxes', () => {
    const { process, approvals } = started('any');
    const result = decide(process, approvals, approvals[0]!.id, caller('a'), 'approved', 'ok', NOW);
    expect(result.stepOutcome).toBe('approved');
    expect(result.closed.map((a) => [a.approverId, a.status])).toEqual([['b', 'closed']]);
    expect(result.process).toMatchObject({ waitingOn: [], taskToken: null, version: process.version + 1 });
    expect(processIdOf(approvals[1]!.id)).toBe(process.id);
  });

  it('keeps an `all` step open until the last approval; a rejection closes it at once', () => {
    const { process, approvals } = started('all');
    const first = decide(process, approvals, approvals[0]!.id, caller('a'), 'approved', null, NOW);
    expect(first.stepOutcome).toBeUndefined();
    expect(first.process.waitingOn).toEqual(['b']);
    const second = decide(first.process, [first.approval, approvals[1]!], approvals[1]!.id, caller('b'), 'approved', null, NOW);
    expect(second.stepOutcome).toBe('approved');
    expect(decide(process, approvals, approvals[1]!.id, caller('b'), 'rejected', 'no', NOW).stepOutcome).toBe('rejected');
  });

  it("refuses someone else's approval, a second decision and a recalled process", () => {
    const { process, approvals } = started('any');
    expect(() => decide(process, approvals, approvals[0]!.id, caller('b'), 'approved', null, NOW)).toThrow(ApprovalNotFound);
    const done = decide(process, approvals, approvals[0]!.id, caller('a'), 'approved', null, NOW);
    expect(() => decide(done.process, [done.approval, ...done.closed], approvals[0]!.id, caller('a'), 'approved', null, NOW)).toThrow(ApprovalDecided);
    const recalled = recall(process, approvals, 'rep', NOW);
    expect(recalled.process.status).toBe('recalled');
    expect(() => decide(recalled.process, approvals, approvals[0]!.id, caller('a'), 'approved', null, NOW)).toThrow(ProcessNotRunning);
  });
});
