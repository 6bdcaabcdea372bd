import { documentClient } from '../aws/dynamodb';
import { customerRepository } from '../customers/customer-service';
import { ENV, requireEnv } from '../runtime-env';
import { ContactRepository } from './contact-repository';

export const contactRepositories = {
  customers: customerRepository,
  contacts: new ContactRepository(documentClient, requireEnv(ENV.tableName)),
};
