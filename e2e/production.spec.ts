// The production start (`npm run serve`) as an operator runs it: it refuses unsafe settings with one line, and
// with safe ones it serves web + scheduler + callers from the build against an empty database without seeding.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { expect, test } from "@playwright/test";

const root = path.resolve(import.meta.dirname, "..");
const port = Number(process.env.E2E_PORT ?? 3100) + 50;
const STRONG_SECRET = "serve-test-secret-7d2f9a4c1e8b6d3f0a5c2e9b7d4f1a8c";

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  await run("npx", ["tsx", "scripts/build-server.ts"], {});
});

test("production refuses the public development secret with a one-line reason", async () => {
  const demoSecret = "fairdial-dev-secret-change-me-in-production";
  const serve = await run("bash", ["scripts/serve.sh"], { NEXTAUTH_SECRET: demoSecret, NEXTAUTH_URL: "https://dial.example.com" });
  expect(serve.code).not.toBe(0);
  expect(serve.stderr.trim()).toBe(
    "fairdial refuses to start in production: NEXTAUTH_SECRET is the public development default; set a random value of at least 32 bytes, e.g. `openssl rand -base64 48`.",
  );

  // Started directly, without the script, each process still refuses.
  const web = await run("npx", ["next", "start", "-p", String(port + 1)], { NEXTAUTH_SECRET: demoSecret, NEXTAUTH_URL: "https://dial.example.com" });
  expect(web.code).not.toBe(0);
  expect(web.stderr).toContain("fairdial refuses to start in production: NEXTAUTH_SECRET is the public development default");
  const worker = await run("node", ["dist/worker.mjs", "--role", "caller"], { NEXTAUTH_SECRET: STRONG_SECRET, NEXTAUTH_URL: "http://dial.example.com" });
  expect(worker.code).not.toBe(0);
  expect(worker.stderr.trim()).toMatch(/^fairdial refuses to start in production: NEXTAUTH_URL \(http:\/\/dial\.example\.com\) is not https; [^\n]+$/);
});

test("npm run serve runs web and worker from the build and seeds nothing", async () => {
  const database = `fairdial_serve_${randomUUID().slice(0, 8)}`;
  const admin = new URL(process.env.DATABASE_URL!);
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`CREATE DATABASE ${database}`);
  const url = new URL(admin);
  url.pathname = `/${database}`;
  const env = { DATABASE_URL: url.toString(), NEXTAUTH_SECRET: STRONG_SECRET, NEXTAUTH_URL: `http://127.0.0.1:${port}`, ALLOW_INSECURE_HTTP: "1", PORT: String(port), HOSTNAME: "127.0.0.1", QUEUE_PREFIX: `serve-${database}`, CALLERS: "2" };
  let serve: ChildProcess | undefined;
  try {
    const migrated = await run("npx", ["prisma", "migrate", "deploy"], env);
    expect(migrated.code).toBe(0);
    // The demo seed refuses a production database unless it is asked for explicitly.
    const seed = await run("npx", ["tsx", "prisma/seed.ts"], env);
    expect(seed.code).not.toBe(0);
    expect(seed.stderr).toContain("The demo seed does not run with NODE_ENV=production");
    const output: string[] = [];
    serve = spawn("bash", ["scripts/serve.sh"], { cwd: root, env: { ...process.env, ...env, NODE_ENV: "production", LOG_LEVEL: "info" }, detached: true });
    serve.stdout!.on("data", (d) => output.push(String(d)));
    serve.stderr!.on("data", (d) => output.push(String(d)));

    await expect.poll(async () => (await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => null))?.status ?? 0, { timeout: 60_000 }).toBe(200);
    // One scheduler, two callers and the webhooks sender report ready.
    await expect.poll(() => (output.join("").match(/"msg":"worker ready"/g) ?? []).length, { timeout: 60_000 }).toBe(4);
    const signin = await fetch(`http://127.0.0.1:${port}/signin`);
    expect(signin.status).toBe(200);

    const target = new pg.Client({ connectionString: url.toString() });
    await target.connect();
    const { rows } = await target.query(`SELECT (SELECT count(*) FROM "User")::int AS users, (SELECT count(*) FROM "Tenant")::int AS tenants, (SELECT count(*) FROM "Campaign")::int AS campaigns`);
    await target.end();
    expect(rows[0]).toEqual({ users: 0, tenants: 0, campaigns: 0 });
    expect(output.join("")).not.toContain("Seeding DEMO data");
  } finally {
    if (serve?.pid) process.kill(-serve.pid, "SIGTERM");
    await new Promise((r) => setTimeout(r, 2000));
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await client.end();
  }
});

function run(command: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, NODE_ENV: "production", LOG_LEVEL: "warn", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
