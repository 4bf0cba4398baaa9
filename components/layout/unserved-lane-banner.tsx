export function UnservedLaneBanner() {
  return (
    <div role="status" data-testid="unserved-lane" className="rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
      <span className="font-semibold">Your calls run on a dedicated lane and no caller is serving it right now:</span> calls wait until the platform
      starts one.
    </div>
  );
}
