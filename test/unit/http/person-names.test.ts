import { describe, expect, it } from 'vitest';
import { personFieldPairs, personIds, withPersonNames } from '../../../shared/http/person-names';

const people = new Map([
  ['u-ana', { name: 'Ana' }],
  ['u-bo', { name: 'Bo' }],
]);

describe('names next to person ids', () => {
  it('finds every person id of a body, nested in objects and arrays, and actors of type user only', () => {
    const body = {
      ownerId: 'u-ana',
      createdBy: 'u-bo',
      items: [{ assigneeId: 'u-x', completedBy: null }],
      timeline: [{ actor: { type: 'user', id: 'u-y' } }, { actor: { type: 'system', id: 'reclaim' } }],
      title: 'not a person',
    };
    expect([...personIds(body)].sort()).toEqual(['u-ana', 'u-bo', 'u-x', 'u-y']);
  });

  it('adds the name beside each id, null for an id the directory does not know, and leaves the input as it was', () => {
    const body = { ownerId: 'u-ana', updatedBy: 'system', deals: [{ ownerId: 'u-bo', ownerName: 'kept' }], actor: { type: 'user', id: 'u-bo' } };
    const before = structuredClone(body);
    expect(withPersonNames(body, people)).toEqual({
      ownerId: 'u-ana',
      ownerName: 'Ana',
      updatedBy: 'system',
      updatedByName: null,
      deals: [{ ownerId: 'u-bo', ownerName: 'kept' }],
      actor: { type: 'user', id: 'u-bo', name: 'Bo' },
    });
    expect(body).toEqual(before);
  });

  it('adds no name for a null owner, and keeps field order with the name right after its id', () => {
    expect(Object.keys(withPersonNames({ ownerId: null, createdBy: 'u-ana', at: 'x' }, people) as object)).toEqual(['ownerId', 'createdBy', 'createdByName', 'at']);
  });

  it("names both owners of an ownership change, and not a directory entry's own userId", () => {
    expect(withPersonNames({ from: 'u-ana', to: 'u-bo', reason: 'assigned', poolId: null }, people)).toMatchObject({ fromName: 'Ana', toName: 'Bo' });
    expect(withPersonNames({ from: 'someone@example.com', subject: 'Hi' }, people)).toEqual({ from: 'someone@example.com', subject: 'Hi' });
    expect(withPersonNames({ userId: 'u-ana', name: 'Ana', managerId: 'u-bo' }, people)).toEqual({ userId: 'u-ana', name: 'Ana', managerId: 'u-bo', managerName: 'Bo' });
    expect(withPersonNames({ userId: 'u-ana', claimed: 3 }, people)).toEqual({ userId: 'u-ana', userName: 'Ana', claimed: 3 });
  });

  it('tells the OpenAPI document the same pairs for a set of fields', () => {
    expect(personFieldPairs(['id', 'ownerId', 'createdBy', 'ownerName'])).toEqual([['createdBy', 'createdByName']]);
    expect(personFieldPairs(['from', 'to', 'reason'])).toEqual([['from', 'fromName'], ['to', 'toName']]);
    expect(personFieldPairs(['from', 'to', 'subject'])).toEqual([]);
  });
});
