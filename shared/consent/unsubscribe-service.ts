import { documentClient } from '../aws/dynamodb';
import { ContactRepository } from '../contacts/contact-repository';
import { customerRepository } from '../customers/customer-service';
import { ENV, requireEnv } from '../runtime-env';
import { CampaignEngagementRepository } from '../ses-events/campaign-engagement-repository';
import { ConsentRepository } from './consent-repository';
import { unsubscribeSecret } from './unsubscribe-secret';
import type { UnsubscribeDeps } from './unsubscribe-use-cases';

const tableName = requireEnv(ENV.tableName);

/** What the unsubscribe functions use; built once per container (the secret is read on first use). */
export const unsubscribeDeps: UnsubscribeDeps = {
  consent: new ConsentRepository(documentClient, tableName),
  customers: customerRepository,
  contacts: new ContactRepository(documentClient, tableName),
  engagement: new CampaignEngagementRepository(documentClient, tableName),
  secret: unsubscribeSecret,
};
