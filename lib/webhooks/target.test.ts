import ipaddr from "ipaddr.js";
import { describe, expect, it } from "vitest";
import { checkEndpointUrl, resolveTarget, TargetRefused } from "./target";

const publicOnly = { allowed: [], allowHttp: false };
const resolver = (table: Record<string, string[]>) => async (host: string) => {
  const found = table[host];
  if (!found) throw Object.assign(new Error("not found"), { code: "ENOTFOUND" });
  return found.map((a) => ipaddr.parse(a));
};

describe("endpoint URLs", () => {
  it("accepts public https URLs and drops the fragment", () => {
    expect(checkEndpointUrl("https://crm.example.com/hooks?x=1#top", publicOnly)).toBe("https://crm.example.com/hooks?x=1");
  });

  it("refuses http in production, private and special addresses, local names and credentials", () => {
    for (const url of ["http://crm.example.com/", "https://10.1.2.3/", "https://[fd00::1]/", "https://0.0.0.0/", "https://[::ffff:127.0.0.1]/", "https://224.0.0.1/", "https://printer.local/", "https://intranet/", "https://a:b@crm.example.com/"]) {
      expect(() => checkEndpointUrl(url, publicOnly), url).toThrow(TargetRefused);
    }
  });

  it("lets an allow-list admit a network or a host name, e.g. a receiver on this machine in development", () => {
    const dev = { allowed: ["127.0.0.1/32", "receiver.internal"], allowHttp: true };
    expect(checkEndpointUrl("http://127.0.0.1:4000/hooks", dev)).toBe("http://127.0.0.1:4000/hooks");
    expect(checkEndpointUrl("http://receiver.internal/", dev)).toBe("http://receiver.internal/");
    expect(() => checkEndpointUrl("http://127.0.0.2/", dev)).toThrow(/loopback/);
  });
});

describe("the address a delivery connects to", () => {
  it("is the checked public address of the name", async () => {
    await expect(resolveTarget(new URL("https://crm.example.com/"), publicOnly, resolver({ "crm.example.com": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"] }))).resolves.toEqual({ address: "93.184.215.14", family: 4 });
  });

  it("is refused when the name resolves to any private, loopback or link-local address (DNS rebinding, a name pointed inside)", async () => {
    for (const addresses of [["10.0.0.5"], ["93.184.215.14", "169.254.169.254"], ["::1"], ["100.64.0.1"]]) {
      await expect(resolveTarget(new URL("https://crm.example.com/"), publicOnly, resolver({ "crm.example.com": addresses })), addresses.join()).rejects.toThrow(TargetRefused);
    }
    await expect(resolveTarget(new URL("https://gone.example.com/"), publicOnly, resolver({}))).rejects.toThrow(/could not resolve gone.example.com \(ENOTFOUND\)/);
  });
});
