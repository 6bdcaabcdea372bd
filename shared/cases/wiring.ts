// Built once per container, at module load. Every construction is marked pure and reads its
// environment variable by literal name, so esbuild keeps only what a handler uses (docs/decisions.md, 52).
import { documentClient } from '../aws/dynamodb';
import { stageMail } from '../aws/stage-mail';
import { agentRepository } from '../agents/wiring';
import { customFieldRepository } from '../custom-fields/wiring';
import { createCustomer } from '../customers/customer-use-cases';
import { customerRepository } from '../customers/wiring';
import { OnceStore } from '../idempotency/once-store';
import { requireEnv } from '../runtime-env';
import { slaPolicyCache } from '../sla/wiring';
import { userDirectory } from '../users/wiring';
import { CaseRepository } from './case-repository';
import { ContactRepository } from '../contacts/contact-repository';
import { OrderRepository } from '../orders/order-repository';
import type { CaseReplyDeps } from './case-reply-use-case';
import type { SlaEscalationDeps, SlaSweepDeps } from './case-sla-use-cases';
import { type DirectoryUser, isActiveUser } from '../users/user';
import type { CaseDeps } from './case-use-cases';
import { loadChange } from './routing';
import type { RoutingDeps } from './routing-use-cases';

/** `crm@mail.example.com` or `CRM <crm@mail.example.com>` -> `mail.example.com`. */
function mailDomain(address: string): string {
  return /@([^\s>]+)>?\s*$/.exec(address)?.[1]?.toLowerCase() ?? 'crm.invalid';
}

const tableName = /* @__PURE__ */ requireEnv('TABLE_NAME');

export const caseRepository = /* @__PURE__ */ new CaseRepository(documentClient, tableName);

/** What the case routes read and write: cases, the customers they are for, the directory for assignees. */
export const caseDeps: CaseDeps = {
  cases: caseRepository,
  customers: {
    get: (tenantId, customerId) => customerRepository.get(tenantId, customerId),
    idByEmail: (tenantId, email) => customerRepository.holderOf(tenantId, 'email', email),
    // An unknown requester becomes an unowned person named by their address, through the same guards as POST /customers.
    createForAddress: (caller, email, correlationId, name) =>
      createCustomer(customerRepository, caller, { kind: 'person', name: name ?? email, emails: [email], source: 'service-case' }, correlationId, customFieldRepository),
  },
  users: userDirectory,
  // Routing to agents: every case write keeps its agents' loads in its own transaction.
  agentLoad: (before, after) => agentRepository.loadItems(after.tenantId, after.id, loadChange(before, after)),
  slaPolicies: slaPolicyCache,
  // After-sales: the order a case is about, and the contact who asked.
  orders: /* @__PURE__ */ new OrderRepository(documentClient, tableName),
  contacts: /* @__PURE__ */ new ContactRepository(documentClient, tableName),
};

/** Only the reply sender mails, so only its bundle holds the SES client. */
export const caseReplyDeps: CaseReplyDeps = {
  cases: caseRepository,
  mailer: /* @__PURE__ */ stageMail(),
  once: /* @__PURE__ */ new OnceStore(documentClient, tableName),
  messageIdDomain: /* @__PURE__ */ mailDomain(/* @__PURE__ */ requireEnv('MAIL_FROM')),
};

/** What the router reads and writes (shared/cases/routing-use-cases.ts). */
export const routingDeps: RoutingDeps = { cases: caseRepository, agents: agentRepository, users: userDirectory };
// SLA policies applied to cases
/** The SLA sweep reads due cases and commits their alerts with them. */
export const slaSweepDeps: SlaSweepDeps = { cases: caseRepository };

/** Every page of the directory, for the managers an escalation falls back to (directories are small). */
async function tenantManagers(tenantId: string) {
  const managers: DirectoryUser[] = [];
  let cursor: string | undefined;
  do {
    const page = await userDirectory.list(tenantId, 100, cursor);
    managers.push(...page.items.filter((u) => u.groups.includes('manager') && isActiveUser(u)));
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return managers;
}

/** Only the escalation sender mails these, so only its bundle holds this SES client. */
export const slaEscalationDeps: SlaEscalationDeps = {
  cases: caseRepository,
  policies: slaPolicyCache,
  users: { get: (tenantId, userId) => userDirectory.get(tenantId, userId), managers: tenantManagers },
  mailer: /* @__PURE__ */ stageMail(),
  once: /* @__PURE__ */ new OnceStore(documentClient, tableName),
};
