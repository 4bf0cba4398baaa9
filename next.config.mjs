// Sent on every response, pages, API and static files alike. The pages' CSP (it needs a per-request nonce) and
// HSTS (it depends on the runtime NEXTAUTH_URL, while these are fixed at build time) come from proxy.ts.
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "no-referrer" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), accelerometer=(), gyroscope=(), magnetometer=(), browsing-topics=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];
// API answers are data, never a document to run: nothing may load or frame them. next-auth's own pages
// (/api/auth/*) carry inline styles, so they keep only the framing ban.
const apiPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** @type {import('next').NextConfig} */
const nextConfig = {
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      { source: "/api/:path((?!auth/).*)", headers: [{ key: "Content-Security-Policy", value: apiPolicy }] },
      { source: "/api/auth/:path*", headers: [{ key: "Content-Security-Policy", value: "frame-ancestors 'none'" }] },
    ];
  },
  // Server-only packages with native bits or dynamic requires stay outside the bundle.
  serverExternalPackages: ["pino", "bullmq", "ioredis", "pg", "pg-copy-streams", "@prisma/adapter-pg", "twilio", "csv-parse", "bcryptjs", "prom-client"],
  poweredByHeader: false,
  // Lets parallel builds (e.g. a second checkout's tests) use their own output folder.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  typedRoutes: false,
};

export default nextConfig;
