// A local Redis Cluster for the tests: 3 masters and 3 replicas of Debian's redis-server, in cluster mode, on
// 127.0.0.1:46301–46306, data in .data/cluster/. `tsx scripts/redis-cluster.ts start|stop|status|env|nodes`.
// The tests import it to kill a master and watch its replica take over.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { Redis } from "ioredis";
import { portOpen, sleep } from "./net";

const root = path.resolve(import.meta.dirname, "..");
const dataDir = path.join(root, ".data", "cluster");
// Below 55535: a node also listens on its port + 10000 for the cluster bus.
export const CLUSTER_PORTS = [46301, 46302, 46303, 46304, 46305, 46306];
/** Failure detection: a master silent this long is failed over to its replica (Redis's default is 15 s). */
const NODE_TIMEOUT_MS = 2000;

export const clusterNodesEnv = () => CLUSTER_PORTS.map((p) => `127.0.0.1:${p}`).join(",");

function nodeDir(port: number) {
  return path.join(dataDir, String(port));
}

export async function startNode(port: number) {
  if (await portOpen(port)) return;
  const dir = nodeDir(port);
  fs.mkdirSync(dir, { recursive: true });
  execFileSync("redis-server", [
    "--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--daemonize", "yes",
    "--pidfile", path.join(dir, "redis.pid"), "--logfile", path.join(dir, "redis.log"),
    "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", String(NODE_TIMEOUT_MS),
    "--save", "", "--appendonly", "no", "--maxmemory-policy", "noeviction",
  ]);
  for (let i = 0; i < 100 && !(await portOpen(port)); i++) await sleep(50);
  if (!(await portOpen(port))) throw new Error(`redis node :${port} did not start; see ${path.join(dir, "redis.log")}`);
}

export async function startCluster() {
  if (spawnSync("redis-server", ["--version"]).status !== 0) throw new Error("redis-server is not installed (scripts/services.ts installs it with apt when run as root)");
  for (const port of CLUSTER_PORTS) await startNode(port);
  if (!(await clusterOk())) {
    const info = await clusterInfo(CLUSTER_PORTS[0]!);
    if (info.cluster_known_nodes === "1") {
      execFileSync("redis-cli", ["--cluster", "create", ...CLUSTER_PORTS.map((p) => `127.0.0.1:${p}`), "--cluster-replicas", "1", "--cluster-yes"], { stdio: "ignore" });
    }
    for (let i = 0; i < 200 && !(await clusterOk()); i++) await sleep(100);
    if (!(await clusterOk())) throw new Error("the Redis Cluster did not reach cluster_state:ok; see .data/cluster/*/redis.log");
  }
  // Every master must have its replica in sync, so a failover loses nothing that was acknowledged before it.
  for (let i = 0; i < 200 && (await replicasInSync()) < 3; i++) await sleep(100);
}

export async function stopCluster() {
  const stopped = CLUSTER_PORTS.filter((port) => killNode(port, "SIGTERM"));
  for (const port of stopped) for (let i = 0; i < 100 && (await portOpen(port)); i++) await sleep(50);
}

/** Kills a node the way a machine dies (SIGKILL): no goodbye to the cluster. */
export function killNode(port: number, signal: NodeJS.Signals = "SIGKILL") {
  const pidFile = path.join(nodeDir(port), "redis.pid");
  if (!fs.existsSync(pidFile)) return false;
  try {
    process.kill(Number(fs.readFileSync(pidFile, "utf8")), signal);
  } catch {
    // already gone
  }
  fs.rmSync(pidFile, { force: true });
  return true;
}

/** The port of the master serving `key`'s slot. */
export async function masterFor(key: string): Promise<number> {
  for (const port of CLUSTER_PORTS) {
    if (!(await portOpen(port))) continue;
    const r = new Redis({ port, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await r.connect();
      const slot = (await r.call("CLUSTER", "KEYSLOT", key)) as number;
      const slots = (await r.call("CLUSTER", "SLOTS")) as [number, number, [string, number, string]][];
      const range = slots.find(([from, to]) => slot >= from && slot <= to);
      if (range) return range[2][1];
    } finally {
      r.disconnect();
    }
  }
  throw new Error(`no live node knows the slot of ${key}`);
}

export async function clusterInfo(port: number): Promise<Record<string, string>> {
  const r = new Redis({ port, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await r.connect();
    const text = (await r.call("CLUSTER", "INFO")) as string;
    return Object.fromEntries(text.split(/\r?\n/).filter(Boolean).map((l) => l.split(":") as [string, string]));
  } finally {
    r.disconnect();
  }
}

/** Every live node says the cluster is ok and all 16384 slots are served. */
export async function clusterOk(): Promise<boolean> {
  for (const port of CLUSTER_PORTS) {
    if (!(await portOpen(port))) continue;
    const info = await clusterInfo(port).catch(() => null);
    if (!info || info.cluster_state !== "ok" || info.cluster_slots_ok !== "16384") return false;
  }
  return true;
}

async function replicasInSync(): Promise<number> {
  let synced = 0;
  for (const port of CLUSTER_PORTS) {
    if (!(await portOpen(port))) continue;
    const r = new Redis({ port, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await r.connect();
      const info = await r.info("replication");
      if (/role:slave/.test(info) && /master_link_status:up/.test(info)) synced++;
    } catch {
      // not up yet
    } finally {
      r.disconnect();
    }
  }
  return synced;
}


if (import.meta.url === `file://${process.argv[1]}`) {
  const command = process.argv[2] ?? "start";
  if (command === "start") {
    await startCluster();
    console.log(`[redis-cluster] 3 masters + 3 replicas up: REDIS_CLUSTER_NODES=${clusterNodesEnv()}`);
  } else if (command === "stop") {
    await stopCluster();
    console.log("[redis-cluster] stopped");
  } else if (command === "status") {
    console.log(`[redis-cluster] ${(await clusterOk()) ? "ok" : "not ok"}`);
  } else if (command === "env") {
    console.log(`export REDIS_CLUSTER_NODES=${clusterNodesEnv()}`);
  } else if (command === "nodes") {
    console.log(clusterNodesEnv());
  } else {
    console.error(`unknown command "${command}" (start, stop, status, env, nodes)`);
    process.exit(2);
  }
}
