import Link from "next/link";

export default function HomePage() {
  return (
    <main className="mx-auto flex max-w-3xl flex-col gap-8 px-6 py-20">
      <div>
        <h1 className="text-4xl font-bold tracking-tight">fairdial</h1>
        <p className="mt-3 text-lg text-slate-600">
          Upload a list of leads, press start, watch the calls go out. Your first call leaves in under a second, however
          busy the platform is: every customer gets a fair share of calling capacity.
        </p>
      </div>
      <div className="flex gap-3">
        <Link href="/signup" className="rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500">
          Create an account
        </Link>
        <Link href="/signin" className="rounded-md border border-slate-300 bg-white px-4 py-2 font-medium hover:bg-slate-100">
          Sign in
        </Link>
      </div>
    </main>
  );
}
