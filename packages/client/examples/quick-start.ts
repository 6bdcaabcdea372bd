// The README's example (packages/client/README.md, "Example"), between the markers verbatim: here
// tsc type-checks it against the generated types, and test/unit/api/typed-client.test.ts fails
// when the README's copy differs from this one.

// README example: begin
import { createCrmClient, isProblem, problemSlug } from '@serverless-crm/client';

const crm = createCrmClient({
  baseUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com', // locally: http://127.0.0.1:3000
  token: idToken, // a Cognito ID token; or getToken: () => session.currentIdToken() to refresh
});

// Create: the body is typed (Schemas['CreateCustomerInput']), `data` is a Schemas['Customer'].
const created = await crm.POST('/customers', {
  body: { name: 'Ada Lovelace', emails: ['ada@example.com'], consent: { marketing: true } },
});
if (created.error) {
  // A problem+json body (RFC 9457): `errors` names each failing field on a 400.
  if (isProblem(created.error) && problemSlug(created.error) === 'validation-failed') {
    for (const { path, message } of created.error.errors ?? []) console.log(path, message);
  }
  throw new Error(`create failed: ${created.response.status}`);
}
const customer = created.data;

// Read, then change with the ETag the read answered: updates need If-Match (412 when the record
// moved on in between, with its current version).
const read = await crm.GET('/customers/{id}', { params: { path: { id: customer.id } } });
const etag = read.response.headers.get('etag')!;
const updated = await crm.PATCH('/customers/{id}', {
  params: { path: { id: customer.id }, header: { 'If-Match': etag } },
  body: { tags: ['vip'], industry: null }, // JSON Merge Patch: null clears, missing stays
});

// List: query parameters are typed too; `cursor` reads the next page.
const page = await crm.GET('/customers', { params: { query: { owner: 'me', limit: 50 } } });
for (const c of page.data?.items ?? []) console.log(c.name, c.ownerName);
console.log(updated.data?.version); // 2
// README example: end

/** Where the example's token comes from is the application's business (a Cognito sign-in). */
declare const idToken: string;
