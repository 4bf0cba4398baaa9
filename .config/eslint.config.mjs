import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  { ignores: ["node_modules/**", ".next/**", ".next-*/**", ".data/**", "test-results/**", "bench/results/**", "next-env.d.ts", "dist/**"] },
  {
    // One-way imports: app → components → lib, worker → lib. Nothing imports app/ or worker/.
    files: ["lib/**/*.ts", "lib/**/*.tsx", "components/**/*.tsx", "components/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [{ group: ["@/app/*", "@/worker/*", "**/app/*", "**/worker/*"], message: "lib/ and components/ must not import app/ or worker/" }] }] },
  },
  {
    files: ["lib/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [{ group: ["@/app/*", "@/worker/*", "@/components/*"], message: "lib/ must not import app/, worker/ or components/" }] }] },
  },
];

export default config;
