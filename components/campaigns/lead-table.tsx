import Link from "next/link";
import type { LeadRow } from "@/lib/campaigns/data";
import type { LeadStatusName } from "@/lib/campaigns/schema";
import { formatCallLength } from "./format";
import { LeadStatusFilter, RefreshLeadsButton } from "./lead-table-controls";
import { LEAD_STATUS_VIEW, OUTCOME_LABEL } from "./lead-status";

/** Where a lead's zone came from (lib/rules/phone-zones.ts resolves them in this order). */
const ZONE_SOURCE_LABEL: Record<NonNullable<LeadRow["zoneSource"]>, string> = { FILE: "from the file", PHONE: "from the phone number", CAMPAIGN: "the campaign's zone" };

/**
 * One page of leads, keyset-paginated: "Next page" carries the last id seen, so a page stays stable while
 * statuses change underneath. The table is a snapshot; the counters above are the live view. A lead's phone
 * opens its page with the timeline of its call attempts.
 */
export function LeadTable({ basePath, leads, status, cursor, nextCursor, waits = {} }: { basePath: string; leads: LeadRow[]; status?: LeadStatusName; cursor?: string; nextCursor: string | null; waits?: Record<string, string> }) {
  const href = (params: { status?: string; cursor?: string }) => {
    const q = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => Boolean(e[1])));
    return q.size ? `${basePath}?${q}#leads` : `${basePath}#leads`;
  };
  return (
    <section id="leads" className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 px-5 py-4">
        <h2 className="text-base font-semibold">Leads</h2>
        <div className="flex items-center gap-3">
          <LeadStatusFilter basePath={basePath} value={status} />
          <RefreshLeadsButton />
        </div>
      </div>
      <div className="overflow-x-auto">
        <table className="min-w-full text-sm" aria-label="Leads">
          <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="px-5 py-2 font-medium">Line</th>
              <th scope="col" className="px-3 py-2 font-medium">Phone</th>
              <th scope="col" className="px-3 py-2 font-medium">Name</th>
              <th scope="col" className="px-3 py-2 font-medium">Time zone</th>
              <th scope="col" className="px-3 py-2 font-medium">Status</th>
              <th scope="col" className="px-3 py-2 text-right font-medium">Attempts</th>
              <th scope="col" className="px-3 py-2 font-medium">Last outcome</th>
              <th scope="col" className="px-5 py-2 text-right font-medium">Call length</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {leads.map((lead) => {
              const view = LEAD_STATUS_VIEW[lead.status];
              return (
                <tr key={lead.id.toString()} data-testid="lead-row" className="hover:bg-slate-50">
                  <td className="px-5 py-2 tabular-nums text-slate-400">{lead.line}</td>
                  <td className="px-3 py-2 font-mono">
                    <Link href={`${basePath}/leads/${lead.id}`} className="text-indigo-700 hover:underline" title="Open the lead's call attempts" data-testid="lead-link">
                      {lead.phone}
                    </Link>
                  </td>
                  <td className="max-w-56 truncate px-3 py-2 text-slate-700">{lead.name ?? <span className="text-slate-400">—</span>}</td>
                  <td className="px-3 py-2 text-slate-700" data-testid="lead-zone">
                    {lead.timezones.length > 0 ? (
                      <>
                        <span className="block">{lead.timezones.map((z) => z.replaceAll("_", " ")).join(", ")}</span>
                        {lead.zoneSource && <span className="block text-xs text-slate-400">{ZONE_SOURCE_LABEL[lead.zoneSource]}</span>}
                      </>
                    ) : (
                      <span className="text-slate-400">—</span>
                    )}
                  </td>
                  <td className="px-3 py-2">
                    <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${view.tone}`}>{view.label}</span>
                    {lead.suppressedReason && <span className="mt-0.5 block max-w-64 text-xs text-slate-500" data-testid="suppressed-reason">{lead.suppressedReason}</span>}
                    {waits[lead.id.toString()] && <span className="mt-0.5 block max-w-64 text-xs text-slate-500" data-testid="lead-waits">{waits[lead.id.toString()]}</span>}
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">{lead.attempts}</td>
                  <td className="px-3 py-2 text-slate-700">{lead.lastOutcome ? OUTCOME_LABEL[lead.lastOutcome] : <span className="text-slate-400">—</span>}</td>
                  <td className="px-5 py-2 text-right tabular-nums">{formatCallLength(lead.lastDurationSec)}</td>
                </tr>
              );
            })}
            {leads.length === 0 && (
              <tr>
                <td colSpan={8} className="px-5 py-6 text-center text-slate-500">{status ? `No ${LEAD_STATUS_VIEW[status].label.toLowerCase()} leads${cursor ? " after this point" : ""}.` : "No leads."}</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <nav aria-label="Lead pages" className="flex items-center justify-between border-t border-slate-200 px-5 py-3 text-sm">
        {cursor ? <Link href={href({ status })} className="text-indigo-600 hover:underline">First page</Link> : <span className="text-slate-400">First page</span>}
        {nextCursor ? (
          <Link href={href({ status, cursor: nextCursor })} className="rounded-md border border-slate-300 px-3 py-1.5 font-medium text-slate-700 hover:bg-slate-100">Next page</Link>
        ) : (
          <span className="text-slate-400">Last page</span>
        )}
      </nav>
    </section>
  );
}
