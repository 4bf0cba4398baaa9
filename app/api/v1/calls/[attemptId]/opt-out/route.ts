// POST /api/v1/calls/{attemptId}/opt-out — the called person asked not to be called again: list the call's number
import { apiRoute } from "@/lib/api/handler";
import { readJsonBody } from "@/lib/api/json-body";
import { optOutFromCall } from "@/lib/suppressions/mutations";
import { optOutJsonSchema } from "@/lib/suppressions/schema";

export const POST = apiRoute<{ attemptId: string }>(async ({ req, tenantId, params }) => {
  const { reason } = optOutJsonSchema.parse(await readJsonBody(req, { optional: true }));
  return Response.json(await optOutFromCall(tenantId, params.attemptId, reason));
});
