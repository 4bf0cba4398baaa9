import type { CampaignStatus } from "@prisma/client";

const VIEW: Record<CampaignStatus, { label: string; tone: string }> = {
  DRAFT: { label: "Draft", tone: "bg-slate-100 text-slate-700 ring-slate-200" },
  RUNNING: { label: "Running", tone: "bg-emerald-50 text-emerald-700 ring-emerald-200" },
  PAUSED: { label: "Paused", tone: "bg-amber-50 text-amber-800 ring-amber-200" },
  COMPLETED: { label: "Completed", tone: "bg-indigo-50 text-indigo-700 ring-indigo-200" },
  CANCELLED: { label: "Cancelled", tone: "bg-rose-50 text-rose-700 ring-rose-200" },
};

export function CampaignStatusBadge({ status, testId }: { status: CampaignStatus; testId?: string }) {
  const view = VIEW[status];
  return (
    <span data-testid={testId} className={`inline-flex items-center gap-1.5 rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 ring-inset ${view.tone}`}>
      {status === "RUNNING" && <span aria-hidden className="h-1.5 w-1.5 animate-pulse rounded-full bg-emerald-500" />}
      {view.label}
    </span>
  );
}
