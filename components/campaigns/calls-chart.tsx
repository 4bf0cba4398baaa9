"use client";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { MinuteBucket } from "@/lib/campaigns/progress";
import { formatClock } from "./format";
import { useMounted } from "./use-mounted";

const HEIGHT = 180;
const compact = new Intl.NumberFormat("en-US", { notation: "compact" });

/** Calls dialed per minute; drawn only in the browser, which knows the viewer's time zone and width. */
export function CallsChart({ buckets }: { buckets: MinuteBucket[] }) {
  const mounted = useMounted();
  const total = buckets.reduce((sum, b) => sum + b.calls, 0);
  const peak = Math.max(0, ...buckets.map((b) => b.calls));
  const summary = `${total} calls in the last ${buckets.length} minutes, at most ${peak} in one minute.`;
  if (!mounted) return <div style={{ height: HEIGHT }} aria-hidden />;
  const data = buckets.map((b) => ({ label: formatClock(b.minute), calls: b.calls }));
  return (
    <figure>
      <div role="img" aria-label={`Calls per minute chart: ${summary}`} style={{ height: HEIGHT }}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid vertical={false} stroke="#e2e8f0" />
            <XAxis dataKey="label" tick={{ fontSize: 11, fill: "#64748b" }} tickLine={false} axisLine={{ stroke: "#cbd5e1" }} interval="preserveStartEnd" minTickGap={16} />
            <YAxis allowDecimals={false} tick={{ fontSize: 11, fill: "#64748b" }} tickLine={false} axisLine={false} width={40} tickFormatter={(v: number) => compact.format(v)} />
            <Tooltip cursor={{ fill: "#eef2ff" }} formatter={(v) => [v, "calls"]} labelFormatter={(l) => `Minute from ${l}`} />
            <Bar dataKey="calls" fill="#6366f1" radius={[3, 3, 0, 0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="sr-only">{summary}</figcaption>
    </figure>
  );
}
