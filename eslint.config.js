import tseslint from 'typescript-eslint';

const ZOD_MINI = { name: 'zod', message: "Import * as z from 'zod/mini' in bundled code." };

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
    // Code that is bundled into Lambda functions: classic zod is not tree-shakeable (85-450 KB per
    // bundle); zod/mini does the same validation in ~15 KB (docs/benchmarks.md, cold start).
    files: ['api/**/*.ts', 'functions/**/*.ts', 'shared/**/*.ts', 'events/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [ZOD_MINI] }],
    },
  },
  {
    // Handlers are thin adapters: the SDK belongs to shared/ repositories and publishers.
    files: ['functions/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [ZOD_MINI],
          patterns: [{ group: ['@aws-sdk/*'], message: 'Handlers do not call the SDK; use a repository or publisher from shared/.' }],
        },
      ],
    },
  },
  {
    // The core knows nothing of HTTP: use cases take a Caller (shared/access) and an expected
    // version, and throw errors of a kind; handlers translate with the HTTP kit (shared/http),
    // whose one mapper turns kinds into statuses. The route table and OpenAPI (api/) are the edge's.
    // Proven by test/unit/architecture/core-layering.test.ts.
    files: ['shared/**/*.ts'],
    ignores: ['shared/http/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [ZOD_MINI],
          patterns: [
            { regex: '^\\.{1,2}/(?:.*/)?http(?:/|$)', message: 'The core does not import the HTTP kit; a handler in functions/ translates with it.' },
            { regex: '^(?:\\.\\./)+api(?:/|$)', message: 'The core does not import api/ (route table, OpenAPI): they describe the HTTP edge.' },
          ],
        },
      ],
    },
  },
);
