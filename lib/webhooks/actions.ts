"use server";
import { revalidatePath } from "next/cache";
import { requireOwner } from "../auth/session";
import { toActionResult, type ActionResult } from "../actions/result";
import { createEndpoint, deleteEndpoint, redeliver, rollEndpointSecret, updateEndpoint } from "./mutations";
import { endpointFromForm } from "./schema";

// Webhooks send the tenant's data to a URL of its choosing: managing them is for owners, as API keys are.

export async function createEndpointAction(tenantId: string, form: FormData): Promise<ActionResult<{ endpointId: string; secret: string }>> {
  await requireOwner(tenantId);
  return toActionResult(async () => {
    const { endpoint, secret } = await createEndpoint({ tenantId }, endpointFromForm(form));
    revalidatePath(listPath(tenantId));
    return { endpointId: endpoint.id, secret };
  });
}

export async function updateEndpointAction(tenantId: string, endpointId: string, form: FormData): Promise<ActionResult> {
  await requireOwner(tenantId);
  return toActionResult(async () => {
    const { url, description, events } = endpointFromForm(form);
    await updateEndpoint({ tenantId }, endpointId, { url, description, events });
    revalidate(tenantId, endpointId);
    return undefined;
  });
}

export async function setEndpointEnabledAction(tenantId: string, endpointId: string, enabled: boolean): Promise<ActionResult> {
  await requireOwner(tenantId);
  return toActionResult(async () => {
    await updateEndpoint({ tenantId }, endpointId, { enabled });
    revalidate(tenantId, endpointId);
    return undefined;
  });
}

export async function rollSecretAction(tenantId: string, endpointId: string): Promise<ActionResult<{ secret: string }>> {
  await requireOwner(tenantId);
  return toActionResult(() => rollEndpointSecret({ tenantId }, endpointId));
}

export async function deleteEndpointAction(tenantId: string, endpointId: string): Promise<ActionResult> {
  await requireOwner(tenantId);
  return toActionResult(async () => {
    await deleteEndpoint({ tenantId }, endpointId);
    revalidatePath(listPath(tenantId));
    return undefined;
  });
}

export async function redeliverAction(tenantId: string, endpointId: string, deliveryId: string): Promise<ActionResult> {
  await requireOwner(tenantId);
  return toActionResult(async () => {
    await redeliver({ tenantId }, endpointId, deliveryId);
    revalidate(tenantId, endpointId);
    return undefined;
  });
}

function listPath(tenantId: string) {
  return `/t/${tenantId}/settings/webhooks`;
}

function revalidate(tenantId: string, endpointId: string) {
  revalidatePath(listPath(tenantId));
  revalidatePath(`${listPath(tenantId)}/${endpointId}`);
}
