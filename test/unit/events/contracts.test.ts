import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contractFor, EVENT_CONTRACTS } from '../../../events';

const eventsDir = join(import.meta.dirname, '../../../events');
const fixturesDir = join(eventsDir, 'fixtures');
const fixtures = readdirSync(fixturesDir).filter((f) => f.endsWith('.json'));
/**
 * Contract modules are named after their detail-type and version: `crm.customer.claimed.v1` lives
 * in `customer-claimed.v1.ts`, in events/ or a folder of its area (`cases/case-opened.v1.ts`).
 */
const contractModules = readdirSync(eventsDir, { recursive: true, encoding: 'utf8' })
  .filter((f) => /\.v\d+\.ts$/.test(f))
  .sort();
const fileName = (path: string) => basename(path);
const isContract = (value: unknown): value is { detailType: string } =>
  typeof value === 'object' && value !== null && typeof (value as { detailType?: unknown }).detailType === 'string' && 'schema' in value;

describe('event contracts', () => {
  it('every contract has a fixture named after its detail-type', () => {
    expect(fixtures.map((f) => f.replace(/\.json$/, '')).sort()).toEqual(Object.keys(EVENT_CONTRACTS).sort());
  });

  it.each(contractModules)('%s holds exactly one contract, the one its name says', async (file) => {
    const contracts = Object.values(await import(join(eventsDir, file))).filter(isContract);
    expect(contracts.map((c) => `${c.detailType.replace(/^crm\.([^.]+)\./, '$1-')}.ts`)).toEqual([fileName(file)]);
  });

  it('every contract lives in a module of its own', () => {
    expect(contractModules.map((f) => `crm.${fileName(f).replace(/\.ts$/, '').replace('-', '.')}`).sort()).toEqual(Object.keys(EVENT_CONTRACTS).sort());
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
