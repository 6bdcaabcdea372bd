import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types, run by npm at install.
import { literalKeys } from '../../../scripts/pure-sdk-schemas.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const sesSchemas = createRequire(join(root, 'package.json')).resolve('@aws-sdk/client-sesv2/package.json').replace(/package\.json$/, 'dist-es/schemas/schemas_0.js');

describe('the install-time rewrite of the AWS SDK schema modules (docs/decisions.md, 65)', () => {
  it('writes a computed key naming a string constant of the file as that string, and nothing else', () => {
    const source = ['const _hH = "httpHeader";', 'const _e = "error";', 'const n0 = "com.example";', 'export var A$ = [3, n0, "A", 0, [_x], [[0, { [_hH]: "X-Id" }]]];', 'export var B$ = [-3, n0, "B", { [_e]: _c, [other]: 1 }];'].join('\n');
    const result: string = literalKeys(source);
    expect(result).toContain('{ "httpHeader": "X-Id" }');
    expect(result).toContain('{ "error": _c, [other]: 1 }');
    // The array element `[_x]` is not a key, and a second run changes nothing.
    expect(result).toContain('0, [_x], [[0');
    expect(literalKeys(result)).toBe(result);
  });

  it('has run on the installed SES v2 client: no computed key left that a constant could name', () => {
    expect(readFileSync(sesSchemas, 'utf8')).not.toMatch(/\[_[A-Za-z0-9]+\]:/);
  });

  it('lets a bundle that sends one SES command keep a few shapes, not the whole model', async () => {
    const result = await build({
      stdin: { contents: "import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2'; export const send = (c: SESv2Client) => c.send(new SendEmailCommand({}));", resolveDir: root, loader: 'ts' },
      bundle: true, platform: 'node', format: 'esm', minify: true, target: 'node22', mainFields: ['module', 'main'], write: false, metafile: true, outfile: 'out.mjs',
    });
    const inputs = Object.values(result.metafile.outputs)[0]!.inputs;
    const schemas = Object.entries(inputs).find(([path]) => path.includes('client-sesv2/dist-es/schemas/schemas_0.js'))![1];
    // 48 KB before the rewrite: every one of the service's 480 shapes.
    expect(schemas.bytesInOutput).toBeLessThan(10_000);
  });
});
