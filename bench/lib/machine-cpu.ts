// CPU time from /proc (Linux): a child process's own, and the whole machine's over a
// measurement window (/proc/stat). On a shared virtual machine, "steal" is time the hypervisor
// gave our vCPUs to someone else: latency figures taken while it is high say more about the
// host than about the engine, so the latency scenario reports it next to them.
import { readFileSync } from 'node:fs';

/** Cumulative CPU times of all CPUs, in clock ticks, by /proc/stat column. */
export interface CpuTimes {
  readonly busy: number;
  readonly idle: number;
  readonly steal: number;
}

/** Shares of all CPU time over a window (0..1 each; they add up to 1). */
export interface CpuShares {
  readonly busy: number;
  readonly idle: number;
  readonly steal: number;
}

/** Parses the aggregate "cpu" line of /proc/stat; undefined if there is none. */
export function parseProcStat(text: string): CpuTimes | undefined {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return undefined;
  // user nice system idle iowait irq softirq steal [guest guest_nice: already in user/nice]
  const v = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (v.length < 8 || v.some((x) => !Number.isFinite(x))) return undefined;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = v as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return { busy: user + nice + system + irq + softirq, idle: idle + iowait, steal };
}

/** The machine's CPU times now; undefined where /proc/stat is missing (not Linux). */
export function readCpuTimes(): CpuTimes | undefined {
  try {
    return parseProcStat(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return undefined;
  }
}

/** Shares between two readings; undefined if either is missing or no time passed. */
export function cpuShares(a: CpuTimes | undefined, b: CpuTimes | undefined): CpuShares | undefined {
  if (!a || !b) return undefined;
  const busy = b.busy - a.busy;
  const idle = b.idle - a.idle;
  const steal = b.steal - a.steal;
  const total = busy + idle + steal;
  if (total <= 0) return undefined;
  return { busy: busy / total, idle: idle / total, steal: steal / total };
}

// Linux reports utime/stime in clock ticks; 100 Hz everywhere we run (USER_HZ).
const CLOCK_TICKS = 100;

/** CPU time (user + system) a process has used so far, from /proc; null where unavailable. */
export function processCpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name (which may contain spaces).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / CLOCK_TICKS : null;
  } catch {
    return null;
  }
}
