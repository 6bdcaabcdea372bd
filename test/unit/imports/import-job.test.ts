import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../shared/access/caller';
import { Forbidden } from '../../../shared/errors';
import { derivedId, newId } from '../../../shared/ids';
import type { CustomerRow } from '../../../shared/imports/customer-columns';
import { rowWaves } from '../../../shared/imports/customer-row-writer';
import type { PreparedRow } from '../../../shared/imports/import-rows';
import { assertMayCancel, assertMayImport, assertMayRun, canSeeImport, createImportInput, ImportBusy, ImportClosed, type ImportJob, type ImportStatus, ImportWriting, newImportJob } from '../../../shared/imports/import-job';
import { importReportCsv } from '../../../shared/imports/import-report';
import { rowOwner, yesNo } from '../../../shared/imports/import-rows';
import type { DirectoryUser } from '../../../shared/users/user';
import { ULID_PATTERN } from '../../../shared/id-formats';

const admin: Caller = { tenantId: 't', userId: 'admin-1', groups: ['admin'] };
const job = (status: ImportStatus): ImportJob => ({ ...newImportJob(createImportInput.parse({ entity: 'customers' }), admin, '01JD0000000000000000000001', '2026-12-07T00:00:00.000Z'), status });

describe('import jobs', () => {
  it('are for admins, managers and marketers; seen by their importer and admins', () => {
    for (const groups of [['admin'], ['manager'], ['marketer']] as const) expect(() => assertMayImport({ ...admin, groups: [...groups] })).not.toThrow();
    expect(() => assertMayImport({ ...admin, groups: ['rep'] })).toThrow(Forbidden);
    // The catalogue is the admins' alone, as through the API.
    expect(() => assertMayImport({ ...admin, groups: ['manager'] }, 'products')).toThrow(Forbidden);
    expect(() => assertMayImport(admin, 'products')).not.toThrow();
    // Deals are the sales side's: admins and managers, who may open a deal for a customer they oversee.
    expect(() => assertMayImport({ ...admin, groups: ['marketer'] }, 'deals')).toThrow(Forbidden);
    expect(() => assertMayImport({ ...admin, groups: ['manager'] }, 'deals')).not.toThrow();
    const mine = job('completed');
    expect(canSeeImport({ ...admin, groups: ['marketer'], userId: 'admin-1' }, mine)).toBe(true);
    expect(canSeeImport({ ...admin, groups: ['marketer'], userId: 'other' }, mine)).toBe(false);
    expect(canSeeImport({ ...admin, userId: 'other' }, mine)).toBe(true);
  });

  it('update duplicates of customers, contacts and products only: a lead or a deal is not overwritten by a file', () => {
    for (const entity of ['customers', 'contacts', 'products'] as const) expect(createImportInput.safeParse({ entity, options: { onDuplicate: 'update' } }).success).toBe(true);
    for (const entity of ['leads', 'deals'] as const) {
      const refused = createImportInput.safeParse({ entity, options: { onDuplicate: 'update' } });
      expect(refused.success).toBe(false);
      expect(refused.error?.issues.map((i) => i.path.join('.'))).toEqual(['options.onDuplicate']);
    }
    expect(createImportInput.safeParse({ entity: 'leads', options: { onDuplicate: 'skip' } }).success).toBe(true);
  });

  it('run when not running, resume only a run that stopped, and never again once done', () => {
    expect(() => assertMayRun(job('awaiting-upload'), false, false)).not.toThrow();
    expect(() => assertMayRun(job('validated'), false, false)).not.toThrow();
    expect(() => assertMayRun(job('failed'), false, true)).not.toThrow();
    expect(() => assertMayRun(job('running'), false, false)).toThrow(ImportBusy);
    expect(() => assertMayRun(job('running'), false, true)).not.toThrow();
    expect(() => assertMayRun(job('running'), true, true)).toThrow(ImportBusy);
    expect(() => assertMayRun(job('completed'), false, true)).toThrow(ImportClosed);
    expect(() => assertMayRun(job('cancelled'), true, false)).toThrow(ImportClosed);
    // Once a run has written, a dry run would count the written rows as new: the write run is continued instead.
    expect(() => assertMayRun({ ...job('failed'), writeRunId: 'R1' }, true, false)).toThrow(ImportWriting);
    expect(() => assertMayRun({ ...job('failed'), writeRunId: 'R1' }, false, false)).not.toThrow();
    expect(() => assertMayCancel(job('running'))).not.toThrow();
    expect(() => assertMayCancel(job('completed'))).toThrow(ImportClosed);
  });

  it("name each row's records with ULIDs that are the same on every attempt and differ per row", () => {
    const id = newId();
    expect(derivedId(id, 'customer', 7)).toBe(derivedId(id, 'customer', 7));
    expect(derivedId(id, 'customer', 7)).not.toBe(derivedId(id, 'customer', 8));
    expect(derivedId(id, 'customer', 7)).not.toBe(derivedId(id, 'history', 7));
    expect(derivedId(id, 'customer', 7)).toMatch(ULID_PATTERN);
    expect(derivedId(id, 'customer', 7).slice(0, 10)).toBe(id.slice(0, 10));
  });

  it('write a batch in waves: a row sharing a value with an earlier row waits for it', () => {
    const row = (n: number, emails: string[], id: string | null = null): PreparedRow<CustomerRow> => ({ row: n, line: n + 1, cells: [], input: { name: `R${n}`, emails }, id, owner: null, given: ['name'] });
    const waves = rowWaves([row(1, ['a@x.io']), row(2, ['b@x.io']), row(3, ['a@x.io']), row(4, ['c@x.io', 'a@x.io']), row(5, [], 'C1'), row(6, [], 'C1')], job('running'));
    expect(waves.map((w) => w.map((r) => r.row))).toEqual([[1, 2, 5], [3, 6], [4]]);
  });

  it('report rows not written with why, their cells as they were and formula cells neutralised', () => {
    const csv = importReportCsv(['name', 'emails'], [{ row: 2, line: 3, cells: ['=cmd()', 'x@y.z'], outcome: 'skipped', errors: [{ column: '(row)', message: 'Duplicate' }], existingId: 'C1', existingOwnerId: 'rep-1' }]);
    expect(csv).toBe("\ufeffrow,line,outcome,errors,existingId,existingOwnerId,name,emails\n2,3,skipped,(row): Duplicate,C1,rep-1,'=cmd(),x@y.z\n");
  });

  it("read yes/no cells, and find a row's owner among the active users by id or email", () => {
    expect(['Yes', 'TRUE', '1', 'opt-in', 'active'].map(yesNo)).toEqual([true, true, true, true, true]);
    expect(['no', 'False', '0', 'opt-out', 'inactive'].map(yesNo)).toEqual([false, false, false, false, false]);
    expect(yesNo('perhaps')).toBeUndefined();
    const users = [
      { userId: 'rep-1', email: 'Rita@Example.com', status: 'active' },
      { userId: 'rep-2', email: 'gone@example.com', status: 'deactivated' },
    ] as DirectoryUser[];
    const row = (owner: string | null) => ({ row: 2, line: 3, cells: ['x'], owner });
    const running = job('running');
    expect(rowOwner(running, users, row('rita@example.com'))).toEqual({ owner: users[0] });
    expect(rowOwner(running, users, row('rep-1'))).toEqual({ owner: users[0] });
    expect(rowOwner(running, users, row(null))).toEqual({ owner: undefined });
    const refused = rowOwner(running, users, row('rep-2'));
    expect(refused).toMatchObject({ failed: { outcome: 'failed', reject: { row: 2, errors: [{ column: 'ownerId', message: 'No active user "rep-2" (a user id or email)' }] } } });
  });
});
