import type { AdminSnapshot } from "@/lib/admin/overview";

export function EnginePanel({ engine, now }: { engine: AdminSnapshot["engine"]; now: number }) {
  const tick = engine.lastTick;
  const tickAgo = tick ? Math.max(0, Math.round((now - tick.at) / 1000)) : null;
  const stats = [
    { label: "Dispatch mode", value: engine.mode, id: "mode" },
    { label: "Provider", value: engine.provider, id: "provider" },
    { label: "Scheduler leader", value: engine.leader ?? "none", id: "leader" },
    { label: "Last tick", value: tick ? `${tickAgo}s ago · ${tick.durationMs} ms · budget ${tick.budget < 0 ? "∞" : tick.budget} · dispatched ${tick.dispatched}` : "never", id: "last-tick" },
    { label: "Queue depth / target", value: `${engine.queue.depth} / ${engine.queue.target}`, id: "queue" },
    { label: "Callers online", value: `${engine.callers.length} (${engine.callers.reduce((s, c) => s + c.concurrency, 0)} lines)`, id: "callers" },
    {
      label: "Dials in doubt",
      value: engine.inDoubt.count === 0 ? "none" : `${engine.inDoubt.count} · oldest ${Math.max(0, Math.round((now - (engine.inDoubt.oldestAt ?? now)) / 60_000))} min`,
      id: "in-doubt",
      title: "Requests the provider has not confirmed or denied (timeouts, 5xx). Their leads are never dialed again until the provider tells; a status callback or a lookup settles them.",
    },
  ];
  return (
    <section className="grid grid-cols-2 gap-3 md:grid-cols-3 lg:grid-cols-7" aria-label="Engine">
      {stats.map((s) => (
        <div key={s.id} className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm" data-testid={`engine-${s.id}`} title={"title" in s ? s.title : undefined}>
          <div className="text-xs uppercase tracking-wide text-slate-500">{s.label}</div>
          <div className="mt-1 break-words text-sm font-semibold">{s.value}</div>
        </div>
      ))}
      {engine.callers.length > 0 && (
        <details className="col-span-full text-xs text-slate-600">
          <summary className="cursor-pointer">Callers</summary>
          <ul className="mt-1 space-y-0.5 font-mono">
            {engine.callers.map((c) => (
              <li key={c.id}>{c.id} · {c.concurrency} lines{c.lane ? ` · lane ${c.lane}` : ""} · heartbeat {Math.round(c.heartbeatAgoMs / 1000)}s ago</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
