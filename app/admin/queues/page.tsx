import Link from "next/link";
import { JobActions } from "@/components/admin/job-actions";
import { Card } from "@/components/ui/card";
import { JOB_STATES, listJobs, listQueues, type JobState } from "@/lib/admin/queues";
import { requirePlatformAdmin } from "@/lib/auth/session";

export const metadata = { title: "Queue inspector" };
export const dynamic = "force-dynamic";

export default async function QueuesPage({ searchParams }: { searchParams: Promise<{ queue?: string; state?: string; page?: string }> }) {
  await requirePlatformAdmin();
  const params = await searchParams;
  const queues = await listQueues();
  const current = queues.find((q) => q.name === params.queue) ?? queues[0]!;
  const state = (JOB_STATES as readonly string[]).includes(params.state ?? "") ? (params.state as JobState) : "waiting";
  const page = Math.max(0, Number(params.page ?? 0) || 0);
  const jobs = await listJobs(current.name, state, page);
  const href = (q: string, s: string, p = 0) => `/admin/queues?queue=${encodeURIComponent(q)}&state=${s}&page=${p}`;
  return (
    <main className="mx-auto max-w-7xl space-y-6 px-6 py-8">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold">Queue inspector</h1>
        <Link href="/admin" className="text-sm text-indigo-600 hover:underline">Back to admin</Link>
      </div>
      <Card title="Queues">
        <table className="w-full text-sm">
          <thead className="text-left text-xs uppercase text-slate-500">
            <tr><th className="py-2">Queue</th>{JOB_STATES.map((s) => <th key={s} className="text-right">{s}</th>)}</tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {queues.map((q) => (
              <tr key={q.name} className={q.name === current.name ? "bg-indigo-50/50" : undefined}>
                <td className="py-2 font-medium">{q.label}</td>
                {JOB_STATES.map((s) => (
                  <td key={s} className="text-right tabular-nums"><Link className="hover:underline" href={href(q.name, s)}>{q.counts[s] ?? 0}</Link></td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card title={`${current.label} · ${state}`}>
        <nav className="mb-3 flex gap-2 text-sm">
          {JOB_STATES.map((s) => (
            <Link key={s} href={href(current.name, s)} className={`rounded px-2 py-1 ${s === state ? "bg-slate-900 text-white" : "bg-slate-100 hover:bg-slate-200"}`}>{s}</Link>
          ))}
        </nav>
        {jobs.length === 0 ? (
          <p className="text-sm text-slate-500">No {state} jobs.</p>
        ) : (
          <table className="w-full text-sm">
            <thead className="text-left text-xs uppercase text-slate-500">
              <tr><th className="py-2">Job (attempt id)</th><th>Tenant</th><th>Lead</th><th>Added</th><th>Error</th><th /></tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {jobs.map((j) => (
                <tr key={j.id}>
                  <td className="py-2 font-mono text-xs">{j.id}</td>
                  <td className="font-mono text-xs">{j.data.tenantId}</td>
                  <td className="font-mono text-xs">{j.data.leadId}</td>
                  <td className="whitespace-nowrap">{new Date(j.timestamp).toISOString().slice(11, 23)}</td>
                  <td className="max-w-xs truncate text-rose-700" title={j.failedReason ?? undefined}>{j.failedReason ?? ""}</td>
                  <td className="text-right"><JobActions queue={current.name} jobId={j.id} canRetry={state === "failed"} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <div className="mt-3 flex gap-3 text-sm">
          {page > 0 && <Link className="text-indigo-600 hover:underline" href={href(current.name, state, page - 1)}>← Previous</Link>}
          {jobs.length === 25 && <Link className="text-indigo-600 hover:underline" href={href(current.name, state, page + 1)}>Next →</Link>}
        </div>
      </Card>
    </main>
  );
}
