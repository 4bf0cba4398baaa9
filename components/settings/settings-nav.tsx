import Link from "next/link";

const PAGES = [
  { id: "general", label: "Organisation, members and keys", path: "" },
  { id: "do-not-call", label: "Do-not-call list", path: "/do-not-call" },
  { id: "calling-rules", label: "Calling rules", path: "/calling-rules" },
  { id: "webhooks", label: "Webhooks", path: "/webhooks" },
] as const;

/** The settings pages, as tabs; `active` is the page being shown. */
export function SettingsNav({ tenantId, active }: { tenantId: string; active: (typeof PAGES)[number]["id"] }) {
  return (
    <nav aria-label="Settings" className="flex gap-1 border-b border-slate-200 text-sm">
      {PAGES.map((p) => (
        <Link
          key={p.id}
          href={`/t/${tenantId}/settings${p.path}`}
          aria-current={p.id === active ? "page" : undefined}
          className={`-mb-px border-b-2 px-3 py-2 ${p.id === active ? "border-indigo-600 font-medium text-indigo-700" : "border-transparent text-slate-600 hover:text-slate-900"}`}
        >
          {p.label}
        </Link>
      ))}
    </nav>
  );
}
