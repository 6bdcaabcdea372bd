import tseslint from 'typescript-eslint';

// Classic zod is not tree-shakeable (85-450 KB per bundle); zod/mini does the same validation in
// ~15 KB (docs/benchmarks.md, cold start).
const zodMini = { name: 'zod', message: "Import * as z from 'zod/mini' in bundled code." };
// The route table carries every route's description and request schemas: only the function that
// serves /openapi.json may bundle it (docs/api.md).
const noRouteTable = {
  group: ['**/api/**', '**/api'],
  message: 'Lambda code does not import api/ (the route table and its descriptions); only functions/api/openapi.ts does.',
};
// Handlers are thin adapters: the SDK belongs to shared/ repositories and gateways.
const noSdk = { group: ['@aws-sdk/*'], message: 'Handlers do not call the SDK; use a repository or gateway from shared/.' };
// The core knows nothing of HTTP: use cases take a Caller (shared/access) and an expected version,
// and throw errors of a kind; handlers translate with the HTTP kit (shared/http), whose one mapper
// turns kinds into statuses. The route table and OpenAPI (api/) are the edge's.
// Proven by test/unit/architecture/core-layering.test.ts.
const coreWithoutHttp = [
  { regex: '^\\.{1,2}/(?:.*/)?http(?:/|$)', message: 'The core does not import the HTTP kit; a handler in functions/ translates with it.' },
  { regex: '^(?:\\.\\./)+api(?:/|$)', message: 'The core does not import api/ (route table, OpenAPI): they describe the HTTP edge.' },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.crm/', 'coverage/', 'bench/.tmp/', 'packages/*/dist/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  // Code that is bundled into Lambda functions. Flat config replaces a rule's options per matching
  // block, so each block below repeats zodMini with its own patterns.
  {
    files: ['api/**/*.ts', 'functions/**/*.ts', 'shared/**/*.ts', 'events/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [zodMini] }] },
  },
  {
    files: ['events/**/*.ts', 'shared/http/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [zodMini], patterns: [noRouteTable] }] },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/http/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [zodMini], patterns: coreWithoutHttp }] },
  },
  {
    files: ['functions/**/*.ts'],
    ignores: ['functions/api/openapi.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [zodMini], patterns: [noSdk, noRouteTable] }] },
  },
  {
    files: ['functions/api/openapi.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [zodMini], patterns: [noSdk] }] },
  },
);
