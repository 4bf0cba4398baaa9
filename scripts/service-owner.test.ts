import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkoutOf, foreignServiceMessage, sameDir } from "./service-owner";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "service-owner-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("sameDir", () => {
  it("sees a clone reached through a symlink as the same directory", () => {
    const real = path.join(tmp, "real");
    fs.mkdirSync(real);
    fs.symlinkSync(real, path.join(tmp, "link"));
    expect(sameDir(path.join(tmp, "link"), real)).toBe(true);
  });

  it("tells two clones' data dirs apart", () => {
    expect(sameDir("/home/a/fairdial/.data/test/postgres", "/home/b/fairdial/.data/test/postgres")).toBe(false);
    expect(sameDir("/srv/x/../fairdial/.data/test/redis", "/srv/fairdial/.data/test/redis")).toBe(true);
  });
});

describe("foreignServiceMessage", () => {
  it("names both data dirs and the other clone's stop command on one line", () => {
    const message = foreignServiceMessage({
      service: "postgres",
      port: 54339,
      profile: "test",
      ownDir: "/home/b/fairdial/.data/test/postgres",
      servedDir: "/home/a/fairdial/.data/test/postgres",
    });
    expect(message).toBe(
      "refusing to use postgres on :54339: it serves /home/a/fairdial/.data/test/postgres, not this checkout's /home/b/fairdial/.data/test/postgres. " +
        "Two clones cannot run the test profile at once: stop the other clone's services (cd /home/a/fairdial && npm run services:stop -- test), " +
        "or set DATABASE_URL and REDIS_URL to servers of your own.",
    );
    expect(message).not.toContain("\n");
  });

  it("refuses a server that cannot say whose it is, with the reason", () => {
    const message = foreignServiceMessage({ service: "redis", port: 63809, profile: "test", ownDir: "/b/.data/test/redis", servedDir: null, reason: "ERR unknown command 'CONFIG'" });
    expect(message).toContain("it is not this checkout's redis (ERR unknown command 'CONFIG')");
    expect(message).toContain("stop whatever listens on :63809");
  });
});

describe("checkoutOf", () => {
  it("finds the clone root of a services.ts data dir, and nothing for a foreign layout", () => {
    expect(checkoutOf("/home/a/fairdial/.data/bench/postgres", "bench")).toBe("/home/a/fairdial");
    expect(checkoutOf("/home/a/fairdial/.data/dev/postgres", "bench")).toBeNull();
    expect(checkoutOf("/var/lib/postgresql/16/main", "test")).toBeNull();
  });
});
