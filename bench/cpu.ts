// Where the CPU goes while dialing: per-process CPU time from /proc, grouped into Postgres, Redis, the caller
// processes, this process (the scheduler) and everything else on the box (other people's work skews the
// figures, so it is measured too). Linux only; elsewhere the snapshot is empty and the breakdown is skipped.
import { execFileSync } from "node:child_process";
import fs from "node:fs";

export type CpuGroups = Record<"postgres" | "redis" | "callers" | "scheduler" | "other", number>;

const TICKS_PER_SECOND = clockTicks();

export type CpuSnapshot = Map<number, { group: keyof CpuGroups; seconds: number }>;

/** CPU seconds used so far per process, with its group; `callerPids` are the caller processes of the run. */
export function cpuSnapshot(callerPids: number[]): CpuSnapshot | null {
  if (!fs.existsSync("/proc/self/stat")) return null;
  const callers = new Set(callerPids);
  const out: CpuSnapshot = new Map();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // exited between readdir and read
    }
    const pid = Number(entry);
    const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime + stime
    const group = callers.has(pid) ? "callers" : pid === process.pid ? "scheduler" : comm === "postgres" ? "postgres" : comm.startsWith("redis-server") ? "redis" : "other";
    out.set(pid, { group, seconds });
  }
  return out;
}

/**
 * Cores used per group between two snapshots taken `seconds` apart. Per process, so processes that come and go
 * in between do not cancel each other out: one that started meanwhile counts in full, one that ended is lost.
 */
export function coresBetween(before: CpuSnapshot | null, after: CpuSnapshot | null, seconds: number): CpuGroups | null {
  if (!before || !after || seconds <= 0) return null;
  const used: CpuGroups = { postgres: 0, redis: 0, callers: 0, scheduler: 0, other: 0 };
  for (const [pid, now] of after) used[now.group] += Math.max(0, now.seconds - (before.get(pid)?.seconds ?? 0));
  for (const key of Object.keys(used) as (keyof CpuGroups)[]) used[key] = Math.round((used[key] / seconds) * 100) / 100;
  return used;
}

function clockTicks() {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
}
