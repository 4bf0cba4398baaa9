// What the figures were measured on: they only mean something next to the machine, its load and the versions.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import pg from "pg";

const root = path.resolve(import.meta.dirname, "..");

export async function machineInfo() {
  const cpus = os.cpus();
  const versions: Record<string, string> = {};
  for (const name of ["next", "bullmq", "prisma", "@prisma/client", "pg", "ioredis", "tsx"]) {
    versions[name] = JSON.parse(fs.readFileSync(path.join(root, "node_modules", name, "package.json"), "utf8")).version;
  }
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const postgres = (await client.query("SHOW server_version")).rows[0].server_version as string;
  const pgSettings = Object.fromEntries(
    (await client.query(`SELECT name, setting FROM pg_settings WHERE name IN ('shared_buffers', 'fsync', 'synchronous_commit', 'random_page_cost', 'max_connections', 'work_mem')`)).rows.map((r) => [r.name, r.setting]),
  );
  await client.end();
  const redis = new Redis(process.env.REDIS_URL!);
  const redisVersion = (await redis.info("server")).match(/redis_version:(\S+)/)?.[1] ?? "unknown";
  redis.disconnect();
  return {
    // Others edit the engine while benches run: the commit and any uncommitted change to the engine's files say what was measured.
    git: gitState(),
    hostname: os.hostname(),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? "unknown",
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    versions: { ...versions, postgres, redis: redisVersion } as Record<string, string>,
    postgresSettings: pgSettings,
    // Other work on a shared box skews every figure: the load averages say how busy it was around the run.
    loadAverageAtStart: os.loadavg().map((v) => Math.round(v * 100) / 100),
    loadAverageAtEnd: [] as number[],
  };
}

export type MachineInfo = Awaited<ReturnType<typeof machineInfo>>;

function gitState() {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: root, encoding: "utf8" }).trim();
  try {
    const engine = ["lib/dispatch", "lib/queue", "lib/telephony", "lib/campaigns", "lib/pg.ts", "lib/redis.ts", "worker", "prisma"];
    return { commit: git("rev-parse", "HEAD"), subject: git("log", "-1", "--format=%s"), uncommittedInEngine: git("status", "--porcelain", "--", ...engine).split("\n").filter(Boolean) };
  } catch {
    return { commit: "unknown", subject: "", uncommittedInEngine: [] as string[] };
  }
}
