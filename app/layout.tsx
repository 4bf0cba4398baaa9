import type { Metadata } from "next";
import { connection } from "next/server";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "fairdial", template: "%s · fairdial" },
  description: "Self-serve outbound-call dispatch that stays fair when many customers share it.",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page renders per request: its scripts carry the nonce of that request's CSP (see proxy.ts). A page
  // prerendered at build time would have none, and the browser would refuse to run it.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">{children}</body>
    </html>
  );
}
