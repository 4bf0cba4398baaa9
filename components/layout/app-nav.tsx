import Link from "next/link";
import { SessionKeepAlive } from "../auth/session-keep-alive";
import { SignOutButton } from "../auth/sign-out-button";

export function AppNav({ tenantId, tenantName, userName, isPlatformAdmin }: { tenantId: string; tenantName: string; userName: string; isPlatformAdmin: boolean }) {
  const links = [
    { href: `/t/${tenantId}`, label: "Dashboard" },
    { href: `/t/${tenantId}/campaigns/new`, label: "New campaign" },
    { href: `/t/${tenantId}/settings`, label: "Settings" },
    { href: "/api-docs", label: "API" },
  ];
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl items-center justify-between gap-6 px-6 py-3">
        <div className="flex items-center gap-6">
          <Link href={`/t/${tenantId}`} className="text-lg font-bold tracking-tight">fairdial</Link>
          <span className="rounded bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-600" data-testid="tenant-name">{tenantName}</span>
          <nav className="flex gap-1 text-sm">
            {links.map((l) => (
              <Link key={l.href} href={l.href} className="rounded px-2.5 py-1.5 text-slate-600 hover:bg-slate-100 hover:text-slate-900">{l.label}</Link>
            ))}
            {isPlatformAdmin && <Link href="/admin" className="rounded px-2.5 py-1.5 font-medium text-indigo-700 hover:bg-indigo-50">Admin</Link>}
          </nav>
        </div>
        <div className="flex items-center gap-3 text-sm text-slate-600">
          <span>{userName}</span>
          <SignOutButton />
          <SessionKeepAlive />
        </div>
      </div>
    </header>
  );
}
