import { afterEach, describe, expect, it } from 'vitest';
import { escalate, escalationTarget } from '../../../shared/approvals/approval-escalation';
import { escalateOverdueApprovals, type EscalationDeps } from '../../../shared/approvals/approval-escalation-use-cases';
import { ApprovalDecided } from '../../../shared/approvals/approval-errors';
import { type Approval, decide, newProcess, type Process, type ProcessStep, stepApprovals } from '../../../shared/approvals/approval-process';
import type { NamedItem } from '../../../shared/aws/transact-write';
import { installTimeSource } from '../../../shared/clock';
import type { DirectoryUser } from '../../../shared/users/user';

const NOW = new Date('2026-12-07T12:00:00.000Z');
const LATER = new Date('2026-12-08T12:00:01.000Z');
const H = 3_600_000;

afterEach(() => installTimeSource(Date.now));

const user = (userId: string, groups: DirectoryUser['groups'], managerId: string | null = null, extra: Partial<DirectoryUser> = {}) =>
  ({ userId, groups, managerId, status: 'active', delegate: null, ...extra }) as DirectoryUser;

describe('who an overdue approval goes to', () => {
  const directory = [
    user('rep', ['rep'], 'boss'),
    user('boss', ['manager'], 'chief'),
    user('chief', ['manager']),
    user('deputy', ['manager']),
    user('lonely', ['manager'], 'gone'),
    user('gone', ['manager'], null, { status: 'deactivated' }),
    user('root', ['admin']),
    user('zed', ['admin']),
  ];
  const held = (approverId: string, onBehalfOf: string | null = null) => ({ approverId, onBehalfOf, requesterId: 'rep' });

  it("is the manager of the approver it was for, a delegate's approval by the absent approver's manager", () => {
    expect(escalationTarget(held('boss'), directory, NOW)).toEqual({ approverId: 'chief', onBehalfOf: null, via: 'manager' });
    expect(escalationTarget(held('deputy', 'boss'), directory, NOW)).toEqual({ approverId: 'chief', onBehalfOf: null, via: 'manager' });
  });

  it('is the first active admin without a manager or with an inactive one, never the requester or the holder', () => {
    expect(escalationTarget(held('chief'), directory, NOW)).toEqual({ approverId: 'root', onBehalfOf: null, via: 'admin' });
    expect(escalationTarget(held('lonely'), directory, NOW)).toEqual({ approverId: 'root', onBehalfOf: null, via: 'admin' });
    expect(escalationTarget(held('root'), directory, NOW)).toEqual({ approverId: 'zed', onBehalfOf: null, via: 'admin' });
    // The manager is the requester: the admins.
    expect(escalationTarget({ approverId: 'boss', onBehalfOf: null, requesterId: 'chief' }, directory, NOW)?.approverId).toBe('root');
    expect(escalationTarget(held('chief'), directory.filter((u) => !u.groups.includes('admin')), NOW)).toBeUndefined();
  });

  it("follows the target's active delegation, not an expired one", () => {
    const away = directory.map((u) => (u.userId === 'chief' ? { ...u, delegate: { userId: 'deputy', until: '2026-12-08T00:00:00.000Z' } } : u));
    expect(escalationTarget(held('boss'), away, NOW)).toEqual({ approverId: 'deputy', onBehalfOf: 'chief', via: 'manager' });
    expect(escalationTarget(held('boss'), away, LATER)).toEqual({ approverId: 'chief', onBehalfOf: null, via: 'manager' });
  });
});

const step = (mode: 'any' | 'all', approverIds: string[], timeLimitHours: number | null = 24): ProcessStep => ({ name: 'S', mode, approverIds, timeLimitHours, status: 'waiting', openedAt: null, closedAt: null });

function opened(mode: 'any' | 'all', approverIds = ['a', 'b'], timeLimitHours: number | null = 24) {
  const process = newProcess({ id: '01JD0000000000000000000060', kind: 'quote-discount', customerId: 'c', requesterId: 'rep', rule: 'r', steps: [step(mode, approverIds, timeLimitHours)], startedAt: NOW.toISOString(), subject: { type: 'quote', id: 'q', version: 2, summary: 's' } });
  const approvals = stepApprovals(process, 0, process.steps[0]!, () => undefined, NOW);
  const running: Process = { ...process, currentStep: 0, steps: process.steps.map((s) => ({ ...s, status: 'open' as const })), waitingOn: approverIds, taskToken: 'tok' };
  return { process: running, approvals };
}

describe('escalating', () => {
  it('closes the overdue approval as escalated and opens the next slot for the target, due after the same limit', () => {
    const { process, approvals } = opened('all');
    const result = escalate(process, approvals, approvals[0]!.id, { approverId: 'm', onBehalfOf: null }, LATER)!;
    expect(result.escalated).toMatchObject({ id: `${process.id}-0-0`, status: 'escalated', decidedAt: LATER.toISOString() });
    expect(result.opened).toMatchObject({ id: `${process.id}-0-2`, approverId: 'm', onBehalfOf: null, status: 'pending', step: 0, dueAt: new Date(LATER.getTime() + 24 * H).toISOString() });
    expect(result.process.waitingOn).toEqual(['b', 'm']);
    expect(result.process.history.at(-1)).toEqual({ at: LATER.toISOString(), type: 'escalated', by: 'system', step: 0, from: 'a', to: 'm' });
    expect(result.process.version).toBe(process.version + 1);
    expect(result.process.taskToken).toBe('tok');
  });

  it('does nothing before the limit, for a decided approval, or a closed step', () => {
    const { process, approvals } = opened('any');
    const target = { approverId: 'm', onBehalfOf: null };
    expect(escalate(process, approvals, approvals[0]!.id, target, NOW)).toBeUndefined();
    const decided = decide(process, approvals, approvals[0]!.id, { userId: 'a', tenantId: 't', groups: ['manager'] }, 'approved', null, LATER);
    const after = [decided.approval, ...decided.closed];
    expect(escalate(decided.process, after, approvals[0]!.id, target, LATER)).toBeUndefined();
    expect(escalate(decided.process, after, approvals[1]!.id, target, LATER)).toBeUndefined();
    const noLimit = opened('any', ['a'], null);
    expect(escalate(noLimit.process, noLimit.approvals, noLimit.approvals[0]!.id, target, LATER)).toBeUndefined();
  });

  it('answers the old holder 409 once escalated; the new holder decides', () => {
    const { process, approvals } = opened('any', ['a']);
    const { process: next, escalated, opened: successor } = escalate(process, approvals, approvals[0]!.id, { approverId: 'm', onBehalfOf: null }, LATER)!;
    expect(() => decide(next, [escalated, successor], escalated.id, { userId: 'a', tenantId: 't', groups: ['manager'] }, 'approved', null, LATER)).toThrow(ApprovalDecided);
    expect(decide(next, [escalated, successor], successor.id, { userId: 'm', tenantId: 't', groups: ['manager'] }, 'approved', null, LATER).stepOutcome).toBe('approved');
  });
});

describe('the escalation sweep', () => {
  /** A table of one process, whose commits succeed over the version held (a decision may come first). */
  function world(state: { process: Process; approvals: Approval[] }, directory: DirectoryUser[]) {
    const commits: NamedItem[][] = [];
    let raceBeforeCommit: (() => void) | undefined;
    const deps: EscalationDeps = {
      approvals: {
        dueApprovals: async (nowIso) => state.approvals.filter((a) => a.status === 'pending' && a.dueAt && a.dueAt <= nowIso).map((a) => ({ tenantId: 't', approvalId: a.id, processId: a.processId })),
        load: async () => structuredClone(state),
        approvalItem: (_t, approval, change, options) => ({ name: `approval-${approval.id}`, put: { TableName: 'T', Item: { approval, change, due: options?.due ?? true } } }),
        processItem: (_t, process, expected) => ({ name: 'process', put: { TableName: 'T', Item: { process, expected } } }),
        eventItem: (_t, _c, detailType, detail) => ({ name: `event-${detail.id}`, put: { TableName: 'T', Item: { detailType, detail } } }),
        commit: async (items) => {
          raceBeforeCommit?.();
          raceBeforeCommit = undefined;
          const process = items.find((i) => i.name === 'process')?.put?.Item as { process: Process; expected: number } | undefined;
          if (process && process.expected !== state.process.version) return { outcome: 'condition-failed', item: 'process', failures: [{ name: 'process' }] };
          commits.push(items);
          if (process) state.process = process.process;
          for (const i of items.filter((x) => x.name.startsWith('approval-'))) {
            const { approval } = i.put!.Item as { approval: Approval };
            state.approvals = [...state.approvals.filter((a) => a.id !== approval.id), approval];
          }
          return { outcome: 'written' };
        },
      },
      directory: async () => directory,
    };
    return { deps, commits, race: (fn: () => void) => (raceBeforeCommit = fn) };
  }
  const team = [user('rep', ['rep'], 'a'), user('a', ['manager'], 'm'), user('m', ['manager'])];

  it('escalates each overdue approval once, however often it runs', async () => {
    const state = opened('any', ['a']);
    const { deps, commits } = world(state, team);
    installTimeSource(() => LATER.getTime());
    expect(await escalateOverdueApprovals(deps)).toEqual({ due: 1, escalated: 1, skipped: 0, unescalated: 0, failed: 0 });
    expect(await escalateOverdueApprovals(deps)).toEqual({ due: 0, escalated: 0, skipped: 0, unescalated: 0, failed: 0 });
    expect(commits).toHaveLength(1);
    expect(commits[0]!.map((i) => i.name).filter((n) => n.startsWith('event-'))).toHaveLength(1);
    expect(commits[0]!.find((i) => i.name.startsWith('event-'))!.put!.Item).toMatchObject({ detailType: 'crm.approval.escalated.v1', detail: { data: { fromApproverId: 'a', toApproverId: 'm', via: 'manager' } } });
  });

  it('loses to a decision that came first: it reads again and leaves the decided approval alone', async () => {
    const state = opened('any', ['a']);
    const { deps, commits, race } = world(state, team);
    installTimeSource(() => LATER.getTime());
    race(() => {
      const decided = decide(state.process, state.approvals, state.approvals[0]!.id, { userId: 'a', tenantId: 't', groups: ['manager'] }, 'approved', null, LATER);
      state.process = decided.process;
      state.approvals = [decided.approval];
    });
    expect(await escalateOverdueApprovals(deps)).toMatchObject({ due: 1, escalated: 0, skipped: 1 });
    expect(commits).toEqual([]);
  });

  it('takes an approval nobody can take over out of its index, once', async () => {
    const state = opened('any', ['a']);
    const { deps, commits } = world(state, [user('rep', ['rep'], 'a'), user('a', ['manager'])]);
    installTimeSource(() => LATER.getTime());
    expect(await escalateOverdueApprovals(deps)).toMatchObject({ unescalated: 1 });
    expect(commits[0]!.map((i) => i.put!.Item)).toEqual([expect.objectContaining({ due: false, approval: expect.objectContaining({ status: 'pending' }) })]);
  });
});
