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
// Handlers are thin adapters: the SDK belongs to shared/ repositories and publishers.
const noSdk = { group: ['@aws-sdk/*'], message: 'Handlers do not call the SDK; use a repository or publisher from shared/.' };

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.crm/', 'coverage/', 'bench/.tmp/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // Code that is bundled into Lambda functions.
    files: ['api/**/*.ts', 'functions/**/*.ts', 'shared/**/*.ts', 'events/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [zodMini] }] },
  },
  {
    files: ['shared/**/*.ts', 'events/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [zodMini], patterns: [noRouteTable] }] },
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
