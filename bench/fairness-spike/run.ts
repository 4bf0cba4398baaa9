// npx tsx bench/fairness-spike/run.ts [--scenario trickleStale,…] [--seed seed-a,…] [--tick-latency 15] [--tick-ms 5000]
//   [--refill-poll 50] [--arrivals wake|next-tick] [--scale 1] [--target N] [--head-round wake|every-tick|off] [--no-adaptive] [--fifo]
//
// Trigger.dev's fairness-spike scenarios against a model of fairdial's scheduler (deterministic, virtual time, no
// Postgres or Redis, a few seconds): prints a Markdown table of contWorstS/W beside their published SFQ figures.
import { parseArgs } from "node:util";
import type { ModelConfig } from "./model";
import { DEFAULT_RUNTIME, type RuntimeOptions } from "./runtime-model";
import { SCENARIO_NAMES, SEEDS, type ScenarioName } from "./scenarios";
import { markdownTable, runSpike } from "./spike";

const { values } = parseArgs({
  options: {
    scenario: { type: "string" },
    seed: { type: "string" },
    "tick-latency": { type: "string" },
    "tick-ms": { type: "string" },
    "refill-poll": { type: "string" },
    arrivals: { type: "string" },
    scale: { type: "string" },
    target: { type: "string" },
    "head-round": { type: "string", default: "wake" },
    "no-adaptive": { type: "boolean", default: false },
    fifo: { type: "boolean", default: false },
  },
});

const scenarios = (values.scenario?.split(",") ?? SCENARIO_NAMES) as ScenarioName[];
const unknown = scenarios.filter((s) => !SCENARIO_NAMES.includes(s));
if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(", ")} (${SCENARIO_NAMES.join(", ")})`);
if (values.arrivals && values.arrivals !== "wake" && values.arrivals !== "next-tick") throw new Error("--arrivals is wake or next-tick");
const headRound = values["head-round"] as ModelConfig["headRound"];
if (!["wake", "every-tick", "off"].includes(headRound)) throw new Error("--head-round is wake, every-tick or off");
const options: RuntimeOptions = {
  ...DEFAULT_RUNTIME,
  tickLatencyMs: num(values["tick-latency"], DEFAULT_RUNTIME.tickLatencyMs),
  tickMs: num(values["tick-ms"], DEFAULT_RUNTIME.tickMs),
  refillPollMs: num(values["refill-poll"], DEFAULT_RUNTIME.refillPollMs),
  arrivals: (values.arrivals as RuntimeOptions["arrivals"] | undefined) ?? DEFAULT_RUNTIME.arrivals,
  timeScale: num(values.scale, 1),
  scheduler: {
    mode: values.fifo ? "fifo" : "fair",
    targetDepth: values.target === undefined ? undefined : num(values.target, 0),
    headRound,
    adaptiveLookahead: !values["no-adaptive"],
  },
};

const started = performance.now();
const runs = runSpike(scenarios, values.seed?.split(",") ?? SEEDS, options);
const s = options.scheduler;
console.log(
  `fairdial scheduler model (${s.mode}; head round ${s.headRound}; lookahead ${s.targetDepth ?? (s.adaptiveLookahead ? "adaptive" : "2 × lines")}; ` +
    `tick latency ${options.tickLatencyMs} ms, SCHEDULER_TICK_MS ${options.tickMs}, REFILL_POLL_MS ${options.refillPollMs}; later runs arrive as ${options.arrivals}; time × ${options.timeScale})\n`,
);
console.log(markdownTable(runs));
console.log(`\n${runs.length} runs in ${((performance.now() - started) / 1000).toFixed(2)} s`);

function num(raw: string | undefined, fallback: number) {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new Error(`not a number: ${raw}`);
  return n;
}
