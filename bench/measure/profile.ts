import { readFileSync } from 'node:fs';

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  startTime: number;
  nodes: CpuProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  file: string;
  /** The windows summarized (CLOCK_MONOTONIC microseconds, as `process.hrtime`), if any. */
  windows?: { fromUs: number; toUs: number }[];
  totalMs: number;
  /** Self time per category, largest first; `percent` is of non-idle time. */
  categories: { name: string; ms: number; percent: number }[];
  topFunctions: { name: string; ms: number; percent: number }[];
}

/** Where a frame's self time goes, by the script it belongs to. */
function category(frame: CpuProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName === '(idle)') return '(idle)';
    if (functionName === '(garbage collector)') return 'V8: garbage collector';
    if (functionName === '(program)') return 'V8: (program) native / compiler';
    return 'native builtins';
  }
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
  if (pkg === 'jose') return 'jose (JWT verification)';
  if (pkg?.startsWith('@aws-sdk/') || pkg?.startsWith('@smithy/') || pkg?.startsWith('@aws-crypto/')) return 'AWS SDK v3 (+ smithy)';
  if (pkg === '@middy/core') return 'middy';
  if (pkg === 'tsx' || pkg === 'esbuild' || pkg === 'get-tsconfig') return 'tsx loader';
  if (pkg) return `package: ${pkg}`;
  if (url.includes('/local/http-api.ts')) return 'local/http-api.ts (routing, event, response)';
  if (url.includes('/local/stream-poller.ts')) return 'local/stream-poller.ts';
  if (url.includes('/local/')) return 'local/ (other)';
  if (url.includes('/shared/') || url.includes('/functions/')) return 'handler code (functions/, shared/)';
  if (url.startsWith('node:internal/crypto') || url === 'node:crypto') return 'node: crypto (webcrypto glue)';
  if (/^node:(_http_|http$|internal\/http)/.test(url)) return 'node: http';
  if (/^node:(net|internal\/(stream|streams|net|dns)|_stream|stream)/.test(url)) return 'node: net / streams';
  if (/^node:(internal\/)?(url|querystring)/.test(url)) return 'node: url';
  if (/^node:internal\/(deps\/undici|fetch)/.test(url)) return 'node: undici (fetch)';
  if (/^node:internal\/(process|timers|async_hooks|event_target|events)|^node:(events|timers)/.test(url)) return 'node: event loop / timers / events';
  if (url.startsWith('node:')) return 'node: other internals';
  return 'other';
}

/**
 * Self-time breakdown of a `.cpuprofile` written by `node --cpu-prof`, optionally only of the
 * samples inside `windows`. V8 stamps samples with the monotonic clock `process.hrtime` reads, so
 * another process on the same machine can name the window (e.g. one benchmark phase).
 */
export function summarizeCpuProfile(file: string, windows?: { fromUs: number; toUs: number }[], top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  // timeDeltas[i] leads to sample i; timeDeltas[i + 1] is the time until the next one: sample i's share.
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (windows && !windows.some((w) => at >= w.fromUs && at <= w.toUs)) continue;
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
  }
  const categories = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    const cat = category(frame);
    total += us;
    if (cat === '(idle)') {
      idle += us;
      continue;
    }
    categories.set(cat, (categories.get(cat) ?? 0) + us);
    const where = frame.url ? `${frame.url.replace(/^.*\/(node_modules|local|shared|functions)\//, '$1/')}:${frame.lineNumber + 1}` : '';
    const name = `${frame.functionName || '(anonymous)'} ${where}`.trim();
    functions.set(name, (functions.get(name) ?? 0) + us);
  }
  const busy = total - idle;
  const list = (m: Map<string, number>, n = Infinity) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({ name, ms: Math.round(us / 100) / 10, percent: busy ? Math.round((us / busy) * 1000) / 10 : 0 }));
  return {
    file,
    windows,
    totalMs: Math.round(total / 1000),
    categories: [{ name: '(idle)', ms: Math.round(idle / 1000), percent: Number.NaN }, ...list(categories)],
    topFunctions: list(functions, top),
  };
}
