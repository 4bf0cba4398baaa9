import type { CampaignStatus } from "@prisma/client";
import Link from "next/link";
import { formatCount, formatDate } from "../campaigns/format";
import { CampaignStatusBadge } from "../campaigns/status-badge";

export interface ArchivedCampaignRow {
  id: string;
  name: string;
  status: CampaignStatus;
  totalLeads: number;
  createdAt: string;
  archivedAt: string;
}

/** Archived campaigns: nothing of theirs moves (none is running), so a plain list, rendered once. */
export function ArchivedCampaignList({ tenantId, campaigns }: { tenantId: string; campaigns: ArchivedCampaignRow[] }) {
  if (campaigns.length === 0) return <p className="text-sm text-slate-500">No archived campaigns.</p>;
  return (
    <ul className="divide-y divide-slate-100" aria-label="Archived campaigns">
      {campaigns.map((c) => (
        <li key={c.id} data-testid="archived-campaign-row" className="flex items-center justify-between gap-6 py-3">
          <div className="min-w-0">
            <Link href={`/t/${tenantId}/campaigns/${c.id}`} className="block truncate font-medium text-slate-900 hover:text-indigo-700 hover:underline">
              {c.name}
            </Link>
            <p className="text-xs text-slate-500">
              Created {formatDate(c.createdAt)} · archived {formatDate(c.archivedAt)} · {formatCount(c.totalLeads)} leads
            </p>
          </div>
          <CampaignStatusBadge status={c.status} />
        </li>
      ))}
    </ul>
  );
}
