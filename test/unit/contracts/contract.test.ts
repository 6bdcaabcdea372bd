import { afterEach, describe, expect, it } from 'vitest';
import type { ProcessHead } from '../../../shared/approvals/approval-process';
import type { ProcessSubjects } from '../../../shared/approvals/approval-use-cases';
import { subjectsByType } from '../../../shared/approvals/process-subjects';
import { type NamedItem, TransactionConditionFailed } from '../../../shared/aws/transact-write';
import { installTimeSource } from '../../../shared/clock';
import {
  type Contract,
  contractsInOrder,
  contractSummary,
  contractView,
  createContractInput,
  endedContract,
  isRenewalDue,
  linkErrors,
  markedRenewalDue,
  parseContractValue,
  renewalDueFrom,
  termOf,
} from '../../../shared/contracts/contract';
import { raiseContractRenewals, type RenewalDeps } from '../../../shared/contracts/contract-renewals-use-case';
import { ContractRepository } from '../../../shared/contracts/contract-repository';
import { ValidationFailed } from '../../../shared/errors';

const CUSTOMER = '01JD0000000000000000000002';

const contract = (extra: Partial<Contract> = {}): Contract => ({
  id: '01JD0000000000000000000080', number: 'C-2026-0001', customerId: CUSTOMER, quoteId: null, orderId: null, ownerId: 'rep-1',
  currency: 'EUR', value: 1_200_000, startsOn: '2027-01-01', endsOn: '2027-12-31', terms: 'Twelve months of support', renewalNoticeDays: 30, categories: [],
  status: 'active', approval: { processId: null, status: 'not-required' }, renewalDueAt: null, renewalTaskId: null, endedAt: null, endedBy: null, endReason: null,
  version: 1, createdAt: '2026-12-07T12:00:00.000Z', createdBy: 'rep-1', updatedAt: '2026-12-07T12:00:00.000Z', updatedBy: 'rep-1', ...extra,
});

const input = (extra: Record<string, unknown> = {}) => ({ customerId: CUSTOMER, value: '12000.00', currency: 'EUR', startsOn: '2027-01-01', endsOn: '2027-12-31', terms: 'Support', ...extra });
const paths = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) => (result.error?.issues ?? []).map((i) => i.path.join('.'));

afterEach(() => installTimeSource(Date.now));

describe('the contract schema', () => {
  it('takes a contract with or without a quote or an order, renewal notice 1 to 365 days', () => {
    expect(createContractInput.safeParse(input()).success).toBe(true);
    expect(createContractInput.safeParse(input({ quoteId: '01JD0000000000000000000059', renewalNoticeDays: 365 })).success).toBe(true);
    expect(createContractInput.safeParse(input({ orderId: '01JD0000000000000000000070', renewalNoticeDays: 1 })).success).toBe(true);
  });

  it.each([
    [{ quoteId: '01JD0000000000000000000059', orderId: '01JD0000000000000000000070' }, 'orderId'],
    [{ endsOn: '2027-01-01' }, 'endsOn'],
    [{ endsOn: '2026-12-31' }, 'endsOn'],
    [{ startsOn: '2027-02-30' }, 'startsOn'],
    [{ value: '-5' }, 'value'],
    [{ value: 12000 }, 'value'],
    [{ currency: 'XXX' }, 'currency'],
    [{ terms: '' }, 'terms'],
    [{ terms: 'x'.repeat(5001) }, 'terms'],
    [{ renewalNoticeDays: 0 }, 'renewalNoticeDays'],
    [{ renewalNoticeDays: 366 }, 'renewalNoticeDays'],
    [{ renewalNoticeDays: 1.5 }, 'renewalNoticeDays'],
    [{ customerId: 'nope' }, 'customerId'],
  ])('refuses %j naming %s', (extra, field) => {
    expect(paths(createContractInput.safeParse(input(extra)))).toEqual([field]);
  });

  it("keeps the value exact in the currency's minor unit, refusing more decimals than it allows", () => {
    expect(parseContractValue({ value: '12000.5', currency: 'EUR' })).toBe(1_200_050);
    expect(parseContractValue({ value: '150000', currency: 'JPY' })).toBe(150_000);
    expect(parseContractValue({ value: '1.125', currency: 'BHD' })).toBe(1125);
    for (const [value, currency] of [['12000.001', 'EUR'], ['1.5', 'JPY'], ['1.1255', 'BHD']] as const) {
      expect(() => parseContractValue({ value, currency }), `${value} ${currency}`).toThrow(ValidationFailed);
      try {
        parseContractValue({ value, currency });
      } catch (error) {
        expect((error as ValidationFailed).errors.map((e) => e.path)).toEqual(['value']);
      }
    }
  });
});

describe('a quote or order a contract rests on', () => {
  const quote = (extra: Record<string, unknown> = {}) => ({ customerId: CUSTOMER, status: 'approved', currency: 'EUR', ...extra });
  const check = (record: ReturnType<typeof quote> | undefined, field: 'quoteId' | 'orderId' = 'quoteId') =>
    linkErrors({ customerId: CUSTOMER, currency: 'EUR' }, { field, record, allowed: field === 'quoteId' ? (s) => ['approved', 'sent', 'accepted'].includes(s) : (s) => s !== 'cancelled', label: field === 'quoteId' ? 'quote' : 'order' }).map((e) => e.path);

  it('is the same customer’s, in a status a contract can rest on, in its currency; else 400 naming the field', () => {
    expect(check(quote())).toEqual([]);
    expect(check(quote({ status: 'accepted' }))).toEqual([]);
    expect(check(undefined)).toEqual(['quoteId']);
    expect(check(quote({ customerId: '01JD0000000000000000000099' }))).toEqual(['quoteId']);
    expect(check(quote({ status: 'draft' }))).toEqual(['quoteId']);
    expect(check(quote({ status: 'pending-approval' }))).toEqual(['quoteId']);
    expect(check(quote({ currency: 'USD' }))).toEqual(['currency']);
    expect(check(quote({ status: 'invoiced' }), 'orderId')).toEqual([]);
    expect(check(quote({ status: 'cancelled' }), 'orderId')).toEqual(['orderId']);
  });
});

describe('renewal timing', () => {
  it('is due at 00:00 UTC of endsOn less the notice days', () => {
    expect(renewalDueFrom(contract())).toBe('2027-12-01T00:00:00.000Z');
    expect(renewalDueFrom(contract({ endsOn: '2028-03-01', renewalNoticeDays: 1 }))).toBe('2028-02-29T00:00:00.000Z');
  });

  it('is raised once, for an active contract only, from its day on', () => {
    expect(isRenewalDue(contract(), '2027-11-30T23:59:59.999Z')).toBe(false);
    expect(isRenewalDue(contract(), '2027-12-01T00:00:00.000Z')).toBe(true);
    const raised = markedRenewalDue(contract(), 'task-1', '2027-12-01T01:00:00.000Z');
    expect(raised).toMatchObject({ renewalDueAt: '2027-12-01T01:00:00.000Z', renewalTaskId: 'task-1', version: 2 });
    expect(isRenewalDue(raised, '2027-12-02T00:00:00.000Z')).toBe(false);
    for (const status of ['pending-approval', 'rejected', 'withdrawn', 'terminated'] as const) expect(isRenewalDue(contract({ status }), '2028-01-01T00:00:00.000Z')).toBe(false);
  });
});

describe('where a contract stands', () => {
  it('upcoming, current, ended by its dates when active; null otherwise', () => {
    expect(termOf(contract(), '2026-12-31')).toBe('upcoming');
    expect(termOf(contract(), '2027-01-01')).toBe('current');
    expect(termOf(contract(), '2027-12-31')).toBe('current');
    expect(termOf(contract(), '2028-01-01')).toBe('ended');
    expect(termOf(contract({ status: 'terminated' }), '2027-06-01')).toBeNull();
  });

  it('shows value and dates, never the customer in the approvers’ summary', () => {
    expect(contractSummary(contract())).toBe('Contract C-2026-0001: 12000.00 EUR, 2027-01-01 to 2027-12-31');
    expect(contractView(contract(), '2027-06-01')).toMatchObject({ value: '12000.00', term: 'current', renewalDueOn: '2027-12-01' });
  });

  it('withdrawn recalls its approval; terminated keeps it', () => {
    const by = { userId: 'rep-1', tenantId: 'acme', groups: [] };
    const withdrawn = endedContract(contract({ status: 'pending-approval', approval: { processId: 'p1', status: 'running' } }), 'withdrawn', by, '2026-12-08T00:00:00.000Z', 'price changed');
    expect(withdrawn).toMatchObject({ status: 'withdrawn', approval: { processId: 'p1', status: 'recalled' }, endReason: 'price changed', endedBy: 'rep-1', version: 2 });
    expect(endedContract(contract(), 'terminated', by, '2027-03-01T00:00:00.000Z', undefined)).toMatchObject({ status: 'terminated', approval: { status: 'not-required' }, endReason: null });
  });

  it('lists active and pending first, soonest ending on top, then the others latest changed first', () => {
    const list = [
      contract({ id: 'a', status: 'rejected', updatedAt: '2026-12-01T00:00:00.000Z' }),
      contract({ id: 'b', endsOn: '2028-06-30' }),
      contract({ id: 'c', status: 'terminated', updatedAt: '2026-12-05T00:00:00.000Z' }),
      contract({ id: 'd', status: 'pending-approval', endsOn: '2027-06-30' }),
    ];
    expect(contractsInOrder(list).map((c) => c.id)).toEqual(['d', 'b', 'c', 'a']);
  });
});

describe('process subjects by type', () => {
  const area = (name: string): ProcessSubjects => ({
    stillPending: () => ({ name: `${name}-check` }) as NamedItem,
    settle: (_t, _h, outcome) => ({ name: `${name}-${outcome}` }) as NamedItem,
    describe: () => name,
  });
  const head = (type: 'quote' | 'contract'): ProcessHead => ({ id: 'p', kind: type === 'quote' ? 'quote-discount' : 'contract', customerId: CUSTOMER, requesterId: 'rep-1', subject: { type, id: 's', version: 1, summary: '' } });

  it('sends each call to the area of the subject’s type', () => {
    const subjects = subjectsByType({ quote: area('quote'), contract: area('contract') });
    expect(subjects.stillPending('acme', head('contract')).name).toBe('contract-check');
    expect(subjects.settle('acme', head('quote'), 'approved').name).toBe('quote-approved');
    expect(subjects.settle('acme', head('contract'), 'rejected').name).toBe('contract-rejected');
    expect(subjects.describe(head('contract'))).toBe('contract');
  });
});

describe('the renewal sweep', () => {
  function deps(stored: Contract, failWrite = false) {
    const writes: NamedItem[][] = [];
    const d: RenewalDeps = {
      contracts: {
        dueRenewals: async () => [{ tenantId: 'acme', key: { PK: 'pk', SK: 'sk' } }],
        byKey: async () => stored,
        replaceItem: (_t, c, expected) => ({ name: 'contract', put: { TableName: 't', Item: { ...c }, ConditionExpression: String(expected) } }),
        eventItem: (_t, _c, detailType, detail) => ({ name: `event-${detailType}`, put: { TableName: 't', Item: { detail } } }),
      },
      tasks: {
        createItem: (_t, partition, task) => ({ name: 'task', put: { TableName: 't', Item: { partition, ...task } } }),
        eventItem: (_p, event) => ({ name: `event-${event.detailType}`, put: { TableName: 't', Item: { detail: event.detail } } }),
      },
      write: async (items) => {
        if (failWrite) throw new TransactionConditionFailed(new Set(['contract']), [{ name: 'contract' }], undefined as never);
        writes.push(items);
      },
    };
    return { d, writes };
  }

  it('commits the contract, the owner’s task and both events in one transaction over the version read', async () => {
    installTimeSource(() => Date.parse('2027-12-01T01:00:00.000Z'));
    const { d, writes } = deps(contract({ version: 3 }));
    expect(await raiseContractRenewals(d)).toEqual({ raised: 1, skipped: 0 });
    expect(writes).toHaveLength(1);
    const items = writes[0]!;
    expect(items.map((i) => i.name)).toEqual(['contract', 'task', 'event-crm.task.created.v1', 'event-crm.contract.renewal-due.v1']);
    const task = items[1]!.put!.Item as Record<string, unknown>;
    expect(task).toMatchObject({ assigneeId: 'rep-1', customerId: CUSTOMER, source: 'contract-renewal', status: 'open', dueAt: '2027-12-31T00:00:00.000Z' });
    expect(items[0]!.put!.Item).toMatchObject({ renewalDueAt: '2027-12-01T01:00:00.000Z', renewalTaskId: task.id, version: 4 });
    expect(items[0]!.put!.ConditionExpression).toBe('3');
    expect((items[3]!.put!.Item as { detail: { data: Record<string, unknown> } }).detail.data).toMatchObject({ number: 'C-2026-0001', taskId: task.id, value: '12000.00', ownerId: 'rep-1' });
  });

  it('skips a contract not due any more (terminated, raised) and one that moved under it', async () => {
    installTimeSource(() => Date.parse('2027-12-01T01:00:00.000Z'));
    expect(await raiseContractRenewals(deps(contract({ status: 'terminated' })).d)).toEqual({ raised: 0, skipped: 1 });
    expect(await raiseContractRenewals(deps(contract({ renewalDueAt: '2027-12-01T00:00:00.000Z' })).d)).toEqual({ raised: 0, skipped: 1 });
    expect(await raiseContractRenewals(deps(contract(), true).d)).toEqual({ raised: 0, skipped: 1 });
  });
});

describe('contracts in the table', () => {
  const repo = new ContractRepository({} as never, 'crm');
  const head: ProcessHead = { id: 'p1', kind: 'contract', customerId: CUSTOMER, requesterId: 'rep-1', subject: { type: 'contract', id: '01JD0000000000000000000080', version: 1, summary: '' } };
  const itemOf = (c: Contract) => repo.replaceItem('acme', c, c.version).put!.Item as Record<string, unknown>;

  it('waits in the renewal index while active and not raised; under approval it holds the sort key alone', () => {
    expect(itemOf(contract())).toMatchObject({ GSI2PK: 'CONTRACTRENEWAL', GSI2SK: `2027-12-01T00:00:00.000Z#acme#${contract().id}`, GSI3PK: `T#acme#CONTRACT#${contract().id}`, SK: `CONTRACT#${contract().id}` });
    const pending = itemOf(contract({ status: 'pending-approval' }));
    expect(pending.GSI2PK).toBeUndefined();
    expect(pending.GSI2SK).toBe(`2027-12-01T00:00:00.000Z#acme#${contract().id}`);
    for (const gone of [contract({ renewalDueAt: '2027-12-01T01:00:00.000Z' }), contract({ status: 'terminated' }), contract({ status: 'rejected' })]) {
      expect(itemOf(gone).GSI2PK).toBeUndefined();
      expect(itemOf(gone).GSI2SK).toBeUndefined();
    }
  });

  it("approval completes the index entry; rejection drops its sort key; both only over the version the process is for, still pending", () => {
    const approved = repo.settleItem('acme', head, 'approved', '2026-12-08T00:00:00.000Z').update!;
    expect(approved.UpdateExpression).toContain('GSI2PK = :renewals');
    expect(approved.ExpressionAttributeValues).toMatchObject({ ':status': 'active', ':renewals': 'CONTRACTRENEWAL', ':version': 1, ':pending': 'pending-approval' });
    const rejected = repo.settleItem('acme', head, 'rejected', '2026-12-08T00:00:00.000Z').update!;
    expect(rejected.UpdateExpression).toContain('REMOVE GSI2SK');
    expect(rejected.ExpressionAttributeValues).toMatchObject({ ':status': 'rejected' });
    expect(approved.ConditionExpression).toBe('#version = :version AND #status = :pending');
    expect(repo.pendingCheck('acme', head).conditionCheck!.ConditionExpression).toBe('#version = :version AND #status = :pending');
  });
});
