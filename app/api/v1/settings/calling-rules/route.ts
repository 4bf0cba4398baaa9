// GET, PUT /api/v1/settings/calling-rules — the tenant's frequency caps, with the platform's calling hours per country
import { apiRoute } from "@/lib/api/handler";
import { readJsonBody } from "@/lib/api/json-body";
import { getCallingRules } from "@/lib/tenants/data";
import { setFrequencyCaps } from "@/lib/tenants/mutations";
import { callingRulesBodySchema } from "@/lib/tenants/schema";

export const GET = apiRoute(async ({ tenantId }) => Response.json(await getCallingRules(tenantId)));

// An API key acts for the tenant's owners (only they create keys), so it may change the caps as they may.
export const PUT = apiRoute(async ({ req, tenantId }) => {
  const { callsPer24h, callsPer30d } = callingRulesBodySchema.parse(await readJsonBody(req));
  await setFrequencyCaps(tenantId, { per24h: callsPer24h, per30d: callsPer30d });
  return Response.json(await getCallingRules(tenantId));
});
