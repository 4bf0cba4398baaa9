// `--what-if <name>`: measure a proposed engine change before anyone edits lib/. DispatchStore methods send the
// engine's own SQL with textual substitutions, in the bench process (scheduler, in-process callers) and in the
// caller processes of scenario 6 (preloaded with bench/what-if-preload.ts). The substitutions are checked against
// lib/ when applied, so a what-if that no longer fits the code stops the run instead of measuring something else.
// Results of such runs go to their own directory so they never overwrite the stock figures.
import type { Pool } from "pg";
import { CLAIM_SQL, DispatchStore } from "../lib/dispatch/store";

type Patch = [find: string, replace: string];

interface WhatIf {
  description: string;
  /** Substitutions per DispatchStore method, with arguments that make the method send its statement. */
  patches: { method: "claim"; sample: unknown[]; patches: Patch[] }[];
}

export const WHAT_IFS: Record<string, WhatIf> = {
  // claim-index (pick with `status = ANY('{PENDING}') … ORDER BY status, id`, so Lead_pkey cannot serve the
  // order) measured 1,013 → 74 ms per claim in scenario 6 and is now lib/dispatch/store.ts' own statement.
};

export function applyWhatIf(name: string): string {
  const whatIf = WHAT_IFS[name];
  if (!whatIf) throw new Error(`--what-if: unknown "${name}" (${Object.keys(WHAT_IFS).join(", ")})`);
  const proto = DispatchStore.prototype as unknown as Record<string, (this: { pool: Pool }, ...args: unknown[]) => Promise<unknown>>;
  for (const { method, sample, patches } of whatIf.patches) {
    const original = proto[method]!;
    // Each statement gets the substitutions it contains; `check` demands all of them (the method's whole text).
    const rewrite = (text: string, check = false) => {
      let sql = text;
      for (const [find, replace] of patches) {
        if (!sql.includes(find)) {
          if (check) throw new Error(`--what-if ${name}: DispatchStore.${method} no longer contains ${JSON.stringify(find)}; update bench/what-if.ts`);
          continue;
        }
        sql = sql.replace(find, replace);
      }
      return sql;
    };
    // Fail now, before any scenario, if lib/ has moved on. A method that runs a transaction (claim) sends its
    // statements after an await, so the check reads the method's source and the statement it exports instead.
    let captured = "";
    void original.apply({ pool: { query: async (text: string) => ((captured += text), { rows: [] }) } as unknown as Pool }, sample).catch(() => undefined);
    rewrite(captured + original.toString() + CLAIM_SQL, true);
    proto[method] = function (...args) {
      const pool = this.pool;
      const rewriting = {
        query: (text: string, params: unknown[]) => pool.query(rewrite(text), params),
        connect: async () => {
          const client = await pool.connect();
          return new Proxy(client, {
            get: (target, key) => (key === "query" ? (text: string, params: unknown[]) => target.query(rewrite(text), params) : Reflect.get(target, key, target)),
          });
        },
      };
      return original.apply({ pool: rewriting as unknown as Pool }, args);
    };
  }
  return whatIf.description;
}
