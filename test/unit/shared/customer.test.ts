import { describe, expect, it } from 'vitest';
import { canRead, type Customer, customerView, newCustomer, normalizeEmail } from '../../../shared/customers/customer';
import type { Caller } from '../../../shared/http/caller';

const caller = (groups: Caller['groups'], userId = 'u-1', tenantId = 'acme'): Caller => ({ userId, tenantId, groups });
const NOW = '2026-11-22T10:00:00.000Z';

describe('normalizeEmail', () => {
  it('trims and lower-cases', () => {
    expect(normalizeEmail('  Ada@Example.COM ')).toBe('ada@example.com');
  });
});

describe('newCustomer', () => {
  it('makes the creating rep the owner', () => {
    expect(newCustomer({ name: 'A', email: 'a@x.io' }, caller(['rep']), 'c-1', NOW).ownerId).toBe('u-1');
  });

  it('leaves a customer entered by a manager unowned', () => {
    expect(newCustomer({ name: 'A', email: 'a@x.io' }, caller(['manager']), 'c-1', NOW).ownerId).toBeNull();
  });

  it('records consent with its time and source, denied by default', () => {
    const c = newCustomer({ name: 'A', email: 'A@X.io' }, caller(['rep']), 'c-1', NOW);
    expect(c.consent.marketing).toEqual({ granted: false, at: NOW, source: 'api' });
    expect(c.email).toBe('a@x.io');
    expect(c.version).toBe(1);
  });
});

describe('canRead', () => {
  const owned = newCustomer({ name: 'A', email: 'a@x.io' }, caller(['rep'], 'owner'), 'c-1', NOW);

  it.each([
    ['the owning rep', caller(['rep'], 'owner'), true],
    ['another rep', caller(['rep'], 'other'), false],
    ['a manager', caller(['manager']), true],
    ['an admin', caller(['admin']), true],
    ['a service agent', caller(['agent']), true],
    ['a marketer', caller(['marketer']), true],
    ['a user without groups', caller([]), false],
    ['an admin of another tenant', caller(['admin'], 'x', 'other-tenant'), false],
  ])('%s -> %s', (_, who, expected) => {
    expect(canRead(who, owned)).toBe(expected);
  });
});

describe('customerView', () => {
  it('exposes no keys or internal attributes', () => {
    const c = { ...newCustomer({ name: 'A', email: 'a@x.io' }, caller(['rep']), 'c-1', NOW), PK: 'x', GSI1PK: 'y' } as Customer;
    expect(Object.keys(customerView(c)).sort()).toEqual(['consent', 'createdAt', 'email', 'id', 'name', 'ownerId', 'updatedAt', 'version']);
  });
});
