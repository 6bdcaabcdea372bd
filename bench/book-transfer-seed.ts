import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { named, transactWrite } from '../shared/aws/transact-write';
import type { Caller } from '../shared/access/caller';
import { clock } from '../shared/clock';
import { createCustomerInput, type Customer, newCustomer } from '../shared/customers/customer';
import { CustomerRepository } from '../shared/customers/customer-repository';
import { createDealInput } from '../shared/deals/deal';
import { profileWrite } from '../shared/deals/deal-items';
import { planDealCreation } from '../shared/deals/deal-use-cases';
import { newId } from '../shared/ids';
import { keys } from '../shared/keys';
import { PipelineRepository } from '../shared/pipelines/pipeline-repository';
import { createTaskInput, newTask } from '../shared/tasks/task';
import { TaskRepository } from '../shared/tasks/task-repository';

/**
 * The book-transfer benchmark's bulk seeding, for the part of a 10,000-customer book the API
 * would take most of an hour to create on a small machine: the same writes the API makes, built
 * by the same repositories and item builders (profile, `created` history entry and book counter;
 * deal, its history, board aggregate and the customer's deal facts; task), straight into DynamoDB
 * Local. Only the creation events are left out (no outbox items): their consumers' work (creation
 * timeline entries, daily stats) is not part of a hand-over, and the search indexer still indexes
 * the profiles from the table stream. The benchmark checks that the items have the API's shape.
 */
export class DirectSeeder {
  private readonly customers: CustomerRepository;
  private readonly pipelines: PipelineRepository;
  private readonly tasks: TaskRepository;
  private readonly profiles = new Map<string, Customer>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly caller: Caller,
  ) {
    this.customers = new CustomerRepository(db, tableName);
    this.pipelines = new PipelineRepository(db, tableName);
    this.tasks = new TaskRepository(db, tableName);
  }

  /** A customer the caller owns, as POST /customers creates it (events aside). */
  async customer(body: Record<string, unknown>): Promise<string> {
    const customer = newCustomer(createCustomerInput.parse(body), this.caller, newId(), clock.nowIso());
    await this.customers.create(customer, []);
    this.profiles.set(customer.id, customer);
    return customer.id;
  }

  /** An open deal of the caller on one of the customers seeded here, as POST /deals writes it (events aside). */
  async deal(body: Record<string, unknown>): Promise<void> {
    const input = createDealInput.parse(body);
    const pipeline = await this.pipelines.get(this.caller.tenantId, input.pipelineId, true);
    if (!pipeline) throw new Error(`No pipeline ${input.pipelineId}`);
    const customer = (await this.customers.get(this.caller.tenantId, input.customerId)) ?? this.profiles.get(input.customerId);
    if (!customer) throw new Error(`No customer ${input.customerId}`);
    const plan = planDealCreation(this.tableName, this.caller, input, pipeline, { id: this.caller.userId, teamId: this.caller.teamId ?? null }, 'bench-seed');
    const withoutEvents = plan.items.filter((item) => !item.name.startsWith('dealEvent'));
    await transactWrite(this.db, [named('profile', profileWrite(this.tableName, customer, customer, plan.facts, plan.deal.createdAt)), ...withoutEvents]);
  }

  /** An open task of the caller on a customer, as POST /tasks writes it (events aside). */
  async task(body: Record<string, unknown>): Promise<void> {
    const task = newTask(createTaskInput.parse(body), { customerId: String(body.customerId), dealId: null, leadId: null }, this.caller.userId, this.caller, newId(), clock.nowIso());
    const partition = keys.customerPartition(this.caller.tenantId, String(body.customerId));
    await this.tasks.commit([this.tasks.createItem(this.caller.tenantId, partition, task), this.tasks.parentCheck(this.caller.tenantId, task)]);
  }
}
