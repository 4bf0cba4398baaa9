// GET, POST /api/v1/webhooks — the tenant's webhook endpoints; creating one answers its signing secret, once
import { apiRoute } from "@/lib/api/handler";
import { readJsonBody } from "@/lib/api/json-body";
import { listEndpoints, serializeEndpoint } from "@/lib/webhooks/data";
import { createEndpoint } from "@/lib/webhooks/mutations";
import type { EndpointInput } from "@/lib/webhooks/schema";

export const GET = apiRoute(async ({ tenantId }) => {
  const endpoints = await listEndpoints({ tenantId });
  return Response.json({ endpoints: endpoints.map(serializeEndpoint) });
});

export const POST = apiRoute(async ({ req, tenantId }) => {
  const { endpoint, secret } = await createEndpoint({ tenantId }, (await readJsonBody(req)) as EndpointInput);
  return Response.json({ endpoint: serializeEndpoint(endpoint), secret }, { status: 201 });
});
