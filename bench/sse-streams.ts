// npx tsx bench/sse-streams.ts [--streams 500] [--campaigns 50] [--leads 2000] [--processes 2] [--admin-streams 50] [--seconds 30] [--only one,spread,processes,admin]
//
// What 500 open live views cost the database: queries per second before (every stream polling on its own, the
// code this replaced, kept below as `legacyStream`) and after (lib/live: one poll per key per interval shared
// through Redis, plus each stream's membership re-check every 30 s). Each web process is a child process with
// its own pools and caches, counting every query its pg clients send (Prisma's adapter and the plain pool both
// go through pg.Client#query); the streams are the real `liveEventResponse` bodies, read to the end as a
// browser would. Scenarios: 500 viewers of one campaign; 500 spread over 50 campaigns; 500 of one campaign
// over two web processes; the admin overview (fewer viewers: its query reads every tenant, and the old code ran
// it once per viewer per second, which on a shared 2-core machine would stall everything else).
// While measuring, every bench campaign records a dial each second, so its snapshot keeps changing.
//
// It starts nothing and writes to whatever DATABASE_URL / REDIS_URL point at (see bench/import.ts); its tenant
// and users are deleted afterwards. The window (default 30 s) covers one re-check of every stream.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";

const root = path.resolve(import.meta.dirname, "..");
const OPEN_OVER_MS = 2000;
const RECHECK_SQL = /^SELECT "public"\."(User|Tenant)"\./;
const WARMUP_MS = 4000;

interface ChildSpec {
  mode: "before" | "after";
  scenario: string;
  prefix: string;
  streams: { userId: string; tenantId: string; target: string }[];
  windowMs: number;
}

interface ChildResult {
  /** Sent to build snapshots. */
  queries: number;
  /** Sent by membership re-checks (user lookups by primary key). */
  recheckQueries: number;
  rechecks: number;
  progressEvents: number;
  refused: number;
}

// ---------------------------------------------------------------------------------------------------------
// Child: one web process

async function child(spec: ChildSpec) {
  const counts = { queries: 0, recheckQueries: 0, rechecks: 0 };
  const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  (pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: pg.Client, ...args: unknown[]) {
    const text = typeof args[0] === "string" ? args[0] : (args[0] as { text?: string } | undefined)?.text;
    // The re-check's statements (the user, then its tenant's name); no snapshot of these scenarios reads either
    // table through Prisma. Told apart by text: pg-pool hands a waiting query its client outside its async context.
    const recheck = !!text && RECHECK_SQL.test(text);
    if (recheck) counts.recheckQueries++;
    else counts.queries++;
    return original.apply(this, args);
  };
  const { Redis } = await import("ioredis");
  const { campaignProgress } = await import("../lib/campaigns/progress");
  const { adminSnapshot } = await import("../lib/admin/overview");
  const { getUserForSession } = await import("../lib/tenants/data");
  const { liveEventResponse } = await import("../lib/live/event-response");
  const { SnapshotHub } = await import("../lib/live/hub");
  const { StreamSlots } = await import("../lib/live/stream-slots");

  const hub = new SnapshotHub({ redis: new Redis(process.env.REDIS_URL!), subscriber: new Redis(process.env.REDIS_URL!), prefix: spec.prefix });
  const slots = new StreamSlots(new Redis(process.env.REDIS_URL!), spec.prefix, 10);
  const aborts: AbortController[] = [];
  let progressEvents = 0;
  let refused = 0;

  await Promise.all(
    spec.streams.map(async ({ userId, tenantId, target }, i) => {
      // Viewers arrive over a couple of seconds, not in the same millisecond.
      await sleep((i / spec.streams.length) * OPEN_OVER_MS);
      const load = target === "admin" ? () => adminSnapshot() : () => campaignProgress(tenantId, target);
      const abort = new AbortController();
      aborts.push(abort);
      let body: ReadableStream<Uint8Array>;
      if (spec.mode === "before") {
        await load(); // the old route's 404 check
        body = legacyStream(load, abort.signal);
      } else {
        // A user's tabs are one browser: they send the same session cookie.
        const res = await liveEventResponse(
          new Request("http://bench/events", { signal: abort.signal, headers: { cookie: `session=${userId}` } }),
          {
            userId,
            key: target === "admin" ? "admin" : `campaign:${tenantId}:${target}`,
            load,
            access: target === "admin" ? "admin" : `member:${tenantId}`,
            // The route's re-check is currentUser(): the session token (no query) and this one lookup.
            stillAllowed: async () => {
              counts.rechecks++;
              return (await getUserForSession(userId))?.tenantId === tenantId;
            },
          },
          { hub, slots },
        );
        if (res.status !== 200) {
          refused++;
          return;
        }
        body = res.body!;
      }
      void readAll(body, (n) => (progressEvents += n));
    }),
  );
  await sleep(WARMUP_MS);
  const start = { ...counts, progressEvents };
  await sleep(spec.windowMs);
  const result: ChildResult = {
    queries: counts.queries - start.queries,
    recheckQueries: counts.recheckQueries - start.recheckQueries,
    rechecks: counts.rechecks - start.rechecks,
    progressEvents: progressEvents - start.progressEvents,
    refused,
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  for (const a of aborts) a.abort();
  hub.close();
  slots.close();
  process.exit(0);
}

async function readAll(body: ReadableStream<Uint8Array>, onProgress: (events: number) => void) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      onProgress(decoder.decode(value).match(/^event: progress$/gm)?.length ?? 0);
    }
  } catch {
    // aborted at the end of the run
  }
}

/** The stream as it was before lib/live: each stream polls `load` every second on its own. */
function legacyStream(load: () => Promise<unknown>, signal: AbortSignal) {
  const encoder = new TextEncoder();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let last = "";
      signal.addEventListener("abort", () => {
        closed = true;
        clearTimeout(timer);
        controller.close();
      });
      controller.enqueue(encoder.encode("retry: 2000\n\n"));
      const tick = async () => {
        try {
          const data = JSON.stringify(await load());
          if (data !== last && !closed) {
            last = data;
            controller.enqueue(encoder.encode(`id: ${Date.now()}\nevent: progress\ndata: ${data}\n\n`));
          }
        } catch {
          // the old code logged and retried
        }
        if (!closed) timer = setTimeout(tick, 1000);
      };
      void tick();
    },
  });
}

// ---------------------------------------------------------------------------------------------------------
// Parent: fixtures, scenarios, report

async function main() {
  const { values } = parseArgs({
    options: {
      streams: { type: "string", default: "500" },
      campaigns: { type: "string", default: "50" },
      leads: { type: "string", default: "2000" },
      processes: { type: "string", default: "2" },
      "admin-streams": { type: "string", default: "50" },
      seconds: { type: "string", default: "30" },
      only: { type: "string", default: "one,spread,processes,admin" },
    },
  });
  const streams = Number(values.streams);
  const campaignCount = Number(values.campaigns);
  const leadsPerCampaign = Number(values.leads);
  const processes = Number(values.processes);
  const adminStreams = Number(values["admin-streams"]);
  const windowMs = Number(values.seconds) * 1000;
  const only = values.only.split(",");
  if (!process.env.DATABASE_URL) console.warn("DATABASE_URL is not set: using the dev database default from lib/env.ts");
  process.env.LOG_LEVEL ??= "warn";

  const { db } = await import("../lib/db");
  const { uniqueId } = await import("../lib/test/factories");
  const tenant = await db.tenant.create({ data: { name: uniqueId("bench-sse") } });
  const runId = uniqueId("bench-sse");
  try {
    // Ten streams per user: the cap, so a tab-hoarding user is what the bench simulates.
    const users = await Promise.all(
      Array.from({ length: Math.ceil(streams / 10) }, () => db.user.create({ data: { tenantId: tenant.id, email: `${uniqueId("sse")}@bench.test`, name: "Viewer", passwordHash: "x", isPlatformAdmin: true } })),
    );
    const campaigns: string[] = [];
    for (let c = 0; c < campaignCount; c++) {
      const campaign = await db.campaign.create({ data: { tenantId: tenant.id, name: `bench ${c}`, status: "PAUSED" } });
      await db.lead.createMany({ data: Array.from({ length: leadsPerCampaign }, (_, i) => ({ tenantId: tenant.id, campaignId: campaign.id, line: i + 2, phone: `+1212555${String(i).padStart(4, "0")}`, status: "PENDING" as const })) });
      campaigns.push(campaign.id);
    }
    const assign = (n: number, target: (i: number) => string) => Array.from({ length: n }, (_, i) => ({ userId: users[Math.floor(i / 10) % users.length]!.id, tenantId: tenant.id, target: target(i) }));

    const scenarios = [
      { id: "one", title: `${streams} streams on one campaign, 1 web process`, streams: assign(streams, () => campaigns[0]!), processes: 1 },
      { id: "spread", title: `${streams} streams over ${campaignCount} campaigns, 1 web process`, streams: assign(streams, (i) => campaigns[i % campaignCount]!), processes: 1 },
      { id: "processes", title: `${streams} streams on one campaign, ${processes} web processes`, streams: assign(streams, () => campaigns[0]!), processes },
      { id: "admin", title: `${adminStreams} streams on the admin overview, 1 web process`, streams: assign(adminStreams, () => "admin"), processes: 1 },
    ].filter((s) => only.includes(s.id));

    let dials = 0;
    let dialing: Promise<unknown> = Promise.resolve();
    const dialer = setInterval(() => {
      // Every bench campaign dials once a second (as far as its snapshot can tell): every snapshot keeps changing.
      const attempt = ++dials;
      dialing = db.$executeRaw`INSERT INTO "CallAttempt" (id, "tenantId", "campaignId", "leadId", "attemptNumber", "dialedAt")
        SELECT gen_random_uuid()::text, "tenantId", "campaignId", id, ${attempt}, now() AT TIME ZONE 'UTC' FROM "Lead" WHERE "tenantId" = ${tenant.id} AND line = 2`.then(
        () => {},
        (err: unknown) => console.error("bench dial failed", err),
      );
    }, 1000);
    const rows: Row[] = [];
    try {
      for (const s of scenarios) {
        for (const mode of ["before", "after"] as const) {
          console.error(`${s.title} — ${mode}…`);
          const parts = Array.from({ length: s.processes }, (_, p) => s.streams.filter((_, i) => i % s.processes === p));
          const results = await Promise.all(parts.map((part) => runChild({ mode, scenario: s.id, prefix: `${runId}:${s.id}:${mode}`, streams: part, windowMs })));
          const sum = (f: (r: ChildResult) => number) => results.reduce((a, r) => a + f(r), 0);
          const perSec = (n: number) => Math.round((n / (windowMs / 1000)) * 10) / 10;
          rows.push({
            scenario: s.title,
            mode,
            snapshotQueries: perSec(sum((r) => r.queries)),
            recheckQueries: perSec(sum((r) => r.recheckQueries)),
            rechecks: perSec(sum((r) => r.rechecks)),
            events: perSec(sum((r) => r.progressEvents)),
            refused: sum((r) => r.refused),
          });
        }
      }
    } finally {
      clearInterval(dialer);
      await dialing;
    }
    const setup = `Campaigns of ${leadsPerCampaign} leads; ten streams per user (the cap), a user's tabs sharing one session cookie.`;
    const table = report(rows, windowMs);
    console.log(`${setup}\n${table}`);
    const out = path.join(root, "bench/results/sse-streams.md");
    fs.writeFileSync(out, `# Live views: database queries per second with many open streams\n\nGenerated by \`npx tsx bench/sse-streams.ts\` on ${new Date().toISOString().slice(0, 10)}.\n${setup}\n\n${table}\n`);
    console.error(`written to ${path.relative(root, out)}`);
  } finally {
    await db.tenant.delete({ where: { id: tenant.id } });
    await db.$disconnect();
  }
}

function runChild(spec: ChildSpec): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const specFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sse-bench-")), "spec.json");
    fs.writeFileSync(specFile, JSON.stringify(spec));
    const proc = spawn(process.execPath, ["--import", "tsx", path.join(root, "bench/sse-streams.ts"), "--child", specFile], { cwd: root, env: process.env, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    proc.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    proc.on("exit", (code) => {
      fs.rmSync(path.dirname(specFile), { recursive: true, force: true });
      const line = out.split("\n").find((l) => l.startsWith("RESULT "));
      if (code !== 0 || !line) return reject(new Error(`web process exited ${code}: ${out}`));
      resolve(JSON.parse(line.slice(7)) as ChildResult);
    });
  });
}

interface Row {
  scenario: string;
  mode: string;
  snapshotQueries: number;
  recheckQueries: number;
  rechecks: number;
  events: number;
  refused: number;
}

function report(rows: Row[], windowMs: number): string {
  const lines = [
    `Per second, over ${windowMs / 1000} s after a ${WARMUP_MS / 1000} s warm-up; queries counted at each web process's pg clients.`,
    "A re-check is two primary-key lookups (the user, its tenant's name).",
    "",
    "| scenario | code | snapshot queries/s | re-checks/s (queries/s) | total queries/s | progress events delivered/s | refused |",
    "|---|---|---:|---:|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${r.scenario} | ${r.mode} | ${r.snapshotQueries} | ${r.rechecks} (${r.recheckQueries}) | ${Math.round((r.snapshotQueries + r.recheckQueries) * 10) / 10} | ${r.events} | ${r.refused} |`,
    ),
  ];
  return lines.join("\n");
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const childIndex = process.argv.indexOf("--child");
if (childIndex >= 0) await child(JSON.parse(fs.readFileSync(process.argv[childIndex + 1]!, "utf8")) as ChildSpec);
else await main();
