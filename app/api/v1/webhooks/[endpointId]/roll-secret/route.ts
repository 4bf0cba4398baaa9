// POST /api/v1/webhooks/{endpointId}/roll-secret — a new signing secret, answered once; the old one stops at once
import { apiRoute } from "@/lib/api/handler";
import { rollEndpointSecret } from "@/lib/webhooks/mutations";

export const POST = apiRoute<{ endpointId: string }>(async ({ tenantId, params }) => Response.json(await rollEndpointSecret({ tenantId }, params.endpointId)));
