// Runs after `npm ci` / `npm install` (the `postinstall` script). Why (docs/decisions.md, 65):
//
// AWS SDK v3 clients describe their shapes in `dist-es/schemas/schemas_0.js`, one `var` per shape.
// Shapes of REST services carry their HTTP bindings as objects with computed keys,
// `{ [_hH]: "X-Header" }`, where `_hH` is a string constant of the same file. esbuild cannot prove
// a computed key free of side effects, so it keeps every such shape, and the shapes they name, in
// every bundle: SES v2's whole model (480 shapes, 48 KB of 350) rides with a function that sends
// one command, and cold start follows bundle bytes. Writing each computed key as the string it
// names changes no value (the constants are plain string literals) and lets esbuild drop what a
// bundle never reaches. The rewrite is idempotent and leaves any key it cannot resolve alone.

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const sdk = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '@aws-sdk');

/** The file with each `[_name]:` key whose `_name` is a string constant of the file written as that string. */
export function literalKeys(source) {
  const constants = new Map([...source.matchAll(/^const (_[A-Za-z0-9]+) = ("[^"\\\n]*");$/gm)].map(([, name, value]) => [name, value]));
  return source.replace(/\[(_[A-Za-z0-9]+)\]:/g, (key, name) => (constants.has(name) ? `${constants.get(name)}:` : key));
}

if (process.argv[1] === fileURLToPath(import.meta.url) && existsSync(sdk)) {
  let rewritten = 0;
  for (const client of readdirSync(sdk).filter((name) => name.startsWith('client-'))) {
    const file = join(sdk, client, 'dist-es', 'schemas', 'schemas_0.js');
    if (!existsSync(file)) continue;
    const source = readFileSync(file, 'utf8');
    const result = literalKeys(source);
    if (result !== source) {
      writeFileSync(file, result);
      rewritten++;
    }
  }
  console.log(`pure-sdk-schemas: ${rewritten} AWS SDK schema module(s) rewritten with literal keys`);
}
