import type { Person } from '../users/user-repository';

/**
 * Every response that names a person gives their display name next to the id (docs/users.md,
 * "Names next to ids"): the fields below hold user ids wherever they appear in a body, and each
 * gets its name field beside it (null for an id the directory does not know: a system actor, a
 * user created in Cognito by hand and never described). The OpenAPI document adds the same fields
 * to every schema that has one of these (api/openapi.ts).
 */
export const PERSON_FIELDS: Readonly<Record<string, string>> = {
  ownerId: 'ownerName',
  assigneeId: 'assigneeName',
  managerId: 'managerName',
  userId: 'userName',
  fromUserId: 'fromUserName',
  toUserId: 'toUserName',
  fromOwnerId: 'fromOwnerName',
  toOwnerId: 'toOwnerName',
  previousOwnerId: 'previousOwnerName',
  createdBy: 'createdByName',
  updatedBy: 'updatedByName',
  completedBy: 'completedByName',
  requestedBy: 'requestedByName',
  deactivatedBy: 'deactivatedByName',
  heldBy: 'heldByName',
  addedBy: 'addedByName',
  erasedBy: 'erasedByName',
};

/** An ownership change (`from`, `to`, `reason`) names its two owners by these fields. */
const OWNERSHIP_CHANGE_FIELDS: Readonly<Record<string, string>> = { from: 'fromName', to: 'toName' };

/** Bodies are records, not trees: nothing the API answers nests deeper. */
const MAX_DEPTH = 8;

type Json = unknown;

const isRecord = (value: Json): value is Record<string, Json> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Which fields of an object with these fields name a person, each with its name field: a directory
 * entry's own `userId` already sits beside its `name`, and a name field the object has stays.
 */
export function personFieldPairs(fields: readonly string[]): [id: string, name: string][] {
  const has = new Set(fields);
  const pairs = Object.entries(PERSON_FIELDS).filter(([id]) => has.has(id) && !(id === 'userId' && has.has('name')));
  if (has.has('reason') && has.has('from') && has.has('to')) pairs.push(...Object.entries(OWNERSHIP_CHANGE_FIELDS));
  return pairs.filter(([, name]) => !has.has(name));
}

/** The pairs whose id is set (a null owner has no name to show). */
const personFieldsOf = (object: Record<string, Json>) => personFieldPairs(Object.keys(object)).filter(([id]) => typeof object[id] === 'string');

const isUserActor = (object: Record<string, Json>) => object.type === 'user' && typeof object.id === 'string' && !('name' in object) && Object.keys(object).length === 2;

/** The user ids a body names, to look their names up at once. */
export function personIds(body: Json, depth = 0, into = new Set<string>()): Set<string> {
  if (depth > MAX_DEPTH) return into;
  if (Array.isArray(body)) {
    for (const item of body) personIds(item, depth + 1, into);
  } else if (isRecord(body)) {
    for (const [id] of personFieldsOf(body)) into.add(body[id] as string);
    if (isUserActor(body)) into.add(body.id as string);
    for (const value of Object.values(body)) if (typeof value === 'object' && value !== null) personIds(value, depth + 1, into);
  }
  return into;
}

/** A copy of the body with each person's name beside their id; the body itself is not changed. */
export function withPersonNames(body: Json, people: ReadonlyMap<string, Pick<Person, 'name'>>, depth = 0): Json {
  if (depth > MAX_DEPTH) return body;
  if (Array.isArray(body)) return body.map((item) => withPersonNames(item, people, depth + 1));
  if (!isRecord(body)) return body;
  const named = (id: Json) => people.get(id as string)?.name ?? null;
  const out: Record<string, Json> = {};
  const fields = new Map(personFieldsOf(body));
  for (const [key, value] of Object.entries(body)) {
    out[key] = typeof value === 'object' && value !== null ? withPersonNames(value, people, depth + 1) : value;
    const nameField = fields.get(key);
    if (nameField) out[nameField] = named(value);
  }
  if (isUserActor(body)) out.name = named(body.id);
  return out;
}
