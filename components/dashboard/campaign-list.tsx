import Link from "next/link";
import type { CampaignSummary } from "@/lib/campaigns/progress";
import { formatCount, formatDate, formatPercent } from "../campaigns/format";
import { ProgressBar } from "../campaigns/progress-bar";
import { CampaignStatusBadge } from "../campaigns/status-badge";

export function CampaignList({ tenantId, campaigns }: { tenantId: string; campaigns: CampaignSummary[] }) {
  if (campaigns.length === 0) {
    return (
      <div className="rounded-lg border border-dashed border-slate-300 px-6 py-10 text-center">
        <p className="font-medium text-slate-800">No campaigns yet</p>
        <p className="mt-1 text-sm text-slate-500">Upload a CSV of leads to create your first campaign.</p>
        <Link href={`/t/${tenantId}/campaigns/new`} className="mt-4 inline-flex rounded-md bg-indigo-600 px-3.5 py-2 text-sm font-medium text-white hover:bg-indigo-500">
          New campaign
        </Link>
      </div>
    );
  }
  return (
    <ul className="divide-y divide-slate-100" aria-label="Campaigns">
      {campaigns.map((c) => (
        <li key={c.id} data-testid="campaign-row" className="grid grid-cols-[minmax(0,1fr)_auto] items-center gap-x-6 gap-y-2 py-3 sm:grid-cols-[minmax(0,2fr)_minmax(0,3fr)_auto]">
          <div className="min-w-0">
            <Link href={`/t/${tenantId}/campaigns/${c.id}`} className="block truncate font-medium text-slate-900 hover:text-indigo-700 hover:underline">
              {c.name}
            </Link>
            <p className="text-xs text-slate-500">Created {formatDate(c.createdAt)}</p>
          </div>
          <div className="col-span-2 sm:col-span-1 sm:order-none">
            <ProgressBar done={c.terminal} total={c.total} label={`${c.name} progress`} size="sm" />
            <p className="mt-1 text-xs tabular-nums text-slate-500">
              {formatCount(c.terminal)} of {formatCount(c.total)} finished · {formatPercent(c.terminal, c.total)}
            </p>
          </div>
          <div className="row-start-1 sm:row-start-auto justify-self-end col-start-2 sm:col-start-auto">
            <CampaignStatusBadge status={c.status} />
          </div>
        </li>
      ))}
    </ul>
  );
}
