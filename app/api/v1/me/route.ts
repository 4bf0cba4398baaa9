// GET /api/v1/me — the tenant the API key belongs to
import { apiRoute } from "@/lib/api/handler";
import { NotFoundError } from "@/lib/errors";
import { getTenant } from "@/lib/tenants/data";

export const GET = apiRoute(async ({ tenantId }) => {
  const tenant = await getTenant(tenantId);
  if (!tenant) throw new NotFoundError("Tenant not found");
  return Response.json({ tenant: { id: tenant.id, name: tenant.name, createdAt: tenant.createdAt } });
});
