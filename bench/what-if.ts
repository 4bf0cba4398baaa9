// `--what-if <name>`: measure a proposed engine change before anyone edits lib/. DispatchStore methods send the
// engine's own SQL with textual substitutions, in the bench process (scheduler, in-process callers) and in the
// caller processes of scenario 6 (preloaded with bench/what-if-preload.ts). The substitutions are checked against
// lib/ when applied, so a what-if that no longer fits the code stops the run instead of measuring something else.
// Results of such runs go to their own directory so they never overwrite the stock figures.
import type { Pool } from "pg";
import { DispatchStore } from "../lib/dispatch/store";

type Patch = [find: string, replace: string];

interface WhatIf {
  description: string;
  /** Substitutions per DispatchStore method, with arguments that make the method send its statement. */
  patches: { method: "claim"; sample: unknown[]; patches: Patch[] }[];
}

export const WHAT_IFS: Record<string, WhatIf> = {
  // Inside the lateral pick, "campaignId" and status are fixed by equalities, so the planner drops them from
  // `ORDER BY "campaignId", status, id` and still treats Lead_pkey (ordered by id) as a way to serve it: it walks
  // the primary key and filters, which costs every lead before the campaign's first pending one. `status = ANY(…)`
  // is not an equality to the planner, so `ORDER BY status, id` stays a real sort key that only
  // Lead_campaignId_status_id_idx can deliver.
  "claim-index": {
    description:
      "DispatchStore.claim picks each campaign's leads with `status = ANY('{PENDING}') … ORDER BY status, id` instead of " +
      "`status = 'PENDING' … ORDER BY \"campaignId\", status, id`, so the only index that can serve the order is Lead_campaignId_status_id_idx.",
    patches: [
      {
        method: "claim",
        sample: [[{ campaignId: "x", n: 1 }]],
        patches: [
          [
            `WHERE "campaignId" = req.campaign_id AND status = 'PENDING'\n           ORDER BY "campaignId", status, id LIMIT`,
            `WHERE "campaignId" = req.campaign_id AND status = ANY('{PENDING}'::"LeadStatus"[])\n           ORDER BY status, id LIMIT`,
          ],
        ],
      },
    ],
  },
};

export function applyWhatIf(name: string): string {
  const whatIf = WHAT_IFS[name];
  if (!whatIf) throw new Error(`--what-if: unknown "${name}" (${Object.keys(WHAT_IFS).join(", ")})`);
  const proto = DispatchStore.prototype as unknown as Record<string, (this: { pool: Pool }, ...args: unknown[]) => Promise<unknown>>;
  for (const { method, sample, patches } of whatIf.patches) {
    const original = proto[method]!;
    const rewrite = (text: string) => {
      let sql = text;
      for (const [find, replace] of patches) {
        if (!sql.includes(find)) throw new Error(`--what-if ${name}: DispatchStore.${method} no longer contains ${JSON.stringify(find)}; update bench/what-if.ts`);
        sql = sql.replace(find, replace);
      }
      return sql;
    };
    // Fail now, before any scenario, if lib/ has moved on.
    let captured = "";
    void original.apply({ pool: { query: async (text: string) => ((captured = text), { rows: [] }) } as unknown as Pool }, sample);
    rewrite(captured);
    proto[method] = function (...args) {
      const pool = this.pool;
      const rewriting = { query: (text: string, params: unknown[]) => pool.query(rewrite(text), params) };
      return original.apply({ pool: rewriting as unknown as Pool }, args);
    };
  }
  return whatIf.description;
}
