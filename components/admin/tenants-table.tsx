"use client";
import { useMemo, useState } from "react";
import type { AdminTenantRow } from "@/lib/admin/overview";
import { ApproveButton } from "./approve-button";
import { TenantControls } from "./tenant-controls";

type Key = "name" | "activeCampaigns" | "pendingLeads" | "inFlight" | "weight" | "maxCps" | "timeToFirstCallMs" | "dispatches5m" | "createdAt";

const COLUMNS: { key: Key; label: string; numeric?: boolean }[] = [
  { key: "name", label: "Tenant" },
  { key: "activeCampaigns", label: "Active campaigns", numeric: true },
  { key: "pendingLeads", label: "Pending leads", numeric: true },
  { key: "inFlight", label: "In flight / cap", numeric: true },
  { key: "weight", label: "Weight", numeric: true },
  { key: "maxCps", label: "Calls/s limit", numeric: true },
  { key: "timeToFirstCallMs", label: "First call (latest)", numeric: true },
  { key: "dispatches5m", label: "Dispatches 5 min", numeric: true },
];

export function TenantsTable({ tenants, laneCallers, platformCountries }: { tenants: (AdminTenantRow & { members: number })[]; laneCallers: string[]; platformCountries: readonly string[] }) {
  const [sort, setSort] = useState<{ key: Key; desc: boolean }>({ key: "dispatches5m", desc: true });
  const [editing, setEditing] = useState<string | null>(null);
  const [showAll, setShowAll] = useState(false);
  const [awaitingOnly, setAwaitingOnly] = useState(false);
  const [query, setQuery] = useState("");
  const rows = useMemo(() => {
    const q = query.trim().toLowerCase();
    const visible = tenants.filter((t) => {
      if (awaitingOnly && t.approvedAt !== null) return false;
      return q ? t.name.toLowerCase().includes(q) : awaitingOnly || showAll || isActive(t) || t.id === editing;
    });
    const sorted = visible.sort((a, b) => compare(a[sort.key], b[sort.key]));
    return sort.desc ? sorted.reverse() : sorted;
  }, [tenants, sort, showAll, awaitingOnly, query, editing]);
  const activeCount = tenants.filter(isActive).length;
  const awaitingCount = tenants.filter((t) => t.approvedAt === null).length;

  return (
    <div className="overflow-x-auto">
      <div className="mb-3 flex flex-wrap items-center gap-3 text-sm">
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Find a tenant" aria-label="Find a tenant" className="w-56 rounded-md border border-slate-300 px-2.5 py-1.5" />
        <label className="flex items-center gap-1.5 text-slate-600">
          <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} />
          Show all {tenants.length} tenants (active: {activeCount})
        </label>
        <label className={`flex items-center gap-1.5 ${awaitingCount > 0 ? "font-medium text-amber-800" : "text-slate-600"}`}>
          <input type="checkbox" checked={awaitingOnly} onChange={(e) => setAwaitingOnly(e.target.checked)} />
          Awaiting approval ({awaitingCount})
        </label>
      </div>
      <table className="w-full text-sm">
        <thead className="text-left text-xs uppercase text-slate-500">
          <tr>
            {COLUMNS.map((c) => (
              <th key={c.key} className={`py-2 ${c.numeric ? "text-right" : ""}`} aria-sort={sort.key === c.key ? (sort.desc ? "descending" : "ascending") : "none"}>
                <button type="button" className="uppercase hover:text-slate-900" onClick={() => setSort((s) => ({ key: c.key, desc: s.key === c.key ? !s.desc : c.numeric ?? false }))}>
                  {c.label}
                  {sort.key === c.key ? (sort.desc ? " ↓" : " ↑") : ""}
                </button>
              </th>
            ))}
            <th />
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((t) => (
            <TenantRow key={t.id} tenant={t} platformCountries={platformCountries} laneServed={laneCallers.includes(t.id)} editing={editing === t.id} onEdit={() => setEditing(editing === t.id ? null : t.id)} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function TenantRow({ tenant: t, platformCountries, laneServed, editing, onEdit }: { tenant: AdminTenantRow & { members: number }; platformCountries: readonly string[]; laneServed: boolean; editing: boolean; onEdit: () => void }) {
  const awaiting = t.approvedAt === null;
  return (
    <>
      <tr data-testid="admin-tenant-row" className={t.paused || awaiting ? "bg-amber-50" : undefined}>
        <td className="py-2">
          <div className="font-medium">{t.name}</div>
          <div className="text-xs text-slate-500">
            {t.members} member{t.members === 1 ? "" : "s"} · since {t.createdAt.slice(0, 10)}
            {awaiting && <span className="ml-1 font-semibold text-amber-700" data-testid="awaiting-approval">· awaiting approval</span>}
            {t.paused && <span className="ml-1 font-semibold text-amber-700">· paused</span>}
            {t.allowedCountries.length > 0 && <span className="ml-1">· calls {t.allowedCountries.join(", ")}</span>}
            {t.allowPremiumNumbers && <span className="ml-1 font-semibold text-rose-700">· premium numbers allowed</span>}
            {t.dedicatedLane && <span className="ml-1 text-indigo-700">· dedicated lane</span>}
            {t.dedicatedLane && !laneServed && <span className="ml-1 font-semibold text-rose-700">(no lane callers online)</span>}
          </div>
        </td>
        <td className="text-right tabular-nums">{t.activeCampaigns}</td>
        <td className="text-right tabular-nums">{t.pendingLeads.toLocaleString("en-US")}</td>
        <td className="text-right tabular-nums" data-testid="in-flight">{t.inFlight} / {t.maxConcurrent ?? "∞"}</td>
        <td className="text-right tabular-nums" data-testid="weight">{t.weight}</td>
        <td className="text-right tabular-nums">{t.maxCps ?? "∞"}</td>
        <td className="text-right tabular-nums">{t.timeToFirstCallMs === null ? "—" : formatMs(t.timeToFirstCallMs)}</td>
        <td className="text-right tabular-nums" data-testid="dispatches">{t.dispatches5m}</td>
        <td className="whitespace-nowrap pl-3 text-right">
          {awaiting && <ApproveButton tenantId={t.id} tenantName={t.name} />}
          <button type="button" className="rounded px-2 py-1 text-indigo-600 hover:bg-indigo-50" onClick={onEdit} aria-expanded={editing}>
            {editing ? "Close" : "Manage"}
          </button>
        </td>
      </tr>
      {editing && (
        <tr>
          <td colSpan={9} className="bg-slate-50 px-3 py-3">
            <TenantControls tenant={t} platformCountries={platformCountries} />
          </td>
        </tr>
      )}
    </>
  );
}

/** Active: has running campaigns, work waiting or in flight, recent dispatches, is paused, or awaits an admin. */
function isActive(t: AdminTenantRow) {
  return t.activeCampaigns > 0 || t.pendingLeads > 0 || t.inFlight > 0 || t.dispatches5m > 0 || t.paused || t.approvedAt === null;
}

function compare(a: unknown, b: unknown) {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  return typeof a === "number" && typeof b === "number" ? a - b : String(a).localeCompare(String(b));
}

function formatMs(ms: number) {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
