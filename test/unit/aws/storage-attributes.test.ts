import { describe, expect, it } from 'vitest';
import { withoutStorageAttributes } from '../../../shared/keys';

describe('withoutStorageAttributes', () => {
  it('drops keys, index keys, the item kind and the TTL, and keeps every record field', () => {
    const item = { PK: 'T#a#C#1', SK: 'CONTACT#2', GSI1PK: 'x', GSI3SK: 'y', entity: 'Contact', expiresAt: 1, id: '2', name: 'Grace', tenantId: 'a' };
    expect(withoutStorageAttributes(item)).toEqual({ id: '2', name: 'Grace', tenantId: 'a' });
  });
});
