import { describe, expect, it } from 'vitest';
import type { SimpleMail } from '../../../shared/aws/ses-mail';
import type { Case } from '../../../shared/cases/case';
import { escalateSlaAlert } from '../../../shared/cases/case-sla-use-cases';
import type { SlaPolicyRecord } from '../../../shared/sla/sla-policies';
import type { DirectoryUser } from '../../../shared/users/user';

const CASE_ID = '01JD0000000000000000000042';
const theCase = { id: CASE_ID, tenantId: 'acme', customerId: 'K1', subject: 'Printer on fire' } as Case;

const event = (detailType: 'crm.case.sla-warning.v1' | 'crm.case.sla-breached.v1', assigneeId: string | null = 'agent-1') => ({
  id: 'e1',
  'detail-type': detailType,
  source: 'crm',
  time: '2026-12-07T09:24:00Z',
  detail: {
    id: '01JD0000000000000000000046', type: detailType, occurredAt: '2026-12-07T09:24:00.000Z', tenantId: 'acme',
    actor: { type: 'system', id: 'sla-sweep' }, correlationId: 'sla-sweep-1',
    data: { caseId: CASE_ID, customerId: 'K1', target: 'firstResponse', dueAt: '2026-12-07T09:30:00.000Z', policyId: 'default', priority: 'urgent', assigneeId },
  },
});

type User = Pick<DirectoryUser, 'userId' | 'email' | 'name' | 'status' | 'managerId'>;
const user = (userId: string, more: Partial<User> = {}): User => ({ userId, email: `${userId}@example.com`, name: userId, status: 'active', managerId: null, ...more });

function world(options: { escalateTo?: string[]; users?: User[]; managers?: User[]; failSendTo?: string } = {}) {
  const sent: SimpleMail[] = [];
  const markers = new Set<string>();
  const users = new Map((options.users ?? []).map((u) => [u.userId, u]));
  const deps = {
    cases: { get: async () => ({ case: theCase, messages: [] }) },
    policies: { recordFor: async () => ({ id: 'default', escalateTo: options.escalateTo ?? [] }) as unknown as SlaPolicyRecord },
    users: { get: async (_: string, id: string) => users.get(id), managers: async () => options.managers ?? [] },
    mailer: {
      sendSimple: async (mail: SimpleMail) => {
        if (mail.to === options.failSendTo) throw new Error('SES refused');
        sent.push(mail);
        return { messageId: `ses-${sent.length}` };
      },
    },
    once: {
      claim: async (pk: string, effect: string) => (markers.has(`${pk}|${effect}`) ? false : (markers.add(`${pk}|${effect}`), true)),
      release: async (pk: string, effect: string) => void markers.delete(`${pk}|${effect}`),
      complete: async () => undefined,
    },
  };
  return { deps, sent };
}

describe('escalating an SLA warning or breach by mail', () => {
  it("mails the policy's escalateTo users, once each however often the event comes", async () => {
    const { deps, sent } = world({ escalateTo: ['lead-1', 'lead-2', 'gone'], users: [user('lead-1'), user('lead-2', { status: 'deactivated' }), user('agent-1', { managerId: 'boss' }), user('boss')] });
    expect(await escalateSlaAlert(deps, event('crm.case.sla-warning.v1'))).toEqual({ status: 'sent', to: ['lead-1'], alreadySent: [] });
    expect(await escalateSlaAlert(deps, event('crm.case.sla-warning.v1'))).toEqual({ status: 'sent', to: [], alreadySent: ['lead-1'] });
    expect(sent.map((m) => [m.to, m.subject])).toEqual([['lead-1@example.com', `SLA warning: first response due soon [case ${CASE_ID}]`]]);
    expect(sent[0]!.text).toContain('Printer on fire');
    expect(sent[0]!.text).toContain('Due 2026-12-07 09:30 UTC');
  });

  it("falls back to the assignee's manager, then to the tenant's managers", async () => {
    const manager = world({ users: [user('agent-1', { managerId: 'boss' }), user('boss')], managers: [user('m1')] });
    await escalateSlaAlert(manager.deps, event('crm.case.sla-breached.v1'));
    expect(manager.sent.map((m) => [m.to, m.subject])).toEqual([['boss@example.com', `SLA breached: first response breached [case ${CASE_ID}]`]]);

    const managers = world({ users: [user('agent-1')], managers: [user('m1'), user('m2')] });
    await escalateSlaAlert(managers.deps, event('crm.case.sla-breached.v1'));
    expect(managers.sent.map((m) => m.to)).toEqual(['m1@example.com', 'm2@example.com']);

    const queued = world({ managers: [user('m1')] });
    await escalateSlaAlert(queued.deps, event('crm.case.sla-breached.v1', null));
    expect(queued.sent.map((m) => m.to)).toEqual(['m1@example.com']);

    expect(await escalateSlaAlert(world().deps, event('crm.case.sla-breached.v1'))).toEqual({ status: 'no-recipient' });
  });

  it('releases the claim of a recipient SES refused, so a redelivery mails only that one', async () => {
    const { deps, sent } = world({ escalateTo: ['a', 'b'], users: [user('a'), user('b')], failSendTo: 'b@example.com' });
    await expect(escalateSlaAlert(deps, event('crm.case.sla-warning.v1'))).rejects.toThrow('SES refused');
    deps.mailer.sendSimple = async (mail: SimpleMail) => (sent.push(mail), { messageId: 'ses-x' });
    expect(await escalateSlaAlert(deps, event('crm.case.sla-warning.v1'))).toEqual({ status: 'sent', to: ['b'], alreadySent: ['a'] });
    expect(sent.map((m) => m.to)).toEqual(['a@example.com', 'b@example.com']);
  });
});
