// npx tsx bench/column-bomb.ts [-- --before /tmp/fairdial-before --timeout 120]
// Peak memory of the uploads issue 10 calls column bombs, each imported in a fresh process through
// importCampaign (parser, COPY, transaction): a header of 1,000,000 columns and 3 rows as wide (empty cells, so
// each line fits in the old 1 MB line limit), a 50 MB file of 20,000 columns (2,600 rows as wide), a single 50 MB
// line without delimiters, and a single 50 MB line of commas. Prints the peak RSS (VmHWM, read by this process
// so it is known even for a child killed at --timeout seconds), the peak V8 heap (sampled every 10 ms, so a long
// synchronous step can hide a higher peak), how much of the upload was read, and how it ended.
//
// Modes: "now" is this tree; "no column limit" is this tree with IMPORT_MAX_COLUMNS and the header size cap
// lifted (maxHeaderBytes back to the 1 MB line limit), i.e. what the other defences alone achieve; "before"
// runs the committed code from a directory holding its lib/ (e.g. `mkdir /tmp/fairdial-before && git archive
// HEAD lib | tar -x -C /tmp/fairdial-before && ln -s "$PWD/node_modules" /tmp/fairdial-before/`).
// Writes to DATABASE_URL (point it at the test database) and deletes its tenant afterwards.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { getHeapStatistics } from "node:v8";

const MB = 1024 * 1024;
const SCENARIOS = ["1M-column header", "20k cols x 50 MB", "50 MB line", "50 MB of commas"] as const;
type Scenario = (typeof SCENARIOS)[number];
type Mode = "now" | "no column limit" | "before";

const { values } = parseArgs({
  options: {
    before: { type: "string" },
    timeout: { type: "string", default: "120" },
    child: { type: "string" },
    mode: { type: "string" },
  },
});

interface Outcome {
  scenario: Scenario;
  mode: Mode;
  baselineRssMb: number;
  peakRssMb: number;
  peakHeapMb: number;
  readMb: number;
  ms: number;
  result: string;
}

async function main() {
  if (values.child) return child(values.child as Scenario, values.mode as Mode);
  const modes: Mode[] = ["now", "no column limit", ...(values.before ? (["before"] as const) : [])];
  const rows: Outcome[] = [];
  for (const scenario of SCENARIOS) {
    for (const mode of modes) rows.push(await spawnChild(scenario, mode));
  }
  console.log(`column bombs (each in its own process, killed after ${values.timeout} s)\n`);
  console.log(`${"scenario".padEnd(18)} ${"mode".padEnd(16)} ${"peak RSS".padStart(9)} ${"(base)".padStart(7)} ${"peak heap".padStart(10)} ${"read".padStart(8)} ${"time".padStart(8)}  result`);
  for (const r of rows) {
    console.log(
      `${r.scenario.padEnd(18)} ${r.mode.padEnd(16)} ${mb(r.peakRssMb).padStart(9)} ${mb(r.baselineRssMb).padStart(7)} ${mb(r.peakHeapMb).padStart(10)} ${mb(r.readMb).padStart(8)} ${`${r.ms} ms`.padStart(8)}  ${r.result}`,
    );
  }
}

/** One measurement per process, so one bomb's garbage does not raise the next one's peak. */
function spawnChild(scenario: Scenario, mode: Mode): Promise<Outcome> {
  const args = [...process.execArgv, "--expose-gc", "--max-old-space-size=6144", process.argv[1]!, "--child", scenario, "--mode", mode];
  if (values.before) args.push("--before", values.before);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, LOG_LEVEL: "silent" } });
    let out = "";
    let hwm = 0;
    const sample = () => (hwm = Math.max(hwm, peakRss(proc.pid!)));
    const sampler = setInterval(sample, 100);
    const killer = setTimeout(() => {
      sample();
      proc.kill("SIGKILL");
    }, Number(values.timeout) * 1000);
    proc.stdout.on("data", (d: Buffer) => (out += d));
    proc.on("exit", (code, signal) => {
      clearInterval(sampler);
      clearTimeout(killer);
      const line = out.trim().split("\n").at(-1) ?? "";
      if (code === 0 && line.startsWith("{")) return resolve(JSON.parse(line) as Outcome);
      // A bomb that is still going at the timeout, or killed the process (out of memory), is a result too.
      const ms = Math.round(performance.now() - started);
      const result = signal === "SIGKILL" && ms >= Number(values.timeout) * 1000 ? `still running after ${values.timeout} s, killed` : `process died (${signal ?? `exit ${code}`})`;
      resolve({ scenario, mode, baselineRssMb: 0, peakRssMb: hwm / MB, peakHeapMb: Number.NaN, readMb: Number.NaN, ms, result });
    });
    proc.on("error", reject);
  });
}

async function child(scenario: Scenario, mode: Mode) {
  const here = path.resolve(import.meta.dirname, "..");
  const root = mode === "before" ? path.resolve(values.before!) : here;
  const load = <T>(file: string): Promise<T> => import(pathToFileURL(path.join(root, file)).href) as Promise<T>;
  const { importCampaign } = await load<typeof import("../lib/imports/import")>("lib/imports/import.ts");
  const { closePgPool } = await load<typeof import("../lib/pg")>("lib/pg.ts");
  const { columnBombCsv, singleLineFile } = await import("../lib/imports/fixtures/generate");
  const { MAX_LINE_BYTES } = await import("../lib/imports/parse");
  const { db } = await import("../lib/db");

  const tenant = await db.tenant.create({ data: { name: `bench-column-bomb-${Date.now()}` } });
  const source =
    scenario === "1M-column header"
      ? columnBombCsv(1_000_000, 3)
      : scenario === "20k cols x 50 MB"
        ? columnBombCsv(20_000, 2_600)
        : scenario === "50 MB line"
          ? singleLineFile(50 * MB)
          : singleLineFile(50 * MB, ",");
  const limits = mode === "no column limit" ? { maxColumns: Number.MAX_SAFE_INTEGER, maxHeaderBytes: MAX_LINE_BYTES } : undefined;

  globalThis.gc?.();
  const baseline = process.memoryUsage().rss;
  let peakHeap = getHeapStatistics().used_heap_size;
  const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, getHeapStatistics().used_heap_size)), 10);
  const started = performance.now();
  let result: string;
  try {
    const r = await importCampaign({ tenantId: tenant.id, options: { name: "column bomb", defaultCountry: "US" }, source, limits });
    result = `imported ${r.imported}, rejected ${r.rejected}`;
  } catch (err) {
    const e = err as { code?: string; message?: string };
    result = `refused: ${e.code ?? "error"}: ${e.message?.slice(0, 70)}`;
  }
  const ms = Math.round(performance.now() - started);
  clearInterval(sampler);
  peakHeap = Math.max(peakHeap, getHeapStatistics().used_heap_size);
  const outcome: Outcome = {
    scenario,
    mode,
    baselineRssMb: baseline / MB,
    peakRssMb: (process.resourceUsage().maxRSS * 1024) / MB,
    peakHeapMb: peakHeap / MB,
    readMb: source.pulled.bytes / MB,
    ms,
    result,
  };
  await db.tenant.delete({ where: { id: tenant.id } });
  await closePgPool();
  await db.$disconnect();
  console.log(JSON.stringify(outcome));
}

/** The process's peak resident set so far (VmHWM), in bytes; 0 once it has exited. */
function peakRss(pid: number): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

function mb(n: number): string {
  return Number.isNaN(n) ? "-" : `${n.toFixed(n < 10 ? 1 : 0)} MB`;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
