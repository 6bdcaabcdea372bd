import { describe, expect, it } from 'vitest';
import { createCustomerInput, newCustomer } from '../../../shared/customers/customer';
import { profileIndexKeys, profileUpdate, withoutUnchangedCheck } from '../../../shared/customers/profile-item';
import { RECLAIM_SHARDS, reclaimShard } from '../../../shared/keys';

const NOW = '2026-11-23T10:00:00.000Z';
const byRep = newCustomer(createCustomerInput.parse({ name: 'Ada' }), { userId: 'rep-1', tenantId: 'acme', groups: ['rep'] }, '01JDAAAAAAAAAAAAAAAAAAAAA7', NOW);
const byAdmin = newCustomer(createCustomerInput.parse({ name: 'Bo' }), { userId: 'boss', tenantId: 'acme', groups: ['admin'] }, '01JDAAAAAAAAAAAAAAAAAAAAA8', NOW);

describe('profileIndexKeys', () => {
  it("puts a rep's new customer in their book and due for a reclaim check now", () => {
    expect(profileIndexKeys(byRep)).toMatchObject({
      GSI1PK: 'T#acme#OWNER#rep-1',
      GSI2PK: `RECLAIM#${reclaimShard(byRep.id)}`,
      GSI2SK: `${NOW}#acme#${byRep.id}`,
    });
  });

  it("puts a pooled customer in the pool's book, and an unassigned one in no book; neither in the reclaim index", () => {
    expect(profileIndexKeys({ ...byAdmin, poolId: 'P1' })).toMatchObject({ GSI1PK: 'T#acme#POOL#P1', GSI1SK: `${NOW}#${byAdmin.id}` });
    const unassigned = profileIndexKeys(byAdmin);
    expect(Object.keys(unassigned).filter((k) => /GSI[12]/.test(k))).toEqual([]);
    expect(Object.keys(profileIndexKeys({ ...byAdmin, poolId: 'P1', reclaimCheckAt: NOW }))).not.toContain('GSI2PK');
  });

  it('leaves the reclaim index when no check is scheduled (exempt)', () => {
    expect(Object.keys(profileIndexKeys({ ...byRep, reclaimCheckAt: null }))).not.toContain('GSI2PK');
  });
});

describe('reclaimShard', () => {
  it('spreads ULIDs over every shard by their random last character', () => {
    const shards = new Set('0123456789ABCDEFGHJKMNPQRSTVWXYZ'.split('').map((c) => reclaimShard(`01JD${c}`)));
    expect([...shards].sort()).toEqual(Array.from({ length: RECLAIM_SHARDS }, (_, i) => i));
  });
});

describe('profileUpdate', () => {
  it('sets the fields and fresh index keys and removes the optional keys the profile no longer has', () => {
    const update = profileUpdate({ ...byRep, ownerId: null, poolId: null }, ['ownerId', 'poolId']);
    expect(update.UpdateExpression).toMatch(/^SET #f0 = :v0, #f1 = :v1, .* REMOVE GSI1PK, GSI1SK, GSI2PK, GSI2SK$/);
    expect(update.ExpressionAttributeNames).toMatchObject({ '#f0': 'ownerId', '#f1': 'poolId' });
    expect(update.ExpressionAttributeValues).toMatchObject({ ':v0': null, ':v1': null });
    expect(profileUpdate(byRep, ['name']).UpdateExpression).not.toContain('REMOVE');
  });

  it('leaves the reclaim index alone unless the write owns the check or the owner', () => {
    // An edit that read the profile before a deal or the sweep moved the check must not move it back.
    const edit = profileUpdate({ ...byRep, reclaimCheckAt: null }, ['name', 'version']);
    expect(Object.values(edit.ExpressionAttributeNames)).not.toContain('GSI2PK');
    expect(edit.UpdateExpression).not.toContain('REMOVE');
    expect(Object.values(profileUpdate(byRep, ['reclaimCheckAt']).ExpressionAttributeNames)).toEqual(expect.arrayContaining(['reclaimCheckAt', 'GSI2PK', 'GSI2SK']));
    expect(profileUpdate({ ...byRep, reclaimCheckAt: null }, ['reclaimCheckAt']).UpdateExpression).toMatch(/REMOVE GSI2PK, GSI2SK$/);
    expect(Object.values(profileUpdate(byRep, ['ownerId']).ExpressionAttributeNames)).toContain('GSI2SK');
  });
});

describe('withoutUnchangedCheck', () => {
  it('drops the reclaim check from the fields when the write leaves it as read', () => {
    const fields = ['name', 'reclaimCheckAt'] as const;
    expect(withoutUnchangedCheck(fields, byRep, { ...byRep, name: 'Ada B' })).toEqual(['name']);
    expect(withoutUnchangedCheck(fields, byRep, { ...byRep, reclaimCheckAt: '2026-11-24T00:00:00.000Z' })).toEqual(['name', 'reclaimCheckAt']);
  });
});
