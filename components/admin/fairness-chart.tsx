"use client";
import { Area, AreaChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { FairnessView } from "@/lib/admin/overview";

const COLORS = ["#4f46e5", "#059669", "#d97706", "#dc2626", "#0891b2", "#7c3aed", "#db2777", "#65a30d", "#475569", "#ea580c"];

export function FairnessChart({ fairness, names }: { fairness: FairnessView; names: Record<string, string> }) {
  const tenants = [...new Set(fairness.history.flatMap((b) => Object.keys(b.perTenant)))];
  const data = fairness.history.map((b) => {
    const row: Record<string, number | string> = { t: new Date(b.t).toISOString().slice(11, 19) };
    for (const t of tenants) row[t] = b.perTenant[t] ?? 0;
    return row;
  });
  return (
    <div className="grid gap-6 lg:grid-cols-[2fr_1fr]">
      <div className="h-64" data-testid="fairness-chart">
        {tenants.length === 0 ? (
          <p className="pt-24 text-center text-sm text-slate-500">No dispatches in the last 5 minutes.</p>
        ) : (
          <ResponsiveContainer width="100%" height="100%">
            <AreaChart data={data} stackOffset="expand" margin={{ top: 5, right: 10, left: 0, bottom: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
              <XAxis dataKey="t" tick={{ fontSize: 11 }} interval={5} />
              <YAxis tickFormatter={(v: number) => `${Math.round(v * 100)}%`} tick={{ fontSize: 11 }} />
              <Tooltip formatter={(v, name) => [String(v), names[String(name)] ?? String(name)]} />
              <Legend formatter={(value: string) => names[value] ?? value} />
              {tenants.map((t, i) => (
                <Area key={t} type="step" dataKey={t} stackId="1" stroke={COLORS[i % COLORS.length]} fill={COLORS[i % COLORS.length]} fillOpacity={0.6} isAnimationActive={false} />
              ))}
            </AreaChart>
          </ResponsiveContainer>
        )}
      </div>
      <div>
        <div className="mb-3 flex items-baseline gap-2">
          <span className="text-3xl font-semibold" data-testid="jain-index">{fairness.jain === null ? "—" : fairness.jain.toFixed(3)}</span>
          <span className="text-sm text-slate-500">Jain&apos;s fairness index, last minute, backlogged tenants (1 = each got exactly its weighted share)</span>
        </div>
        <table className="w-full text-sm" data-testid="fairness-shares">
          <thead className="text-left text-xs uppercase text-slate-500">
            <tr><th className="py-1">Tenant</th><th className="text-right">Got (1 min)</th><th className="text-right">Entitled</th></tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {fairness.shares.map((s) => (
              <tr key={s.tenantId}>
                <td className="py-1">{names[s.tenantId] ?? s.tenantId}</td>
                <td className="text-right tabular-nums">{pct(s.share)}</td>
                <td className="text-right tabular-nums text-slate-500" title={s.entitled === null ? "Not backlogged: it got every call it asked for" : undefined}>{s.entitled === null ? "satisfied" : pct(s.entitled)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function pct(x: number) {
  return `${(x * 100).toFixed(1)}%`;
}
