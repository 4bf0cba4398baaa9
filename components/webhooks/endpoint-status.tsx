import type { EndpointStatus } from "@/lib/webhooks/schema";

const STYLES: Record<EndpointStatus, { label: string; className: string }> = {
  active: { label: "Active", className: "bg-emerald-50 text-emerald-700 ring-emerald-200" },
  failing: { label: "Failing", className: "bg-rose-50 text-rose-700 ring-rose-200" },
  disabled: { label: "Disabled", className: "bg-slate-100 text-slate-600 ring-slate-200" },
};

export function EndpointStatusBadge({ status }: { status: EndpointStatus }) {
  const s = STYLES[status];
  return <span className={`rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 ${s.className}`} data-testid="endpoint-status">{s.label}</span>;
}
