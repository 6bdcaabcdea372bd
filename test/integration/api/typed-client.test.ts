import { type CrmError, type FieldError, isProblem, problemSlug, type Schemas } from '@serverless-crm/client';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { buildOpenApiDocument, type JsonSchema } from '../../../api/openapi';
import { crm, newTenant, tokenFor, uniqueEmail } from '../client';

// The typed client (packages/client) against the running API: its generated types say what the
// document says, so these tests hold the document to what the handlers really answer, through
// the calls an integrator would write. tsc checks the expectTypeOf lines; vitest checks the values.

const document = buildOpenApiDocument();
/** The properties the document declares for a named schema (the generated type has the same). */
const declared = (name: string) => Object.keys((document.components.schemas[name] as JsonSchema).properties as object).sort();

async function rep() {
  const tenant = newTenant();
  return { tenant, client: crm(await tokenFor(tenant, 'rep-1', ['rep'])) };
}

describe('the typed client against the local API', () => {
  it('creates, reads, patches with If-Match and lists a customer, each answer typed as the document says', async () => {
    const { client } = await rep();
    const email = uniqueEmail('ada');

    const created = await client.POST('/customers', { body: { name: 'Ada Lovelace', emails: [email], tags: ['vip'] } });
    expect(created.response.status).toBe(201);
    expectTypeOf(created.data).toEqualTypeOf<Schemas['Customer'] | undefined>();
    const customer = created.data!;
    expect(customer).toMatchObject({ name: 'Ada Lovelace', emails: [email], tags: ['vip'], ownerId: 'rep-1', version: 1 });
    // Every key the answer holds is one the type declares, and the other way round: a field the
    // handler adds or drops without the document fails here (the display name included).
    expect(Object.keys(customer).sort()).toEqual(declared('Customer'));
    expect(created.response.headers.get('location')).toBe(`/customers/${customer.id}`);

    const read = await client.GET('/customers/{id}', { params: { path: { id: customer.id } } });
    expect(read.data).toEqual(customer);
    const etag = read.response.headers.get('etag');
    expect(etag).toBe('"1"');

    // If-Match is a required header parameter of the operation: leaving it out does not compile.
    const patched = await client.PATCH('/customers/{id}', {
      params: { path: { id: customer.id }, header: { 'If-Match': etag! } },
      body: { tags: ['vip', 'renewal'], industry: null },
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    expect(patched.response.status).toBe(200);
    expect(patched.data).toMatchObject({ id: customer.id, version: 2, tags: ['vip', 'renewal'], industry: null });
    expect(patched.response.headers.get('etag')).toBe('"2"');

    const listed = await client.GET('/customers', { params: { query: { owner: 'me', limit: 10 } } });
    expectTypeOf(listed.data).toEqualTypeOf<Schemas['ListCustomersResponse'] | undefined>();
    expect(listed.data?.items.map((c) => [c.id, c.version])).toEqual([[customer.id, 2]]);
  });

  it('answers errors as typed problems: field errors, a stale version, a duplicate with its owner', async () => {
    const { client } = await rep();

    const invalid = await client.POST('/customers', { body: { name: 'Bad', emails: ['not-an-email'] } });
    expect(invalid.response.status).toBe(400);
    expect(invalid.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expectTypeOf(invalid.error).toEqualTypeOf<CrmError<'post', '/customers'> | undefined>();
    if (!isProblem(invalid.error)) throw new Error(`not a problem: ${JSON.stringify(invalid.error)}`);
    expect(problemSlug(invalid.error)).toBe('validation-failed');
    expectTypeOf(invalid.error.errors).toEqualTypeOf<FieldError[] | undefined>();
    expect(invalid.error.errors?.map((e) => e.path)).toEqual(['emails.0']);

    const email = uniqueEmail('dup');
    const first = await client.POST('/customers', { body: { name: 'First', emails: [email] } });
    const duplicate = await client.POST('/customers', { body: { name: 'Second', emails: [email] } });
    expect(duplicate.response.status).toBe(409);
    // The error union holds the operation's named problems; the plain ProblemDetails in it is open
    // ([key: string]: unknown), so `in` cannot narrow it away: the status says which one it is.
    expectTypeOf<Schemas['DuplicateCustomerProblem']>().toExtend<CrmError<'post', '/customers'>>();
    const problem = duplicate.error as Schemas['DuplicateCustomerProblem'];
    expect(problem).toMatchObject({ field: 'email', value: email, existingCustomerId: first.data!.id, existingOwnerId: 'rep-1' });

    const id = first.data!.id;
    await client.PATCH('/customers/{id}', { params: { path: { id }, header: { 'If-Match': '"1"' } }, body: { name: 'First, renamed' } });
    const stale = await client.PATCH('/customers/{id}', { params: { path: { id }, header: { 'If-Match': '"1"' } }, body: { name: 'Lost update' } });
    expect(stale.response.status).toBe(412);
    expectTypeOf<Schemas['StaleVersionProblem']>().toExtend<CrmError<'patch', '/customers/{id}'>>();
    expect(stale.error as Schemas['StaleVersionProblem']).toMatchObject({ currentVersion: 2, currentETag: '"2"' });
  });

  it("answers API Gateway's own 401 without a token, typed as GatewayError", async () => {
    const unauthenticated = await crm().GET('/customers');
    expect(unauthenticated.response.status).toBe(401);
    expect(unauthenticated.error).toEqual({ message: 'Unauthorized' } satisfies Schemas['GatewayError']);
    expect(isProblem(unauthenticated.error)).toBe(false);
  });
});
