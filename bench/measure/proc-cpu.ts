import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time (user + system, all threads) of other processes, from /proc (Linux only): lets a
 * benchmark say which process pays for a request when client, server and database share cores.
 */
const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ: 100 on every mainstream Linux build

interface Stat {
  ppid: number;
  comm: string;
  cpuMs: number;
}

function readStat(pid: number): Stat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // comm is parenthesised and may itself contain spaces or parentheses: split after the last ')'.
  const close = text.lastIndexOf(')');
  const comm = text.slice(text.indexOf('(') + 1, close);
  const fields = text.slice(close + 2).split(' '); // fields[0] is field 3 (state)
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return { ppid: Number(fields[1]), comm, cpuMs: ((utime + stime) * 1000) / CLOCK_TICKS_PER_SECOND };
}

export function cpuMsOf(pid: number): number | undefined {
  return readStat(pid)?.cpuMs;
}

/** Direct children of `pid` whose command name matches. */
export function childPids(pid: number, comm?: RegExp): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  return entries
    .map(Number)
    .filter((p) => {
      const stat = readStat(p);
      return stat !== undefined && stat.ppid === pid && (!comm || comm.test(stat.comm));
    });
}

/** CPU milliseconds used by each named participant between `start()` and `stop()`. */
export function cpuMeter(participants: Record<string, () => number | undefined>) {
  const read = () => Object.fromEntries(Object.entries(participants).map(([name, f]) => [name, f()]));
  return {
    start() {
      const before = read();
      return () => {
        const after = read();
        return Object.fromEntries(
          Object.keys(participants).map((name) => {
            const a = after[name];
            const b = before[name];
            return [name, a === undefined || b === undefined ? Number.NaN : a - b];
          }),
        ) as Record<string, number>;
      };
    },
  };
}

/** This process's own CPU time (all threads), milliseconds. */
export const selfCpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Non-idle CPU milliseconds of the whole machine (all cores, all processes) since boot. */
export function machineBusyMs(): number | undefined {
  let line: string | undefined;
  try {
    line = readFileSync('/proc/stat', 'utf8').split('\n').find((l) => l.startsWith('cpu '));
  } catch {
    return undefined;
  }
  if (!line) return undefined;
  // cpu user nice system idle iowait irq softirq steal ...: busy = all but idle and iowait.
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return (((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) * 1000) / CLOCK_TICKS_PER_SECOND;
}
