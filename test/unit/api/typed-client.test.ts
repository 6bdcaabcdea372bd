import { readFileSync } from 'node:fs';
import { createCrmClient, type CrmError, isProblem, type Problem, problemSlug, type Schemas } from '@serverless-crm/client';
import { describe, expect, expectTypeOf, it } from 'vitest';

/** A fetch that records each request and answers what the test queued. */
function fakeFetch(...answers: Response[]) {
  const requests: Request[] = [];
  const fetch = async (input: Request) => {
    requests.push(input);
    const answer = answers.shift();
    if (!answer) throw new Error(`unexpected request ${input.method} ${input.url}`);
    return answer;
  };
  return { fetch, requests };
}

const json = (status: number, body: unknown, contentType = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': contentType } });

const problem: Problem = {
  type: 'urn:crm:problem:validation-failed',
  title: 'The request is not valid',
  status: 400,
  errors: [{ path: 'emails.0', message: 'Invalid email address' }],
};

describe('createCrmClient', () => {
  it('sends the token as a Bearer header, to the base URL, with path parameters filled', async () => {
    const { fetch, requests } = fakeFetch(json(200, { id: 'c1' }));
    const crm = createCrmClient({ baseUrl: 'https://api.example.com', token: 'tok-1', fetch });
    await crm.GET('/customers/{id}', { params: { path: { id: 'c1' } } });
    expect(requests[0]?.url).toBe('https://api.example.com/customers/c1');
    expect(requests[0]?.headers.get('authorization')).toBe('Bearer tok-1');
  });

  it('asks getToken before every request, so a refreshed token is used at once, and sends none when it has none', async () => {
    const { fetch, requests } = fakeFetch(json(200, {}), json(200, {}), json(200, {}));
    const tokens = ['first', 'second', undefined];
    const crm = createCrmClient({ baseUrl: 'http://127.0.0.1:3000', getToken: async () => tokens.shift(), fetch });
    for (let i = 0; i < 3; i++) await crm.GET('/health');
    expect(requests.map((r) => r.headers.get('authorization'))).toEqual(['Bearer first', 'Bearer second', null]);
  });

  it('answers an HTTP error as a typed problem in `error`, not as an exception', async () => {
    const { fetch } = fakeFetch(json(400, problem, 'application/problem+json'));
    const crm = createCrmClient({ baseUrl: 'http://127.0.0.1:3000', token: 't', fetch });
    const { data, error, response } = await crm.POST('/customers', { body: { name: 'Ada', emails: ['not-an-email'] } });
    expect(data).toBeUndefined();
    expectTypeOf(data).toEqualTypeOf<Schemas['Customer'] | undefined>();
    expect(response.status).toBe(400);
    expect(error).toEqual(problem);
    expectTypeOf(error).toEqualTypeOf<CrmError<'post', '/customers'> | undefined>();
    expect(isProblem(error) && problemSlug(error)).toBe('validation-failed');
  });

  it('refuses, at compile time, paths the API does not serve and bodies of the wrong shape', () => {
    const crm = createCrmClient({ baseUrl: 'http://x', token: 't' });
    // Never called: tsc (npm run typecheck) checks these lines; the test only keeps them compiled.
    const unserved = () => {
      // @ts-expect-error a path the API does not serve
      void crm.GET('/no-such-route');
      // @ts-expect-error a name that is not a string
      void crm.POST('/customers', { body: { name: 42 } });
      // @ts-expect-error a path parameter missing
      void crm.GET('/customers/{id}', {});
    };
    expect(typeof unserved).toBe('function');
    expectTypeOf<CrmError<'post', '/customers'>>().toExtend<Problem | Schemas['GatewayError']>();
  });
});

describe('isProblem', () => {
  it("recognises the API's problem+json bodies only", () => {
    expect(isProblem(problem)).toBe(true);
    expect(isProblem({ message: 'Unauthorized' })).toBe(false);
    expect(isProblem({ type: 'about:blank', status: 400 })).toBe(false);
    expect(isProblem(null)).toBe(false);
  });
});

describe('the README example', () => {
  it('is the type-checked example file, verbatim', () => {
    const read = (file: string) => readFileSync(new URL(`../../../packages/client/${file}`, import.meta.url), 'utf8');
    const inReadme = /## Example\n\n```ts\n([\s\S]*?)```/.exec(read('README.md'))?.[1];
    const checked = /\/\/ README example: begin\n([\s\S]*?)\/\/ README example: end/.exec(read('examples/quick-start.ts'))?.[1];
    expect(checked).toBeDefined();
    expect(inReadme, 'packages/client/README.md\'s example differs from examples/quick-start.ts (which tsc checks): copy one to the other').toBe(checked);
  });
});
