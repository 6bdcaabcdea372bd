import type { Caller } from '../access/caller';
import { clock } from '../clock';
import { email } from '../customers/fields';
import { NotFound, ValidationFailed } from '../errors';
import { keys } from '../keys';
import { decodeCursor, encodeCursor } from '../pagination';
import { addressHash, assertCanManageSuppressions, type AddSuppressionInput, type Suppression } from './suppression';
import type { SuppressionRepository } from './suppression-repository';

export async function listSuppressions(repo: Pick<SuppressionRepository, 'list'>, caller: Caller, limit: number, cursor: string | undefined) {
  assertCanManageSuppressions(caller, 'read');
  const page = await repo.list(caller.tenantId, limit, decodeCursor(cursor, keys.suppressions(caller.tenantId).PK));
  return { items: page.items, cursor: encodeCursor(page.lastEvaluatedKey) };
}

/** POST /suppressions: 201 when added, 200 when the address was suppressed already (kept as it was). */
export async function addSuppression(repo: Pick<SuppressionRepository, 'add'>, caller: Caller, input: AddSuppressionInput): Promise<{ created: boolean; suppression: Suppression }> {
  assertCanManageSuppressions(caller, 'add');
  const suppression: Suppression = {
    addressHash: addressHash(input.email),
    email: input.email,
    reason: 'manual',
    at: clock.nowIso(),
    messageId: null,
    addedBy: caller.userId,
    note: input.note ?? null,
  };
  return { created: await repo.add(caller.tenantId, suppression), suppression };
}

export class SuppressionNotFound extends NotFound {
  constructor() {
    super('The address is not on the suppression list');
  }
}

/** DELETE /suppressions/{email}: admins only; mail may go to the address again (consent permitting). */
export async function removeSuppression(repo: Pick<SuppressionRepository, 'remove'>, caller: Caller, rawAddress: string | undefined): Promise<void> {
  assertCanManageSuppressions(caller, 'remove');
  const parsed = email.safeParse(safeDecode(rawAddress ?? ''));
  if (!parsed.success) throw new ValidationFailed([{ path: 'email', message: 'Expected an email address' }]);
  const address = parsed.data;
  if (!(await repo.remove(caller.tenantId, address))) throw new SuppressionNotFound();
}

/** `a%40b.com` and `a@b.com` alike (clients differ in what they encode); malformed escapes stay as sent and fail validation. */
function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
