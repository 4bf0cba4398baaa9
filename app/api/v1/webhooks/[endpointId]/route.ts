// GET, PATCH, DELETE /api/v1/webhooks/{endpointId} — one endpoint of the tenant (another tenant's id is a 404)
import { apiRoute } from "@/lib/api/handler";
import { readJsonBody } from "@/lib/api/json-body";
import { getEndpoint, serializeEndpoint } from "@/lib/webhooks/data";
import { deleteEndpoint, updateEndpoint } from "@/lib/webhooks/mutations";
import type { EndpointUpdate } from "@/lib/webhooks/schema";

type Params = { endpointId: string };

export const GET = apiRoute<Params>(async ({ tenantId, params }) => Response.json({ endpoint: serializeEndpoint(await getEndpoint({ tenantId }, params.endpointId)) }));

export const PATCH = apiRoute<Params>(async ({ req, tenantId, params }) => {
  const endpoint = await updateEndpoint({ tenantId }, params.endpointId, (await readJsonBody(req)) as EndpointUpdate);
  return Response.json({ endpoint: serializeEndpoint(endpoint) });
});

export const DELETE = apiRoute<Params>(async ({ tenantId, params }) => {
  await deleteEndpoint({ tenantId }, params.endpointId);
  return new Response(null, { status: 204 });
});
