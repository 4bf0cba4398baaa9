import { formatIntervals, type IntervalView } from "./format-intervals";

type Entry = { id: string; at: string; actor: string; tenant: string | null; action: string; before: unknown; after: unknown };

export function AuditLog({ entries }: { entries: Entry[] }) {
  if (entries.length === 0) return <p className="text-sm text-slate-500">No changes yet.</p>;
  return (
    <table className="w-full text-sm" data-testid="audit-log">
      <thead className="text-left text-xs uppercase text-slate-500">
        <tr><th className="py-2">When (UTC)</th><th>Who</th><th>Tenant</th><th>What</th><th>Before → after</th></tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {entries.map((e) => (
          <tr key={e.id} data-testid="audit-row">
            <td className="py-2 whitespace-nowrap">{e.at.slice(0, 19).replace("T", " ")}</td>
            <td>{e.actor}</td>
            <td>{e.tenant ?? platformSubject(e.before, e.after)}</td>
            <td className="font-mono text-xs">{e.action}</td>
            <td className="font-mono text-xs">{describeChange(e.before, e.after)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function describeChange(before: unknown, after: unknown) {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]));
  if (keys.length === 0) return "no change";
  return keys.map((k) => `${k}: ${fmt(k, b[k])} → ${fmt(k, a[k])}`).join(", ");
}

function fmt(key: string, v: unknown) {
  if (key === "approvedAt") return typeof v === "string" ? v.slice(0, 16).replace("T", " ") : "awaiting approval";
  if (key === "intervals") return Array.isArray(v) ? formatIntervals(v as IntervalView[]) : "no platform hours";
  // Keys present on one side only: a platform change adds or removes something rather than changing a setting.
  if (v === undefined) return "—";
  if (Array.isArray(v)) return v.length === 0 ? "platform default" : v.join(",");
  return v === null ? "unlimited" : String(v);
}

/** Platform-wide changes have no tenant: their rows name what they changed instead. */
function platformSubject(before: unknown, after: unknown) {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const country = a.country ?? b.country;
  if (typeof country === "string") return `calling hours ${country}`;
  const list = a.list ?? b.list;
  return typeof list === "string" ? `${list} list` : "—";
}
