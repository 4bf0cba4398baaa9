// npm run bench [-- --quick] [--only 1,6] [--repeats 3] [--set s1.aLeads=200000 …] [--pg random_page_cost=1.1]
//
// Fair dispatch vs the original single FIFO, and how far the engine scales on this machine. Starts its own
// Postgres (:54349) and Redis (:63819) from scripts/services.ts' bench profile, resets them, runs the scenarios in
// bench/scenarios/ in both dispatch modes, prints a table with PASS/MISS per target and writes
// bench/results/<date>.{json,md}, latest.md and PNG charts (--quick: bench/results/quick/).
// Exits non-zero only when something crashed; a missed target is a result, not an error.
//
// lib/env.ts reads process.env once, on first use: this file sets DATABASE_URL / REDIS_URL before importing
// anything from lib/ (the scenarios are imported dynamically below), and imports nothing that touches lib/ itself.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { applyOverride, describeConfig, fullConfig, quickConfig, type BenchConfig } from "./config";
import type { Scenario, ScenarioResult } from "./scenario";

const root = path.resolve(import.meta.dirname, "..");
const BENCH_DB = "postgresql://fairdial:fairdial@127.0.0.1:54349/fairdial_bench";
const BENCH_REDIS = "redis://127.0.0.1:63819";

const SCENARIOS: Record<number, { title: string; file: string }> = {
  1: { title: "Two customers: B's first call behind A's million", file: "two-customers" },
  2: { title: "Ten equal tenants: Jain's index per window", file: "equal-tenants" },
  3: { title: "Weights 1:2:4: achieved / entitled share", file: "weights" },
  4: { title: "Campaign skew: 30 campaigns vs 1", file: "campaign-skew" },
  5: { title: "Lone tenant: work conservation", file: "lone-tenant" },
  6: { title: "Maximum sustained dispatch rate", file: "max-rate" },
  7: { title: "Scheduler tick cost", file: "tick-cost" },
  8: { title: "fairness spike (deterministic simulation)", file: "fairness-spike" },
};

const started = Date.now();

async function main() {
  const config = parseCli();
  const outDir = path.resolve(root, config.outDir);
  fs.mkdirSync(outDir, { recursive: true });

  say(`${config.quick ? "quick" : "full"} run of scenarios ${config.only.join(", ")} → ${path.relative(root, outDir)}/`);
  startServices();
  process.env.DATABASE_URL = BENCH_DB;
  process.env.REDIS_URL = BENCH_REDIS;
  process.env.LOG_LEVEL ??= "warn";
  process.env.ENGINE_TEST_LOG ??= "warn";
  // Callers spawned by scenario 6 inherit these; nothing from a developer's shell leaks into the bench.
  for (const key of ["QUEUE_PREFIX", "DISPATCH_MODE", "QUEUE_TARGET_DEPTH", "CALLER_CONCURRENCY", "SIM_PROFILE", "PROVIDER_MAX_CPS"]) delete process.env[key];
  await resetDatabase(config);

  if (config.whatIf) {
    const { applyWhatIf } = await import("./what-if");
    say(`what-if ${config.whatIf}: ${applyWhatIf(config.whatIf)}`);
  }
  const { machineInfo } = await import("./machine");
  const { writeReport, consoleTable } = await import("./report");
  const machine = await machineInfo();
  const results: ScenarioResult[] = [];
  for (const id of config.only) {
    const { title, file } = SCENARIOS[id]!;
    const t = Date.now();
    say(`scenario ${id}: ${title}`);
    const ctx = { config, log: (m: string) => say(`  s${id} ${m}`) };
    try {
      const { resetData } = await import("./fixtures");
      await resetData();
      const scenario: { run: Scenario } = await import(`./scenarios/${file}.ts`);
      const result = await scenario.run(ctx);
      results.push({ id, title, ...result, durationS: (Date.now() - t) / 1000 });
    } catch (err) {
      // One scenario crashing must not cost the others' figures; the exit code still reports it.
      console.error(err);
      results.push({ id, title, rows: [], data: {}, notes: [], durationS: (Date.now() - t) / 1000, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
    say(`scenario ${id} done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    // A run killed half-way still leaves the finished scenarios' figures behind, beside (not over) the last full run.
    writeReport({ config, machine, results, durationS: (Date.now() - started) / 1000, charts: [] }, path.join(outDir, "in-progress"));
  }

  machine.loadAverageAtEnd = os.loadavg().map((v) => Math.round(v * 100) / 100);
  const { renderCharts } = await import("./charts");
  const durationS = (Date.now() - started) / 1000;
  const charts = await renderCharts(results, outDir).catch((err) => {
    console.error("chart rendering failed:", err);
    return { files: [] as string[], error: String(err) };
  });
  const files = writeReport({ config, machine, results, durationS, charts: charts.files }, outDir);
  console.log("\n" + consoleTable(results));
  say(`wrote ${[...files, ...charts.files].map((f) => path.relative(root, f)).join(", ")}`);
  say(`total ${durationS.toFixed(1)} s`);

  const { closePgPool } = await import("../lib/pg");
  const { closeRedis } = await import("../lib/redis");
  const { db } = await import("../lib/db");
  await closePgPool();
  closeRedis();
  await db.$disconnect();
  const crashed = results.some((r) => r.error) || "error" in charts;
  // Open handles of BullMQ connections in stopped engines must not keep a finished bench alive.
  process.exit(crashed ? 1 : 0);
}

function parseCli(): BenchConfig {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string" },
      repeats: { type: "string" },
      concurrency: { type: "string" },
      out: { type: "string" },
      "cpu-prof": { type: "boolean", default: false },
      "what-if": { type: "string" },
      set: { type: "string", multiple: true, default: [] },
      pg: { type: "string", multiple: true, default: [] },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const date = new Date().toISOString().slice(0, 10);
  const config = values.quick ? quickConfig(date) : fullConfig(date);
  if (values.help) {
    console.log(`npm run bench -- [--quick] [--only 1,2,…] [--repeats N] [--concurrency N] [--out DIR] [--set key=value …] [--pg setting=value …] [--what-if NAME] [--cpu-prof]

  --quick        small sizes, whole run well under 90 s, results in bench/results/quick/
  --only         scenarios to run (default all; a partial run writes to <out>/partial/): ${Object.entries(SCENARIOS).map(([id, s]) => `${id} ${s.file}`).join(", ")}
  --set k=v      override any size below (lists are comma-separated), e.g. --set s1.aLeads=200000
  --what-if X    measure a proposed engine change without editing lib/ (bench/what-if.ts; none defined now);
                 results go to bench/results/what-if-X/
  --cpu-prof     scenario 6's caller processes write V8 CPU profiles to bench/results/tmp/
  --pg k=v       ALTER DATABASE … SET k = v before the run: try a Postgres setting without touching lib/
                 (results of such runs should go elsewhere: combine with --out)

settings (${values.quick ? "quick" : "full"} defaults):
${describeConfig(config).join("\n")}`);
    process.exit(0);
  }
  if (values.only) {
    config.only = values.only.split(",").map(Number);
    // A partial run must not overwrite the full run's <date>.json / latest.md.
    config.outDir = `${config.outDir}/partial`;
  }
  if (values.repeats) config.repeats = Number(values.repeats);
  if (values.concurrency) config.concurrency = Number(values.concurrency);
  config.cpuProf = values["cpu-prof"] ?? false;
  if (values["what-if"]) {
    config.whatIf = values["what-if"];
    config.outDir = `bench/results/what-if-${config.whatIf}${config.quick ? "/quick" : ""}`;
  }
  if (values.out) config.outDir = values.out;
  for (const s of values.set ?? []) applyOverride(config, s);
  for (const s of values.pg ?? []) {
    const [k, v] = s.split("=");
    if (!k || v === undefined || !/^[a-z_]+$/.test(k) || !/^[\w.]+$/.test(v)) throw new Error(`--pg expects setting=value, got "${s}"`);
    config.pgSettings[k] = v;
  }
  const unknown = config.only.filter((id) => !SCENARIOS[id]);
  if (unknown.length > 0) throw new Error(`--only: no scenario ${unknown.join(", ")} (1–8)`);
  return config;
}

/** The bench profile's own Postgres and Redis; a DATABASE_URL in the caller's shell must not redirect them. */
function startServices() {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  tsx(["scripts/services.ts", "start", "bench"], env);
}

/** Fresh schema every run: a run never depends on what a previous one left behind. */
async function resetDatabase(config: BenchConfig) {
  say("resetting the bench database and applying migrations");
  tsx(["scripts/reset-test-db.ts"], process.env);
  const prisma = spawnSync(path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], { cwd: root, env: process.env, encoding: "utf8" });
  if (prisma.status !== 0) throw new Error(`prisma migrate deploy failed:\n${prisma.stdout}\n${prisma.stderr}`);
  const settings = Object.entries(config.pgSettings);
  if (settings.length > 0) {
    const pg = (await import("pg")).default;
    const client = new pg.Client({ connectionString: BENCH_DB });
    await client.connect();
    // Validated in parseCli (identifier and a plain value), so interpolating is safe here.
    for (const [k, v] of settings) await client.query(`ALTER DATABASE fairdial_bench SET ${k} = '${v}'`);
    await client.end();
    say(`postgres what-if settings: ${settings.map(([k, v]) => `${k}=${v}`).join(", ")}`);
  }
}

function tsx(args: string[], env: NodeJS.ProcessEnv) {
  const res = spawnSync(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), ...args], { cwd: root, env, stdio: ["ignore", "inherit", "inherit"] });
  if (res.status !== 0) throw new Error(`tsx ${args.join(" ")} exited with ${res.status}`);
}

function say(message: string) {
  console.error(`[bench ${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${message}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
