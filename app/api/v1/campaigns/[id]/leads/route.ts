// GET /api/v1/campaigns/{id}/leads — a campaign's leads, a page at a time (?status=&cursor=&limit=)
import { apiRoute } from "@/lib/api/handler";
import { listLeads, serializeLead } from "@/lib/campaigns/data";
import { leadsQuerySchema } from "@/lib/campaigns/schema";

export const GET = apiRoute<{ id: string }>(async ({ req, tenantId, params }) => {
  // An empty parameter (`?status=`) means "not given", as it does in an HTML form.
  const given = [...new URL(req.url).searchParams].filter(([, value]) => value !== "");
  const query = leadsQuerySchema.parse(Object.fromEntries(given));
  const { leads, nextCursor } = await listLeads(tenantId, params.id, query);
  return Response.json({ leads: leads.map(serializeLead), nextCursor });
});
