import tseslint from 'typescript-eslint';

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
      'no-restricted-imports': ['error', { paths: [{ name: 'zod', message: "Import * as z from 'zod/mini' in bundled code." }] }],
    },
  },
  {
    // Handlers are thin adapters: the SDK belongs to shared/ repositories and publishers.
    files: ['functions/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'zod', message: "Import * as z from 'zod/mini' in bundled code." }],
          patterns: [{ group: ['@aws-sdk/*'], message: 'Handlers do not call the SDK; use a repository or publisher from shared/.' }],
        },
      ],
    },
  },
);
