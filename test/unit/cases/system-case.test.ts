import { describe, expect, it } from 'vitest';
import type { NamedItem } from '../../../shared/aws/transact-write';
import type { Case } from '../../../shared/cases/case';
import type { CaseEvent } from '../../../shared/cases/case-repository';
import { openSystemCase, type SystemCaseDeps } from '../../../shared/cases/system-case';
import type { Customer } from '../../../shared/customers/customer';

const known = { id: 'C-KNOWN', emails: ['ada@example.com'], level: 'gold', mergedInto: null, erasedAt: null } as unknown as Customer;

function world(openOutcome: 'written' | 'customer-gone' = 'written') {
  const opened: { c: Case; events: CaseEvent[]; extra: NamedItem[] }[] = [];
  const created: { email: string; name: string | undefined; caller: unknown }[] = [];
  const deps: SystemCaseDeps = {
    cases: {
      open: async (c, events, extra = []) => {
        opened.push({ c, events, extra });
        return { outcome: openOutcome };
      },
    },
    customers: {
      get: async (_t, id) => (id === known.id ? known : undefined),
      idByEmail: async (_t, email) => (email === 'ada@example.com' ? known.id : undefined),
      createForAddress: async (caller, email, _c, name) => {
        created.push({ email, name, caller });
        return { id: 'C-NEW', emails: [email], level: null } as unknown as Customer;
      },
    },
    agentLoad: () => [{ name: 'load', conditionCheck: { TableName: 't', Key: { PK: 'x', SK: 'y' }, ConditionExpression: 'attribute_exists(PK)' } }],
    slaPolicies: { forCategory: async () => null },
  };
  return { deps, opened, created };
}

const context = { tenantId: 't1', actor: { type: 'system' as const, id: 'web-form' }, correlationId: 'req-1' };
const input = (email: string) => ({ email, subject: 'Help', description: 'Please', priority: 'normal' as const, category: 'general', channel: 'web' as const });
const AT = '2026-12-07T06:00:00.000Z';

describe('opening a case for a system actor', () => {
  it('opens it in the queue for the customer holding the address, as the system actor, with its extra items before the agent loads', async () => {
    const { deps, opened, created } = world();
    const marker: NamedItem = { name: 'submitted', put: { TableName: 't', Item: { PK: 'm', SK: 'm' } } };
    const result = await openSystemCase(deps, { context, input: input('ada@example.com'), at: AT, more: () => ({ items: [marker] }) });
    expect(result).toMatchObject({ outcome: 'opened', customerCreated: false, case: { customerId: 'C-KNOWN', status: 'new', assigneeId: null, channel: 'web', createdBy: 'web-form', createdAt: AT } });
    expect(created).toEqual([]);
    const [write] = opened;
    expect(write!.extra.map((i) => i.name)).toEqual(['submitted', 'load']);
    expect(write!.events).toHaveLength(1);
    expect(write!.events[0]).toMatchObject({ detailType: 'crm.case.opened.v1', detail: { actor: { type: 'system', id: 'web-form' }, data: { channel: 'web', customerCreated: false } } });
  });

  it('makes a new unowned person for an unknown address, named as asked, through a caller without a sales team', async () => {
    const { deps, created } = world();
    const result = await openSystemCase(deps, { context, input: input('new@example.com'), at: AT, customerName: 'Grace' });
    expect(result).toMatchObject({ outcome: 'opened', customerCreated: true, case: { customerId: 'C-NEW', email: 'new@example.com' } });
    expect(created).toEqual([{ email: 'new@example.com', name: 'Grace', caller: { userId: 'web-form', tenantId: 't1', groups: ['agent'] } }]);
  });

  it('tells its caller when the customer went away between the read and the write', async () => {
    const { deps } = world('customer-gone');
    expect(await openSystemCase(deps, { context, input: input('ada@example.com'), at: AT })).toEqual({ outcome: 'customer-gone' });
  });
});
