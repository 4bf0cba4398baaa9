// Two clones on one machine: the second one's `services.ts start` must refuse the first one's servers instead of
// using (and later resetting) their databases. Both clones here are throwaway copies of scripts/ whose test profile
// sits on free ports, so the real dev/test/bench services are never touched.
import { execFile } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repo = path.resolve(import.meta.dirname, "..");
const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "fairdial-clones-")));
const cloneA = path.join(tmp, "a");
const cloneB = path.join(tmp, "b");
let pgPort = 0;
let redisPort = 0;

beforeAll(async () => {
  [pgPort, redisPort] = [await freePort(), await freePort()];
  for (const clone of [cloneA, cloneB]) makeClone(clone);
  const started = await services(cloneA, "start");
  expect(started.stderr).toBe("");
  expect(started.status).toBe(0);
  await withClientOfA((c) => c.query("CREATE TABLE clone_a_marker (id int)"));
}, 120_000);

afterAll(async () => {
  await services(cloneA, "stop");
  fs.rmSync(tmp, { recursive: true, force: true });
}, 60_000);

describe("services.ts with another clone's servers on the profile's ports", () => {
  it("reuses servers that serve this checkout's own data dirs", async () => {
    const again = await services(cloneA, "start");
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(`postgres already running on :${pgPort}`);
    expect(again.stdout).toContain(`redis already running on :${redisPort}`);
  });

  it("refuses another clone's Postgres with one line naming both data dirs, and leaves it alone", async () => {
    const res = await services(cloneB, "start");
    expect(res.status).toBe(1);
    expect(res.stderr).toBe(
      `[services:test] refusing to use postgres on :${pgPort}: it serves ${cloneA}/.data/test/postgres, not this checkout's ${cloneB}/.data/test/postgres. ` +
        `Two clones cannot run the test profile at once: stop the other clone's services (cd ${cloneA} && npm run services:stop -- test), ` +
        "or set DATABASE_URL and REDIS_URL to servers of your own.\n",
    );
    expect(fs.existsSync(path.join(cloneB, ".data"))).toBe(false);
    const { rowCount } = await withClientOfA((c) => c.query("SELECT 1 FROM pg_tables WHERE tablename = 'clone_a_marker'"));
    expect(rowCount).toBe(1);
  });

  it("refuses another clone's Redis when only Postgres is configured", async () => {
    const res = await services(cloneB, "start", { DATABASE_URL: "postgresql://elsewhere/db" });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain(`refusing to use redis on :${redisPort}: it serves ${cloneA}/.data/test/redis, not this checkout's ${cloneB}/.data/test/redis.`);
    expect(res.stderr).toContain(`cd ${cloneA} && npm run services:stop -- test`);
  });

  it("starts nothing and checks nothing when the caller set DATABASE_URL and REDIS_URL", async () => {
    const res = await services(cloneB, "start", { DATABASE_URL: "postgresql://elsewhere/db", REDIS_URL: "redis://elsewhere:6379" });
    expect(res).toMatchObject({ status: 0, stdout: "", stderr: "" });
    expect(fs.existsSync(path.join(cloneB, ".data"))).toBe(false);
  });

  it("shows in status that the servers on its ports are another checkout's", async () => {
    const res = await services(cloneB, "status");
    expect(res.stdout).toContain(`postgres :${pgPort} up, but not this checkout's (${cloneA}/.data/test/postgres)`);
    expect(res.stdout).toContain(`redis    :${redisPort} up, but not this checkout's (${cloneA}/.data/test/redis)`);
  });
});

/** A checkout with this repo's services scripts and dependencies, its test profile moved to the free ports. */
function makeClone(dir: string) {
  fs.mkdirSync(path.join(dir, "scripts"), { recursive: true });
  for (const file of ["services.ts", "service-owner.ts", "net.ts"]) fs.copyFileSync(path.join(repo, "scripts", file), path.join(dir, "scripts", file));
  fs.writeFileSync(
    path.join(dir, "scripts", "profiles.ts"),
    `import { PROFILES as real } from ${JSON.stringify(path.join(repo, "scripts", "profiles.ts"))};\n` +
      `export const PROFILES = { ...real, test: { ...real.test, pgPort: ${pgPort}, redisPort: ${redisPort} } };\n`,
  );
  fs.symlinkSync(path.join(repo, "node_modules"), path.join(dir, "node_modules"));
}

function services(clone: string, command: string, urls: Record<string, string> = {}) {
  const env = { ...process.env, ...urls };
  if (!urls.DATABASE_URL) delete env.DATABASE_URL;
  if (!urls.REDIS_URL) delete env.REDIS_URL;
  const cli = path.join(repo, "node_modules", "tsx", "dist", "cli.mjs");
  return new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [cli, path.join(clone, "scripts", "services.ts"), command, "test"], { cwd: clone, env }, (err, stdout, stderr) => {
      resolve({ status: err ? Number(err.code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function withClientOfA<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ host: "127.0.0.1", port: pgPort, user: "fairdial", password: "fairdial", database: "fairdial_test" });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
