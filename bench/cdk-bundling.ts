import { createRequire } from 'node:module';
import { dirname, join, posix } from 'node:path';
import type { BuildOptions, Format, Loader, Platform } from 'esbuild';

/**
 * The esbuild options CDK itself would use for each NodejsFunction, captured while the app is
 * built, so the benchmark bundles exactly what `cdk deploy` bundles (whatever CrmFunction passes
 * today) instead of a hand-kept copy that drifts.
 *
 * NodejsFunction computes its esbuild command line even when bundling is skipped (as the local
 * synth does); we wrap `Bundling.prototype.buildEsbuildArgs` (aws-cdk-lib internal, pinned in
 * package.json) to record that argument list per entry, then translate it to the JS API.
 */
export interface CapturedBundling {
  /** Absolute entry path. */
  entry: string;
  /** The CLI arguments CDK passes after `esbuild --bundle <entry>`, as CDK wrote them. */
  args: string[];
}

interface BundlingInstance {
  props: { entry: string; esbuildArgs?: unknown; preCompilation?: boolean; nodeModules?: unknown; commandHooks?: unknown };
}
type BuildArgs = (this: BundlingInstance, scope: unknown, inputDir: string, outputDir: string, pathJoin: unknown) => string[];

/** Where CDK's bundling command mounts the project (AssetStaging.BUNDLING_INPUT_DIR). */
const INPUT_DIR = '/asset-input';

function bundlingPrototype(): { buildEsbuildArgs: BuildArgs } {
  const require = createRequire(import.meta.url);
  const lib = join(dirname(require.resolve('aws-cdk-lib/package.json')), 'aws-lambda-nodejs', 'lib', 'bundling.js');
  const { Bundling } = require(lib) as { Bundling?: { prototype: { buildEsbuildArgs?: BuildArgs } } };
  if (typeof Bundling?.prototype.buildEsbuildArgs !== 'function') {
    throw new Error(`aws-cdk-lib changed: ${lib} has no Bundling.prototype.buildEsbuildArgs; update bench/cdk-bundling.ts`);
  }
  return Bundling.prototype as { buildEsbuildArgs: BuildArgs };
}

/** Runs `build` (which must construct the CDK app) and returns what it built plus CDK's esbuild arguments per entry. */
export function captureBundling<T>(build: () => T): { result: T; bundlings: Map<string, CapturedBundling> } {
  const proto = bundlingPrototype();
  const original = proto.buildEsbuildArgs;
  const bundlings = new Map<string, CapturedBundling>();
  proto.buildEsbuildArgs = function (this: BundlingInstance, ...rest) {
    const args = original.apply(this, rest);
    const { entry, esbuildArgs, preCompilation, nodeModules, commandHooks } = this.props;
    const unsupported = Object.entries({ esbuildArgs, preCompilation, nodeModules, commandHooks }).filter(([, v]) => v !== undefined && v !== false);
    if (unsupported.length) {
      throw new Error(`${entry}: bundling uses ${unsupported.map(([k]) => k).join(', ')}, which bench/cdk-bundling.ts does not reproduce yet`);
    }
    // Docker and local bundling produce the same argument list; keep the first (Docker) form.
    if (!bundlings.has(entry)) bundlings.set(entry, { entry, args: [...args] });
    return args;
  };
  try {
    return { result: build(), bundlings };
  } finally {
    proto.buildEsbuildArgs = original;
  }
}

/**
 * esbuild's CLI arguments (the subset CDK emits) as JS API options. `--outfile` and `--metafile`
 * are dropped (the caller picks its own); anything unknown throws rather than being ignored.
 */
export function toBuildOptions(args: string[], rootDir: string): BuildOptions {
  const fromInput = (p: string) => (p.startsWith(`${INPUT_DIR}/`) ? join(rootDir, posix.relative(INPUT_DIR, p)) : p);
  const options: BuildOptions = { bundle: true, absWorkingDir: rootDir };
  const external: string[] = [];
  const loader: Record<string, Loader> = {};
  const define: Record<string, string> = {};
  const inject: string[] = [];
  for (const arg of args) {
    // `--banner:js=x` and `--footer:js=x` carry their type in the name; elsewhere `:` or `=` starts the value.
    const [, flag = arg, value] = /^(--(?:banner|footer):[a-z]+|--[a-z-]+)(?:[=:](.*))?$/s.exec(arg) ?? [];
    switch (flag) {
      case '--target':
        options.target = value!.split(',');
        break;
      case '--platform':
        options.platform = value as Platform;
        break;
      case '--format':
        options.format = value as Format;
        break;
      case '--minify':
        options.minify = true;
        break;
      case '--sourcemap':
        options.sourcemap = value ? (value as 'inline' | 'external' | 'both') : true;
        break;
      case '--sources-content':
        options.sourcesContent = value !== 'false';
        break;
      case '--external':
        external.push(value!);
        break;
      case '--loader': {
        const [ext, name] = value!.split('=') as [string, Loader];
        loader[ext] = name;
        break;
      }
      case '--define': {
        const eq = value!.indexOf('=');
        define[value!.slice(0, eq)] = value!.slice(eq + 1);
        break;
      }
      case '--keep-names':
        options.keepNames = true;
        break;
      case '--tsconfig':
        options.tsconfig = fromInput(value!);
        break;
      case '--banner:js':
        options.banner = { js: value! };
        break;
      case '--footer:js':
        options.footer = { js: value! };
        break;
      case '--main-fields':
        options.mainFields = value!.split(',');
        break;
      case '--inject':
        inject.push(fromInput(value!));
        break;
      case '--log-level':
      case '--outfile':
      case '--metafile':
        break;
      default:
        throw new Error(`CDK passes an esbuild argument bench/cdk-bundling.ts does not translate: ${arg}`);
    }
  }
  return {
    ...options,
    external,
    ...(Object.keys(loader).length ? { loader } : {}),
    ...(Object.keys(define).length ? { define } : {}),
    ...(inject.length ? { inject } : {}),
  };
}
