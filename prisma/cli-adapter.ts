// Driver adapter for the Prisma CLI only (migrate, db push, …). The app uses plain PrismaPg.
// Prisma 6.19's JS schema engine + adapter-pg has four gaps on these machines (see shared TOOLCHAIN.md);
// each patch below closes one, and none of them is loaded by the app or the worker.
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";

const NAME_OID = 19;
const CHAR_OID = 18;
const TEXT_OID = 25;
const LONG_TIMER_MS = 10_000;

let patched = false;

function patchProcess() {
  if (patched) return;
  patched = true;
  // 1. The schema engine reads pg_catalog columns of type name/"char" that adapter-pg cannot map: report them as text.
  const proto = pg.Result.prototype as unknown as { addFields(fields: { dataTypeID: number }[]): void };
  const addFields = proto.addFields;
  proto.addFields = function (fields) {
    for (const field of fields) {
      if (field.dataTypeID === NAME_OID || field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
    }
    return addFields.call(this, fields);
  };
  // 4. The WASM engine arms long timers it never clears; unref them so the command exits when done.
  const setTimeoutOrig = globalThis.setTimeout;
  globalThis.setTimeout = ((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const timer = setTimeoutOrig(fn, ms, ...args);
    if ((ms ?? 0) >= LONG_TIMER_MS) timer.unref?.();
    return timer;
  }) as typeof setTimeout;
}

type Adapter = Awaited<ReturnType<PrismaPg["connect"]>>;

// 3. adapter-pg splits scripts on every ';' (breaking $$ bodies and literals): run the script as one
// simple-protocol query instead, which Postgres executes statement by statement.
function wholeScript(adapter: Adapter, pool: pg.Pool): Adapter {
  adapter.executeScript = async (script: string) => {
    try {
      await pool.query(script);
    } catch (error) {
      (adapter as unknown as { onError(e: unknown): never }).onError(error);
    }
  };
  return adapter;
}

export function cliAdapter(connectionString: string) {
  patchProcess();
  const base = { connectionString, allowExitOnIdle: true };
  return {
    provider: "postgres" as const,
    adapterName: "@prisma/adapter-pg" as const,
    async connect() {
      const pool = new pg.Pool(base);
      return wholeScript(await new PrismaPg(pool, { disposeExternalPool: true }).connect(), pool);
    },
    // 2. Stock connectToShadowDb replays into the main database and drops the shadow one while in use.
    async connectToShadowDb() {
      const name = `prisma_shadow_${process.pid}_${Date.now()}`;
      const admin = new pg.Client({ connectionString });
      await admin.connect();
      await admin.query(`CREATE DATABASE "${name}"`);
      await admin.end();
      const url = new URL(connectionString);
      url.pathname = `/${name}`;
      const pool = new pg.Pool({ connectionString: url.toString(), allowExitOnIdle: true });
      const adapter = wholeScript(await new PrismaPg(pool).connect(), pool);
      adapter.dispose = async () => {
        await pool.end();
        const dropper = new pg.Client({ connectionString });
        await dropper.connect();
        await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await dropper.end();
      };
      return adapter;
    },
  };
}
