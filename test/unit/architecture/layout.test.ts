import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Folders of shared/ that serve every area instead of being one (docs/architecture.md, "Layout"). */
const KITS = ['access', 'aws', 'event-pattern', 'http', 'idempotency'];
/** Test folders named for what they test when that is not an area: the runtime, contracts, the layout itself. */
const TEST_TOPICS = ['api', 'architecture', 'bench', 'events', 'local', 'migrations', 'observability'];
const SOURCE_ROOTS = ['api', 'bench', 'events', 'functions', 'infra', 'local', 'migrations', 'packages', 'scripts', 'shared', 'test'];
const MAX_FILES_PER_FOLDER = 30;

const subfolders = (dir: string) =>
  readdirSync(join(ROOT, dir), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();

function sourceFolders(dir: string): { folder: string; files: number }[] {
  const entries = readdirSync(join(ROOT, dir), { withFileTypes: true });
  const files = entries.filter((e) => e.isFile() && /\.(ts|js|mjs)$/.test(e.name)).length;
  return [{ folder: dir, files }, ...entries.filter((e) => e.isDirectory() && e.name !== 'node_modules').flatMap((e) => sourceFolders(join(dir, e.name)))];
}

const areas = subfolders('shared').filter((name) => !KITS.includes(name));

describe('the layout', () => {
  it('names each Lambda folder after a shared/ area (functions/api pairs with the top-level api/)', () => {
    const strays = subfolders('functions').filter((name) => !areas.includes(name) && name !== 'api');
    expect(strays).toEqual([]);
    expect(subfolders('.')).toContain('api');
  });

  it('names each unit and integration test folder after an area, a kit or a test topic', () => {
    const known = new Set([...areas, ...KITS, ...TEST_TOPICS]);
    const strays = ['test/unit', 'test/integration'].flatMap((dir) => subfolders(dir).filter((name) => !known.has(name)).map((name) => `${dir}/${name}`));
    expect(strays).toEqual([]);
  });

  it(`keeps every source folder at ${MAX_FILES_PER_FOLDER} files or fewer`, () => {
    const crowded = SOURCE_ROOTS.flatMap((dir) => sourceFolders(dir)).filter((f) => f.files > MAX_FILES_PER_FOLDER);
    expect(crowded.map((f) => `${relative(ROOT, join(ROOT, f.folder))} (${f.files})`)).toEqual([]);
  });

  it('names every module of an area that talks to AWS as an adapter: *-repository.ts, *-gateway.ts or wiring.ts', () => {
    const adapterName = /(-repository|-gateway|\/wiring)\.ts$/;
    const misnamed = areas.flatMap((area) =>
      readdirSync(join(ROOT, 'shared', area))
        .filter((file) => file.endsWith('.ts'))
        .map((file) => `shared/${area}/${file}`)
        .filter((path) => /^import (?!type )[^;]*from '@aws-sdk\/(client|lib)-/m.test(readFileSync(join(ROOT, path), 'utf8')) && !adapterName.test(path)),
    );
    expect(misnamed).toEqual([]);
  });
});
