import { customerCreatedV1 } from '../../events/customer-created.v1';
import { clock } from '../clock';
import { CustomerNotFound } from '../errors';
import type { Caller } from '../http/caller';
import { newId } from '../ids';
import { newEvent } from '../outbox/outbox';
import { canRead, type CreateCustomerInput, type Customer, newCustomer } from './customer';
import type { CustomerRepository } from './customer-repository';

export async function createCustomer(
  repository: CustomerRepository,
  caller: Caller,
  input: CreateCustomerInput,
  correlationId: string,
): Promise<Customer> {
  const customer = newCustomer(input, caller, newId(), clock.nowIso());
  const detail = newEvent(customerCreatedV1, { tenantId: caller.tenantId, actor: { type: 'user', id: caller.userId }, correlationId }, {
    customerId: customer.id,
    name: customer.name,
    email: customer.email,
    ownerId: customer.ownerId,
    consent: { marketing: customer.consent.marketing.granted },
  });
  await repository.create(customer, { detailType: customerCreatedV1.detailType, detail });
  return customer;
}

/** Unknown ids and ids the caller may not read look the same: no existence leaks. */
export async function getCustomer(repository: CustomerRepository, caller: Caller, customerId: string): Promise<Customer> {
  const customer = await repository.get(caller.tenantId, customerId);
  if (!customer || !canRead(caller, customer)) throw new CustomerNotFound(customerId);
  return customer;
}
