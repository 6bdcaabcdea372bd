import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contractFor, EVENT_CONTRACTS } from '../../../events';

const fixturesDir = join(import.meta.dirname, '../../../events/fixtures');
const fixtures = readdirSync(fixturesDir).filter((f) => f.endsWith('.json'));

describe('event contracts', () => {
  it('every contract has a fixture named after its detail-type', () => {
    expect(fixtures.map((f) => f.replace(/\.json$/, '')).sort()).toEqual(Object.keys(EVENT_CONTRACTS).sort());
  });

  it.each(fixtures)('%s satisfies its contract', (file) => {
    const detail = JSON.parse(readFileSync(join(fixturesDir, file), 'utf8'));
    const contract = contractFor(file.replace(/\.json$/, ''));
    expect(contract?.schema.safeParse(detail).success).toBe(true);
  });

  it.each(fixtures)('%s is rejected without its envelope fields', (file) => {
    const detail = JSON.parse(readFileSync(join(fixturesDir, file), 'utf8'));
    const contract = contractFor(file.replace(/\.json$/, ''))!;
    for (const field of ['id', 'occurredAt', 'tenantId', 'actor', 'correlationId']) {
      const { [field]: _removed, ...rest } = detail;
      expect(contract.schema.safeParse(rest).success, field).toBe(false);
    }
  });

  it('rejects a detail whose type names another contract', () => {
    const detail = JSON.parse(readFileSync(join(fixturesDir, fixtures[0]!), 'utf8'));
    expect(contractFor(detail.type)!.schema.safeParse({ ...detail, type: 'crm.other.v1' }).success).toBe(false);
  });
});
