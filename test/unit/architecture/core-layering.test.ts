import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The core (shared/, except the HTTP kit itself) is free of HTTP: the lint rule in
 * eslint.config.js refuses imports of shared/http and api/ there. These tests prove the rule
 * bites where it should and only there, and that the tree obeys it today.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SHARED = join(ROOT, 'shared');
const HTTP_KIT = join(SHARED, 'http');
const API = join(ROOT, 'api');

const eslint = new ESLint({ cwd: ROOT });

async function restrictedImports(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the core-layering lint rule', () => {
  it('reports the HTTP kit imported from a core area', async () => {
    const messages = await restrictedImports("import { httpHandler } from '../http/http-handler';\nexport const h = httpHandler;\n", 'shared/customers/x.ts');
    expect(messages).toEqual([expect.stringContaining('HTTP kit')]);
  });

  it('reports it from a root module and as a type-only import', async () => {
    expect(await restrictedImports("import type { HttpResult } from './http/http-handler';\nexport type R = HttpResult;\n", 'shared/x.ts')).toHaveLength(1);
  });

  it('reports api/ imported from a core area', async () => {
    const messages = await restrictedImports("import { ROUTES } from '../../api/routes';\nexport const r = ROUTES;\n", 'shared/customers/x.ts');
    expect(messages).toEqual([expect.stringContaining('api/')]);
  });

  it('lets the HTTP kit import itself, and the core import modules merely named like it', async () => {
    expect(await restrictedImports("import { httpHandler } from '../http/http-handler';\nexport const h = httpHandler;\n", 'shared/http/x.ts')).toEqual([]);
    expect(await restrictedImports("import { caller } from '../access/caller';\nimport { t } from '../aws/http-timeouts';\nexport const c = [caller, t];\n", 'shared/customers/x.ts')).toEqual([]);
  });

  it('lets handlers use the HTTP kit', async () => {
    expect(await restrictedImports("import { httpHandler } from '../../shared/http/http-handler';\nexport const h = httpHandler;\n", 'functions/customers/x.ts')).toEqual([]);
  });
});

function typescriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? typescriptFiles(path) : entry.name.endsWith('.ts') ? [path] : [];
  });
}

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;
const inside = (path: string, dir: string) => path === dir || path.startsWith(dir + sep);

describe('the core as it is', () => {
  it('imports neither the HTTP kit nor api/ anywhere outside shared/http', () => {
    const offenders = typescriptFiles(SHARED)
      .filter((file) => !inside(file, HTTP_KIT))
      .flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(SPECIFIER)]
          .map((m) => m[1]!)
          .filter((specifier) => specifier.startsWith('.'))
          .filter((specifier) => {
            const target = resolve(dirname(file), specifier);
            return inside(target, HTTP_KIT) || inside(target, API);
          })
          .map((specifier) => `${relative(ROOT, file)} -> ${specifier}`),
      );
    expect(offenders).toEqual([]);
  });

  it('finds the core files it checks (the walk is not vacuous)', () => {
    const core = typescriptFiles(SHARED).filter((file) => !inside(file, HTTP_KIT));
    expect(core.length).toBeGreaterThan(100);
    expect(core.some((file) => file.endsWith(join('customers', 'customer-use-cases.ts')))).toBe(true);
  });
});
