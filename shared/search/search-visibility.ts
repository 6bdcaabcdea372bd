import type { Caller } from '../access/caller';
import { hasAnyGroup } from '../access/caller';
import { runsMarketing } from '../access/permissions';
import { seesWholeTenant } from '../customers/customer';
import type { SearchEntry, SearchType } from './search-entry';

/**
 * Who finds what (docs/search.md), the same rules as reading the record:
 * - customers and their contacts: `canRead` (admins, marketers and agents all; a manager the
 *   team's and the unowned; a rep their own);
 * - deals: the customer's readers and the deal's owner (`canReadDeal`);
 * - leads: `canReadLead` (admins and marketers all; a manager the team's and the unassigned;
 *   anyone the leads assigned to them).
 * Pool members who read a pooled customer through its pool do not find it here: that needs the
 * pools, a second read per page; they browse the pool (`GET /pools/{id}/customers`).
 *
 * `mayFind` decides on an index item; `visibilityFilter` says the same as a FilterExpression, so
 * the one Query of a page returns only what the caller may see. The use case still applies
 * `mayFind` to what comes back, as the last word.
 */

type Scope = Pick<SearchEntry, 'ownerId' | 'teamId'>;

const managesScope = (caller: Caller, entry: Scope) =>
  hasAnyGroup(caller, 'manager') && (entry.ownerId === undefined || (caller.teamId !== undefined && entry.teamId === caller.teamId));

function readsCustomer(caller: Caller, entry: Scope): boolean {
  return seesWholeTenant(caller) || managesScope(caller, entry) || (hasAnyGroup(caller, 'rep') && entry.ownerId === caller.userId);
}

function readsLead(caller: Caller, entry: Scope): boolean {
  return runsMarketing(caller) || managesScope(caller, entry) || entry.ownerId === caller.userId;
}

export function mayFind(caller: Caller, entry: Pick<SearchEntry, 'type' | 'ownerId' | 'teamId' | 'dealOwnerId'>): boolean {
  switch (entry.type) {
    case 'customer':
    case 'contact':
      return readsCustomer(caller, entry);
    case 'deal':
      return readsCustomer(caller, entry) || entry.dealOwnerId === caller.userId;
    case 'lead':
      return readsLead(caller, entry);
  }
}

/** A FilterExpression, its names and values; `expression` undefined: no filter. */
export interface Filter {
  expression?: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/** A condition: `true` (everything), `false` (nothing) or expression text. */
type Condition = boolean | string;

const or = (...parts: Condition[]): Condition => {
  if (parts.includes(true)) return true;
  const texts = parts.filter((p): p is string => typeof p === 'string');
  return texts.length === 0 ? false : texts.length === 1 ? texts[0]! : `(${texts.join(' OR ')})`;
};
const and = (...parts: Condition[]): Condition => {
  if (parts.includes(false)) return false;
  const texts = parts.filter((p): p is string => typeof p === 'string');
  return texts.length === 0 ? true : texts.length === 1 ? texts[0]! : `(${texts.join(' AND ')})`;
};

/**
 * The Query's filter for this caller, these types and, for a name of several words, the other
 * word prefixes (`contains(words, ' tra')`). Attribute names and values are all placeholders.
 */
export function visibilityFilter(caller: Caller, types: readonly SearchType[], alsoWords: readonly string[] = []): Filter {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const name = (attribute: string) => ((names[`#${attribute}`] = attribute), `#${attribute}`);
  const value = (key: string, v: unknown) => ((values[`:${key}`] = v), `:${key}`);

  const manager = hasAnyGroup(caller, 'manager')
    ? or(`attribute_not_exists(${name('ownerId')})`, caller.teamId !== undefined ? `${name('teamId')} = ${value('team', caller.teamId)}` : false)
    : false;
  const own = `${name('ownerId')} = ${value('me', caller.userId)}`;
  const customer = or(seesWholeTenant(caller), manager, hasAnyGroup(caller, 'rep') ? own : false);
  const byType: Record<SearchType, Condition> = {
    customer,
    contact: customer,
    deal: or(customer, `${name('dealOwnerId')} = ${value('me', caller.userId)}`),
    lead: or(runsMarketing(caller), manager, own),
  };
  const type = (t: SearchType) => `${name('type')} = ${value(t, t)}`;
  const everyType = types.length === Object.keys(byType).length;
  // Every type wanted and every one wholly visible (admins): no type condition at all.
  const visible = everyType && types.every((t) => byType[t] === true) ? true : or(...types.map((t) => and(type(t), byType[t])));
  const condition = and(visible, ...alsoWords.map((w, i) => `contains(${name('words')}, ${value(`w${i}`, w)})`));
  if (condition === false) return { expression: `${name('type')} = ${value('none', '-')}`, names, values };
  if (condition === true) return { expression: undefined, names: {}, values: {} };
  // Placeholders no longer in the expression would make DynamoDB refuse the request.
  const used = (key: string) => new RegExp(`${key}(?![A-Za-z0-9_])`).test(condition);
  return {
    expression: condition,
    names: Object.fromEntries(Object.entries(names).filter(([k]) => used(k))),
    values: Object.fromEntries(Object.entries(values).filter(([k]) => used(k))),
  };
}
