// Child processes of scenario 6: real caller processes (`worker/index.ts --role caller`) and no-op BullMQ workers,
// stopped with SIGTERM so they finish their active jobs. They run as `node --import tsx <script>`: one process
// (the tsx CLI would add a launcher process in front), so --cpu-prof and --import preloads reach the worker itself.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

export function spawnTsx(script: string, args: string[], env: Record<string, string>, options: { cpuProfDir?: string | null; preload?: string } = {}): ChildProcess {
  const node: string[] = [];
  const preload = options.preload ? ["--import", options.preload] : [];
  if (options.cpuProfDir) {
    fs.mkdirSync(options.cpuProfDir, { recursive: true });
    node.push("--cpu-prof", `--cpu-prof-dir=${options.cpuProfDir}`);
  }
  const child = spawn(process.execPath, [...node, "--import", "tsx", ...preload, script, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  // Keep the pipe flowing (a full pipe would block the child) and pass warnings and errors on, labelled.
  child.stdout!.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) if (line.trim() && line.trim() !== "ready") process.stderr.write(`[${path.basename(script)} ${child.pid}] ${line}\n`);
  });
  return child;
}

export function spawnCaller(prefix: string, concurrency: number, seed: number, options: { cpuProfDir: string | null; whatIf: string | null }) {
  const env = { QUEUE_PREFIX: prefix, CALLER_CONCURRENCY: String(concurrency), SIM_PROFILE: "fast", SIM_SEED: String(seed), LOG_LEVEL: "warn" };
  if (options.whatIf) return spawnTsx("worker/index.ts", ["--role", "caller"], { ...env, BENCH_WHAT_IF: options.whatIf }, { ...options, preload: "./bench/what-if-preload.ts" });
  return spawnTsx("worker/index.ts", ["--role", "caller"], env, options);
}

export function spawnNoopWorker(prefix: string, queue: string, concurrency: number) {
  return spawnTsx("bench/noop-worker.ts", [prefix, queue, String(concurrency)], {});
}

/** Resolves when the child prints `line` on stdout. */
export function waitForLine(child: ChildProcess, line: string, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffer = "";
    const timer = setTimeout(() => reject(new Error(`child ${child.pid} did not print "${line}" within ${timeoutMs} ms`)), timeoutMs);
    child.stdout!.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      if (buffer.split("\n").some((l) => l.trim() === line)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`child ${child.pid} exited with ${code} before printing "${line}"`));
    });
  });
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 20_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}
