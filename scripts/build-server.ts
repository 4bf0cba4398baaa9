// Bundles the server-side entry points (worker, web server) into dist/ for `npm run serve`, so production runs
// plain `node` on built files: no TypeScript compiler at run time. npm packages stay external (node_modules).
import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";

const root = path.resolve(import.meta.dirname, "..");
const entries = Object.fromEntries(
  Object.entries({ worker: "worker/index.ts", web: "scripts/web.ts" }).filter(([, file]) => existsSync(path.join(root, file))),
);

rmSync(path.join(root, "dist"), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: entries,
  outdir: "dist",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  tsconfig: "tsconfig.json",
  // Bundled ESM has no require(); some dependencies' CommonJS interop needs one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: "warning",
});
console.log(`built ${Object.keys(entries).join(", ")} into dist/`);
