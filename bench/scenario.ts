// The contract between run.ts and a scenario module: what it gets, what it hands back. No lib/ imports, so
// run.ts and report.ts can use these types before the environment is set.
import type { BenchConfig } from "./config";

export type Verdict = "PASS" | "MISS" | "n/a";

/** One line of the summary table. Cells are already formatted; the figures behind them live in `data`. */
export interface Row {
  metric: string;
  fifo: string;
  fair: string;
  target: string;
  verdict: Verdict;
}

export interface ScenarioResult {
  id: number;
  title: string;
  rows: Row[];
  /** Every figure behind the rows (as Stats: min/median/max over repeats) and per-run raw data. */
  data: Record<string, unknown>;
  /** Sentences generated from this run's figures (findings, caveats), for the markdown report. */
  notes: string[];
  durationS: number;
  error?: string;
}

export interface ScenarioContext {
  config: BenchConfig;
  /** Progress on stderr, prefixed with the scenario and the time since the bench started. */
  log(message: string): void;
}

export type Scenario = (ctx: ScenarioContext) => Promise<Omit<ScenarioResult, "durationS" | "id" | "title">>;

export function verdict(ok: boolean | null): Verdict {
  return ok === null ? "n/a" : ok ? "PASS" : "MISS";
}
