import { describe, expect, it } from 'vitest';
import { transactItems } from '../../../shared/aws/transact-write';
import type { Customer } from '../../../shared/customers/customer';
import { newCustomer } from '../../../shared/customers/customer';
import type { TransactItem } from '../../../shared/deals/deal-items';
import { ValidationFailed } from '../../../shared/errors';
import type { Caller } from '../../../shared/access/caller';
import { type Lead, newLead, type Signal } from '../../../shared/leads/lead';
import {
  contactFromLead,
  conversionActivity,
  convertedLead,
  convertLeadInput,
  customerFromLead,
  lifecycleFromLead,
  newCustomerOwnerId,
  signalSummary,
  underDeal,
} from '../../../shared/leads/lead-conversion';
import { assertWithinTransactionLimits, conversionItems, type ConversionWrite, MAX_TRANSACTION_ITEMS } from '../../../shared/leads/lead-conversion-items';

const NOW = '2026-11-24T09:30:00.000Z';
const rep: Caller = { userId: 'rep-1', tenantId: 't', groups: ['rep'], teamId: 'north' };
const admin: Caller = { userId: 'admin-1', tenantId: 't', groups: ['admin'] };

function lead(fields: Partial<Lead> = {}): Lead {
  const base = newLead({ name: 'Ada Lovelace', email: 'ada@acme.example', phone: '+4930123456', company: 'Acme', title: 'CTO', message: 'Call me', utm: { source: 'google' } }, {
    id: 'L1', tenantId: 't', channel: 'form', formId: 'F1', actorId: 'form:F1', nowIso: '2026-11-01T08:00:00.000Z', defaultSource: 'website',
  });
  return { ...base, ownerId: 'rep-1', teamId: 'north', status: 'sql', qualifiedLevel: 'sql', ...fields };
}

const record = (customerId: string) => ({ at: NOW, userId: 'rep-1', customerId, customerCreated: true, contactId: 'K1', dealId: null, activityId: 'A1' });

describe('the body', () => {
  it('takes customerId or company, not both, naming company', () => {
    const both = convertLeadInput.safeParse({ customerId: 'C1', company: { name: 'Acme' } });
    expect(both.success).toBe(false);
    expect(both.error?.issues[0]?.path).toEqual(['company']);
    expect(convertLeadInput.safeParse({}).success).toBe(true);
    expect(convertLeadInput.safeParse({ company: null }).success).toBe(true);
  });

  it('takes a deal as POST /deals does, without customerId, and names its fields', () => {
    const deal = { pipelineId: 'P1', name: 'First order', amount: '1200.00', currency: 'EUR', expectedCloseDate: '2027-01-31' };
    expect(convertLeadInput.safeParse({ deal }).success).toBe(true);
    const withCustomer = convertLeadInput.safeParse({ deal: { ...deal, customerId: 'C1' } });
    expect(withCustomer.success).toBe(false);
    expect(convertLeadInput.safeParse({ deal: { ...deal, amount: '1.234' } }).error?.issues[0]?.path).toEqual(['deal', 'amount']);
  });

  it('names a deal planner error under deal', () => {
    const error = underDeal(new ValidationFailed([{ path: 'stageId', message: 'no' }])) as ValidationFailed;
    expect(error.errors).toEqual([{ path: 'deal.stageId', message: 'no' }]);
  });
});

describe('the customer made of a lead', () => {
  it('is a company named after the lead\'s company, claiming its email, phone and email domain, owned by the lead\'s rep', () => {
    const customer = customerFromLead(lead(), undefined, { id: 'rep-1', teamId: 'north' }, true, rep, 'C1', NOW);
    expect(customer).toMatchObject({
      kind: 'company', name: 'Acme', emails: ['ada@acme.example'], phones: ['+4930123456'], domain: 'acme.example', source: 'website',
      ownerId: 'rep-1', teamId: 'north', assignedAt: NOW, reclaimCheckAt: NOW, lifecycleStage: 'opportunity', openDeals: 1,
    });
  });

  it('is a person when the lead names no company or company is null; a free-mail domain is never claimed', () => {
    const person = customerFromLead(lead({ company: null, email: 'ada@gmail.com' }), undefined, null, false, admin, 'C1', NOW);
    expect(person).toMatchObject({ kind: 'person', name: 'Ada Lovelace', domain: null, ownerId: null, assignedAt: null, reclaimCheckAt: null, lifecycleStage: 'sql', openDeals: 0 });
    expect(customerFromLead(lead(), null, null, false, admin, 'C1', NOW).kind).toBe('person');
    expect(customerFromLead(lead({ company: null, email: 'ada@gmail.com' }), { name: 'Ada Consulting', domain: 'ada.example' }, null, false, admin, 'C1', NOW)).toMatchObject({ kind: 'company', name: 'Ada Consulting', domain: 'ada.example' });
  });

  it('needs a company name when asked for a company the lead does not name (400 at company.name)', () => {
    expect(() => customerFromLead(lead({ company: null }), {}, null, false, admin, 'C1', NOW)).toThrow(ValidationFailed);
  });

  it('falls back to the email for a person without a name, and starts where the lead got', () => {
    expect(customerFromLead(lead({ company: null, name: null }), undefined, null, false, admin, 'C1', NOW).name).toBe('ada@acme.example');
    expect(lifecycleFromLead({ qualifiedLevel: null }, false)).toBe('lead');
    expect(lifecycleFromLead({ qualifiedLevel: 'mql' }, false)).toBe('mql');
    expect(lifecycleFromLead({ qualifiedLevel: 'mql' }, true)).toBe('opportunity');
  });

  it('belongs to the lead\'s rep, else to a converting rep; a manager or admin leaves an unassigned lead unassigned', () => {
    expect(newCustomerOwnerId({ ownerId: 'rep-2' }, admin)).toBe('rep-2');
    expect(newCustomerOwnerId({ ownerId: null }, rep)).toBe('rep-1');
    expect(newCustomerOwnerId({ ownerId: null }, admin)).toBeNull();
  });

  it('gets the lead as its contact only when it is a company', () => {
    expect(contactFromLead(lead(), { id: 'C1', kind: 'company' }, rep, 'K1', NOW)).toMatchObject({ customerId: 'C1', name: 'Ada Lovelace', title: 'CTO', emails: ['ada@acme.example'], phones: ['+4930123456'] });
    expect(contactFromLead(lead(), { id: 'C1', kind: 'person' }, rep, 'K1', NOW)).toBeNull();
  });
});

describe('the lead\'s history and the converted lead', () => {
  const signals: Signal[] = Array.from({ length: 500 }, (_, i) => ({ id: `S${i}`, type: i % 2 ? 'page-visited' : 'email-opened', occurredAt: `2026-11-${String(2 + (i % 20)).padStart(2, '0')}T10:00:00.000Z`, url: null }));

  it('summarizes any number of signals in a bounded entry', () => {
    expect(signalSummary(signals)).toEqual({ count: 500, byType: { 'email-opened': 250, 'page-visited': 250 }, firstAt: '2026-11-02T10:00:00.000Z', lastAt: '2026-11-21T10:00:00.000Z' });
    const activity = conversionActivity(lead(), signals, 81.5, 'C1', rep, 'A1', NOW);
    expect(activity).toMatchObject({ type: 'lead', customerId: 'C1', body: 'Call me', occurredAt: NOW, payload: { leadId: 'L1', source: 'website', utm: { source: 'google' }, score: 81.5, qualifiedLevel: 'sql', capturedAt: '2026-11-01T08:00:00.000Z' } });
    expect(Buffer.byteLength(JSON.stringify(activity))).toBeLessThan(4096);
  });

  it('leaves the lead converted, pointing at the customer, without the person\'s details', () => {
    const after = convertedLead(lead(), record('C1'));
    expect(after).toMatchObject({ status: 'converted', convertedCustomerId: 'C1', name: null, email: null, phone: null, message: null, company: 'Acme', source: 'website', version: 2, updatedAt: NOW });
  });
});

describe('the transaction', () => {
  function write(fields: Partial<ConversionWrite> = {}): ConversionWrite {
    const before = lead();
    const customer = customerFromLead(before, undefined, { id: 'rep-1', teamId: 'north' }, false, rep, 'C1', NOW);
    return {
      before,
      after: convertedLead(before, record('C1')),
      target: { created: true, customer, events: [{ detailType: 'crm.customer.created.v1', detail: { id: 'E1' } }] },
      contact: contactFromLead(before, customer, rep, 'K1', NOW),
      activity: conversionActivity(before, [], 0, 'C1', rep, 'A1', NOW),
      deal: null,
      leadEvents: [{ detailType: 'crm.lead.converted.v1', detail: { id: 'E2' } }],
      nowIso: NOW,
      ...fields,
    };
  }
  const keyOf = (item: TransactItem) => {
    const op = item.Put ?? item.Update ?? item.Delete ?? item.ConditionCheck;
    const key = (item.Put ? item.Put.Item : (op as { Key: Record<string, unknown> }).Key) as { PK: string; SK: string };
    return `${Object.keys(item)[0]} ${key.PK} ${key.SK}`;
  };

  it('writes a new customer in one transaction: lead first, profile, guards, counter, history, contact, timeline, lead guards, load, events', () => {
    const { items: named, guards } = conversionItems('table', write());
    const items = transactItems(named);
    expect(items.map(keyOf)).toEqual([
      'Put T#t#L#L1 PROFILE',
      'Put T#t#C#C1 PROFILE',
      'Put T#t#UQ#EMAIL#ada@acme.example UQ',
      'Put T#t#UQ#PHONE#+4930123456 UQ',
      'Put T#t#UQ#DOMAIN#acme.example UQ',
      'Update T#t#USER#rep-1 BOOK',
      expect.stringMatching(/^Put T#t#C#C1 OWNER#/),
      'Put T#t#C#C1 CONTACT#K1',
      `Put T#t#C#C1 ACT#${NOW}#A1`,
      'Delete T#t#LUQ#EMAIL#ada@acme.example UQ',
      'Delete T#t#LUQ#PHONE#+4930123456 UQ',
      'Update T#t#USER#rep-1 LEADS',
      'Put T#t#C#C1 $EVT#E1',
      'Put T#t#L#L1 $EVT#E2',
    ]);
    expect(named.slice(0, 2).map((item) => item.name)).toEqual(['lead', 'customer']);
    expect([...guards.entries()].map(([name, u]) => [name, u.field])).toEqual([['guard-0', 'email'], ['guard-1', 'phone'], ['guard-2', 'domain']]);
    expect([...guards.keys()].map((name) => named.findIndex((item) => item.name === name))).toEqual([2, 3, 4]);
    expect(items[0]!.Put).toMatchObject({ ConditionExpression: expect.stringContaining('#version = :read'), ExpressionAttributeValues: { ':read': 1 }, Item: { status: 'converted', GSI5PK: 'T#t#LEADSTATUS#converted' } });
    expect(items[11]!.Update).toMatchObject({ ExpressionAttributeValues: { ':delta': -1 } });
  });

  it('attaches to an existing customer with a version-conditioned profile write and no guards or counters', () => {
    const existing: Customer = { ...newCustomer({ name: 'Acme', kind: 'company' }, rep, 'C9', NOW), version: 7 };
    const w = write({ target: { created: false, customer: existing }, contact: contactFromLead(lead(), existing, rep, 'K1', NOW), activity: conversionActivity(lead(), [], 0, 'C9', rep, 'A1', NOW) });
    const { items: named, guards } = conversionItems('table', w);
    const items = transactItems(named);
    expect(guards.size).toBe(0);
    expect(items[1]!.ConditionCheck).toMatchObject({ Key: { PK: 'T#t#C#C9', SK: 'PROFILE' }, ExpressionAttributeValues: { ':read': 7 } });
    const withDeal = transactItems(conversionItems('table', { ...w, deal: { items: [], facts: { openDelta: 1, closed: false, won: false } } }).items);
    expect(withDeal[1]!.Update).toMatchObject({ UpdateExpression: expect.stringContaining('ADD #openDeals :openDelta'), ExpressionAttributeValues: { ':read': 7, ':openDelta': 1 } });
    expect(items.map(keyOf).some((k) => k.includes('BOOK') || k.includes('#UQ#'))).toBe(false);
  });

  it('refuses (400) a transaction DynamoDB would refuse, before sending it', () => {
    const item: TransactItem = { Put: { TableName: 'table', Item: { PK: 'x', SK: 'y' } } };
    expect(() => assertWithinTransactionLimits(Array.from({ length: MAX_TRANSACTION_ITEMS }, () => item))).not.toThrow();
    expect(() => assertWithinTransactionLimits(Array.from({ length: MAX_TRANSACTION_ITEMS + 1 }, () => item))).toThrow(ValidationFailed);
    const big: TransactItem = { Put: { TableName: 'table', Item: { PK: 'x', SK: 'y', blob: 'x'.repeat(400_000) } } };
    expect(() => assertWithinTransactionLimits(Array.from({ length: 11 }, () => big))).toThrow(/bytes/);
  });
});
