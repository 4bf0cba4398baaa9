"use client";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { LEAD_STATUSES, type LeadStatusName } from "@/lib/campaigns/schema";
import { LEAD_STATUS_VIEW } from "./lead-status";

/** Changing the filter starts again from the first page. */
export function LeadStatusFilter({ basePath, value }: { basePath: string; value?: LeadStatusName }) {
  const router = useRouter();
  return (
    <label className="flex items-center gap-2 text-sm text-slate-600">
      <span aria-hidden>Status</span>
      <select
        aria-label="Filter leads by status"
        value={value ?? ""}
        onChange={(e) => {
          const status = e.currentTarget.value;
          router.push(status ? `${basePath}?status=${status}#leads` : `${basePath}#leads`, { scroll: false });
        }}
        className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500"
      >
        <option value="">All statuses</option>
        {LEAD_STATUSES.map((s) => (
          <option key={s} value={s}>{LEAD_STATUS_VIEW[s].label}</option>
        ))}
      </select>
    </label>
  );
}

/** Re-reads the current page of leads on request (the table is not live; the counters are). */
export function RefreshLeadsButton() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <button type="button" onClick={() => startTransition(() => router.refresh())} disabled={pending} className="text-sm text-indigo-600 hover:underline disabled:text-slate-400">
      {pending ? "Refreshing…" : "Refresh"}
    </button>
  );
}
