// PgBouncer (Debian's) in transaction mode in front of the Postgres at DATABASE_URL, for the tests that prove the app
// works behind it: `tsx scripts/pgbouncer.ts start|stop|url`. Listens on 127.0.0.1:46432; data in .data/pgbouncer/.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { portOpen, sleep } from "./net";

const root = path.resolve(import.meta.dirname, "..");
const dir = path.join(root, ".data", "pgbouncer");
export const PGBOUNCER_PORT = 46432;

function target() {
  const raw = process.env.DATABASE_URL;
  if (!raw) throw new Error("DATABASE_URL must name the Postgres PgBouncer fronts");
  return new URL(raw);
}

/** DATABASE_URL with PgBouncer's address instead of Postgres's. */
export function pooledUrl() {
  const url = target();
  url.hostname = "127.0.0.1";
  url.port = String(PGBOUNCER_PORT);
  return url.toString();
}

function ensureBinary() {
  if (spawnSync("pgbouncer", ["--version"]).status === 0) return;
  if (process.getuid?.() === 0 && spawnSync("apt-get", ["--version"]).status === 0) {
    console.log("[pgbouncer] installing Debian's pgbouncer with apt-get");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    if (spawnSync("apt-get", ["install", "-y", "-qq", "pgbouncer"], { stdio: "ignore", env }).status !== 0) {
      execFileSync("apt-get", ["update", "-qq"], { stdio: "ignore" });
      execFileSync("apt-get", ["install", "-y", "-qq", "pgbouncer"], { stdio: "ignore", env });
    }
    return;
  }
  throw new Error("pgbouncer is not installed (Debian/Ubuntu: sudo apt-get install -y pgbouncer)");
}

export async function startPgbouncer() {
  ensureBinary();
  if (await portOpen(PGBOUNCER_PORT)) stopPgbouncer();
  for (let i = 0; i < 100 && (await portOpen(PGBOUNCER_PORT)); i++) await sleep(50);
  const url = target();
  const db = url.pathname.slice(1);
  const user = decodeURIComponent(url.username);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "userlist.txt"), `"${user}" "${decodeURIComponent(url.password)}"\n`, { mode: 0o600 });
  fs.writeFileSync(
    path.join(dir, "pgbouncer.ini"),
    [
      "[databases]",
      `${db} = host=${url.hostname} port=${url.port || 5432} dbname=${db}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${PGBOUNCER_PORT}`,
      "auth_type = scram-sha-256",
      `auth_file = ${path.join(dir, "userlist.txt")}`,
      // Transaction mode: a server connection is a client's only for one transaction (what production poolers run).
      "pool_mode = transaction",
      "max_client_conn = 1000",
      "default_pool_size = 40",
      // The web's statement timeout lives here when session settings cannot be sent (DATABASE_POOLER=pgbouncer).
      "query_timeout = 0",
      "server_reset_query =",
      `logfile = ${path.join(dir, "pgbouncer.log")}`,
      `pidfile = ${path.join(dir, "pgbouncer.pid")}`,
      "",
    ].join("\n"),
  );
  // PgBouncer will not run as root: as root, it switches to the postgres user (which owns the test data dir).
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    if (spawnSync("id", ["-u", "postgres"]).status !== 0) execFileSync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"]);
    execFileSync("chown", ["-R", "postgres:", dir]);
    for (let d = root; d !== path.dirname(d); d = path.dirname(d)) {
      const mode = fs.statSync(d).mode;
      if (!(mode & 0o001)) fs.chmodSync(d, mode | 0o001);
    }
  }
  execFileSync("pgbouncer", ["-d", ...(asRoot ? ["-u", "postgres"] : []), path.join(dir, "pgbouncer.ini")], { stdio: "inherit" });
  for (let i = 0; i < 100 && !(await portOpen(PGBOUNCER_PORT)); i++) await sleep(50);
  if (!(await portOpen(PGBOUNCER_PORT))) throw new Error(`pgbouncer did not start; see ${path.join(dir, "pgbouncer.log")}`);
}

export function stopPgbouncer() {
  const pidFile = path.join(dir, "pgbouncer.pid");
  if (!fs.existsSync(pidFile)) return;
  try {
    process.kill(Number(fs.readFileSync(pidFile, "utf8")), "SIGTERM");
  } catch {
    // already gone
  }
}


if (import.meta.url === `file://${process.argv[1]}`) {
  const command = process.argv[2] ?? "start";
  if (command === "start") {
    await startPgbouncer();
    console.log(`[pgbouncer] transaction mode on :${PGBOUNCER_PORT} in front of ${target().host}`);
  } else if (command === "stop") {
    stopPgbouncer();
  } else if (command === "url") {
    console.log(pooledUrl());
  } else {
    console.error(`unknown command "${command}" (start, stop, url)`);
    process.exit(2);
  }
}
