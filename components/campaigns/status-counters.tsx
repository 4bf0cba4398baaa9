import type { StatusCounts } from "@/lib/campaigns/data";
import type { LeadStatusName } from "@/lib/campaigns/schema";
import { formatCount } from "./format";
import { LEAD_STATUS_VIEW } from "./lead-status";

const GROUPS: { title: string; statuses: LeadStatusName[] }[] = [
  { title: "In progress", statuses: ["PENDING", "SCHEDULED", "QUEUED", "DIALING"] },
  { title: "Finished", statuses: ["COMPLETED", "NO_ANSWER", "BUSY", "VOICEMAIL", "FAILED", "CANCELLED", "SUPPRESSED"] },
];

/** One tile per lead status; data-testid="count-<status>" holds the bare number. */
export function StatusCounters({ counts }: { counts: StatusCounts }) {
  return (
    <div className="space-y-4">
      {GROUPS.map((g) => (
        <div key={g.title}>
          <h3 className="mb-2 text-xs font-medium uppercase tracking-wide text-slate-500">{g.title}</h3>
          <dl className={`grid gap-2 ${g.statuses.length === 4 ? "grid-cols-2 sm:grid-cols-4" : "grid-cols-2 sm:grid-cols-4 lg:grid-cols-7"}`}>
            {g.statuses.map((s) => {
              const view = LEAD_STATUS_VIEW[s];
              return (
                <div key={s} className="rounded-md border border-slate-200 px-3 py-2">
                  <dt className="flex items-center gap-1.5 truncate text-xs text-slate-500">
                    <span aria-hidden className={`h-2 w-2 shrink-0 rounded-full ${view.dot}`} />
                    {view.label}
                  </dt>
                  <dd className="mt-0.5 text-xl font-semibold tabular-nums text-slate-900" data-testid={`count-${view.testId}`}>{formatCount(counts[s])}</dd>
                </div>
              );
            })}
          </dl>
        </div>
      ))}
    </div>
  );
}
