type Row = { id: string; name: string; members: number; createdAt: string };

export function AdminTenantsTable({ tenants }: { tenants: Row[] }) {
  return (
    <table className="w-full text-sm">
      <thead className="text-left text-xs uppercase text-slate-500">
        <tr><th className="py-2">Tenant</th><th>Members</th><th>Created</th></tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {tenants.map((t) => (
          <tr key={t.id} data-testid="admin-tenant-row">
            <td className="py-2 font-medium">{t.name}</td>
            <td>{t.members}</td>
            <td>{t.createdAt.slice(0, 16).replace("T", " ")} UTC</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
