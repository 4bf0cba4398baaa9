export function AwaitingApprovalBanner() {
  return (
    <div role="status" data-testid="awaiting-approval" className="border-b border-amber-200 bg-amber-50">
      <p className="mx-auto max-w-6xl px-6 py-2.5 text-sm text-amber-900">
        <span className="font-semibold">Your account is awaiting approval;</span> campaigns can be prepared but won&apos;t dial until it is approved.
      </p>
    </div>
  );
}
