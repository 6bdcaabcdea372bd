import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../shared/access/caller';
import { type Case, checkReplyAddress, nextStatus, openCaseInput, patched, withMessage, worksCases } from '../../../shared/cases/case';
import { scrub } from '../../../shared/privacy/customer-erasure';
import { validationPaths } from '../validation-paths';

const agent: Caller = { userId: 'agent-1', tenantId: 't1', groups: ['agent'] };
const base: Case = {
  id: 'C1', tenantId: 't1', customerId: 'K1', contactId: null, email: 'ann@example.com', subject: 'Help', description: 'It broke', priority: 'normal',
  category: 'general', channel: 'api', status: 'new', assigneeId: null, messageCount: 0, lastMessageAt: null, firstResponseAt: null, resolvedAt: null,
  createdAt: '2026-12-07T09:00:00.000Z', createdBy: 'agent-1', updatedAt: '2026-12-07T09:00:00.000Z', updatedBy: 'agent-1', version: 1, sla: null,
};

describe('the case status machine', () => {
  it('opens a new case when someone takes it, waits for the customer after a reply, and takes nothing once closed', () => {
    expect(nextStatus('new', { assigned: true })).toBe('open');
    expect(nextStatus('pending-customer', { assigned: true })).toBe('pending-customer');
    expect(nextStatus('open', { reply: true })).toBe('pending-customer');
    expect(nextStatus('open', { reply: true, status: 'resolved' })).toBe('resolved');
    expect(nextStatus('closed', { status: 'open' })).toBe('closed');
  });

  it('stamps the first reply once and counts messages; a note is no response', () => {
    const noted = withMessage(base, { kind: 'note', at: '2026-12-07T10:00:00.000Z' }, undefined, agent);
    expect(noted).toMatchObject({ status: 'new', messageCount: 1, firstResponseAt: null, version: 2 });
    const replied = withMessage(noted, { kind: 'outbound', at: '2026-12-07T11:00:00.000Z' }, undefined, agent);
    expect(replied).toMatchObject({ status: 'pending-customer', firstResponseAt: '2026-12-07T11:00:00.000Z', messageCount: 2 });
    expect(withMessage(replied, { kind: 'outbound', at: '2026-12-07T12:00:00.000Z' }, 'resolved', agent)).toMatchObject({ firstResponseAt: '2026-12-07T11:00:00.000Z', status: 'resolved', resolvedAt: '2026-12-07T12:00:00.000Z' });
  });

  it('keeps the first resolution time while resolved, and forgets it when the case opens again', () => {
    const resolved = patched(base, { status: 'resolved' }, agent, '2026-12-07T12:00:00.000Z');
    expect(patched(resolved, { priority: 'high' }, agent, '2026-12-07T13:00:00.000Z').resolvedAt).toBe('2026-12-07T12:00:00.000Z');
    expect(patched(resolved, { status: 'open' }, agent, '2026-12-07T13:00:00.000Z').resolvedAt).toBeNull();
    expect(patched(base, { assigneeId: null }, agent, '2026-12-07T13:00:00.000Z').status).toBe('new');
  });

  it('wants an address for a reply, not for a note', () => {
    const noAddress = { ...base, email: null };
    expect(validationPaths(() => checkReplyAddress(noAddress, { text: 'hi', internal: false }))).toEqual(['internal']);
    expect(() => checkReplyAddress(noAddress, { text: 'hi', internal: true })).not.toThrow();
  });

  it('is worked by agents, managers and admins', () => {
    expect(worksCases(agent)).toBe(true);
    expect(worksCases({ ...agent, groups: ['rep'] })).toBe(false);
    expect(worksCases({ ...agent, groups: ['marketer'] })).toBe(false);
  });

  it('refuses a bad category, priority or channel by name', () => {
    const parsed = openCaseInput.safeParse({ subject: 's', description: 'd', category: 'Billing Stuff', priority: 'asap', channel: 'fax' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['category', 'channel', 'priority']);
  });
});

describe('erasing a case', () => {
  it('keeps the anonymous skeleton, closes an active case and takes it off every list; deletes the thread', () => {
    const item = { PK: 'T#t1#C#K1', SK: 'CASE#C1', entity: 'Case', GSI1PK: 'T#t1#CASES#$QUEUE#ACTIVE', GSI1SK: 'new#x', GSI3PK: 'T#t1#CASE#C1', GSI3SK: 'CASE', ...base };
    const action = scrub(item);
    expect(action.action).toBe('replace');
    const kept = (action as { item: Record<string, unknown> }).item;
    expect(kept).toMatchObject({ id: 'C1', status: 'closed', priority: 'normal', GSI3PK: 'T#t1#CASE#C1' });
    for (const gone of ['subject', 'description', 'email', 'GSI1PK', 'GSI1SK']) expect(kept).not.toHaveProperty(gone);
    expect(scrub(kept)).toEqual({ action: 'keep' });
    expect(scrub({ PK: 'T#t1#C#K1', SK: '$CASEMSG#C1#M1', text: 'my words' })).toEqual({ action: 'delete' });
  });
});
