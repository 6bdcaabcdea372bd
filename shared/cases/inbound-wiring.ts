// Built once per container, at module load; only the inbound mail handler imports it.
import { documentClient } from '../aws/dynamodb';
import { S3Objects } from '../aws/s3-objects';
import { clock } from '../clock';
import { requireEnv } from '../runtime-env';
import { userDirectory } from '../users/wiring';
import { InboundReceipts } from './inbound-receipt-repository';
import { KnownTenants } from './known-tenants';
import type { InboundDeps } from './inbound-use-case';
import { caseDeps, caseRepository } from './wiring';

/** `CRM <crm@mail.example.com>` -> `crm@mail.example.com`. */
const mailAddress = (from: string) => (/<([^>]+)>\s*$/.exec(from)?.[1] ?? from).trim().toLowerCase();

const mailFrom = requireEnv('MAIL_FROM');

export const inboundDeps: InboundDeps = {
  cases: caseRepository,
  customers: caseDeps.customers,
  agentLoad: caseDeps.agentLoad,
  slaPolicies: caseDeps.slaPolicies,
  tenants: new KnownTenants(async (tenantId) => (await userDirectory.list(tenantId, 1, undefined)).items.length > 0, () => clock.nowMs()),
  receipts: new InboundReceipts(documentClient, requireEnv('TABLE_NAME'), () => clock.nowMs()),
  inboundDomain: requireEnv('INBOUND_MAIL_DOMAIN'),
  ourAddresses: [mailAddress(mailFrom)],
  messageIdDomain: mailAddress(mailFrom).split('@')[1] ?? 'crm.invalid',
};

/** The raw messages SES stored (the inbound bucket). */
export const rawMail = S3Objects.forBucket(requireEnv('INBOUND_MAIL_BUCKET'));
