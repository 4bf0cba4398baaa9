// The settings page's do-not-call actions and upload: who may add, who may remove, and only in their own tenant.
import { afterEach, describe, expect, it, vi } from "vitest";
import { workspace } from "../test/factories";
import { isSuppressed, suppressionCounts } from "./data";
import { addSuppressions } from "./mutations";

const session = vi.hoisted(() => ({ current: null as { uid: string; sv: number } | null }));
vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<typeof import("next-auth")>()), getServerSession: async () => session.current }));
// Outside a Next request revalidatePath has no page to revalidate; which page an action refreshes is checked instead.
const revalidated = vi.hoisted(() => [] as string[]);
vi.mock("next/cache", () => ({ revalidatePath: (path: string) => void revalidated.push(path) }));

const { addSuppressionAction, removeSuppressionAction } = await import("./actions");
const { POST: uploadRoute } = await import("../../app/api/suppressions/route");

afterEach(() => {
  session.current = null;
});

describe("the settings page", () => {
  it("a member may add numbers but not remove them; an owner may do both", async () => {
    const { tenant, owner, member } = await workspace("Team");
    signIn(member);
    const added = await addSuppressionAction(tenant.id, form({ phone: "020 7946 0958", reason: "asked", defaultCountry: "GB" }));
    expect(added).toMatchObject({ ok: true, data: { added: 1 } });
    expect(revalidated).toContain(`/t/${tenant.id}/settings/do-not-call`);
    const invalid = await addSuppressionAction(tenant.id, form({ phone: "12", defaultCountry: "US" }));
    expect(invalid).toMatchObject({ ok: false, fieldErrors: { phone: ["Not a valid phone number: too short"] } });
    await expect(removeSuppressionAction(tenant.id, "+442079460958")).rejects.toThrow(/NEXT_HTTP_ERROR_FALLBACK;404|NEXT_NOT_FOUND/);
    expect(await isSuppressed(tenant.id, "+442079460958")).toBe(true);

    signIn(owner);
    expect(await removeSuppressionAction(tenant.id, "+442079460958")).toEqual({ ok: true, data: undefined });
    expect(await isSuppressed(tenant.id, "+442079460958")).toBe(false);
    expect(await removeSuppressionAction(tenant.id, "+442079460958")).toMatchObject({ ok: false, message: "This number is not on your do-not-call list" });
  });

  it("another tenant's id is a 404 for both actions, and changes nothing", async () => {
    const mine = await workspace("Mine");
    const theirs = await workspace("Theirs");
    await addSuppressions({ tenantId: theirs.tenant.id }, [{ phone: "+12125550100" }], "MANUAL");
    signIn(mine.owner);
    await expect(addSuppressionAction(theirs.tenant.id, form({ phone: "+12125550101", defaultCountry: "US" }))).rejects.toThrow(/NEXT_HTTP_ERROR_FALLBACK;404|NEXT_NOT_FOUND/);
    await expect(removeSuppressionAction(theirs.tenant.id, "+12125550100")).rejects.toThrow(/NEXT_HTTP_ERROR_FALLBACK;404|NEXT_NOT_FOUND/);
    expect((await suppressionCounts({ tenantId: theirs.tenant.id })).total).toBe(1);
  });

  it("the CSV upload adds to the signed-in user's own list; signed out it is a 401", async () => {
    const { tenant, member } = await workspace("Upload");
    expect((await uploadRoute(csv("phone\n+12125550100\n"))).status).toBe(401);
    signIn(member);
    const res = await uploadRoute(csv("+12125550100\n+12125550101\n+12125550100\n"));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ added: 2, alreadyListed: 1, rejected: [], rejectedCount: 0, leadsSuppressed: 0 });
    const tooMany = await uploadRoute(csv(`phone\n${"+12125550102\n".repeat(200_001)}`));
    expect(tooMany.status).toBe(422);
    expect((await tooMany.json()).error.code).toBe("too_many_rows");
    expect((await suppressionCounts({ tenantId: tenant.id })).bySource.UPLOAD).toBe(2);
  });
});

function signIn(user: { id: string; sessionVersion: number }) {
  session.current = { uid: user.id, sv: user.sessionVersion };
}

function form(fields: Record<string, string>) {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
}

function csv(text: string) {
  return new Request("http://test/api/suppressions", { method: "POST", headers: { "content-type": "text/csv" }, body: text });
}
