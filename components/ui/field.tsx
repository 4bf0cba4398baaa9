import type { InputHTMLAttributes, SelectHTMLAttributes } from "react";

const control = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500";

export function Field({ label, name, errors, hint, ...props }: InputHTMLAttributes<HTMLInputElement> & { label: string; name: string; errors?: string[]; hint?: string }) {
  return (
    <label className="block text-sm">
      <span className="font-medium text-slate-700">{label}</span>
      <input name={name} id={name} aria-invalid={errors?.length ? true : undefined} className={control} {...props} />
      {hint && !errors?.length && <span className="mt-1 block text-xs text-slate-500">{hint}</span>}
      <FieldErrors errors={errors} />
    </label>
  );
}

export function SelectField({ label, name, errors, children, ...props }: SelectHTMLAttributes<HTMLSelectElement> & { label: string; name: string; errors?: string[] }) {
  return (
    <label className="block text-sm">
      <span className="font-medium text-slate-700">{label}</span>
      <select name={name} id={name} className={control} {...props}>
        {children}
      </select>
      <FieldErrors errors={errors} />
    </label>
  );
}

export function FieldErrors({ errors }: { errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <span role="alert" className="mt-1 block text-xs text-rose-600">
      {errors.join(" ")}
    </span>
  );
}

export function FormMessage({ message, tone = "error" }: { message?: string | null; tone?: "error" | "success" }) {
  if (!message) return null;
  const style = tone === "error" ? "border-rose-200 bg-rose-50 text-rose-700" : "border-emerald-200 bg-emerald-50 text-emerald-700";
  return (
    <p role={tone === "error" ? "alert" : "status"} data-testid={tone === "error" ? "form-error" : "form-success"} className={`rounded-md border px-3 py-2 text-sm ${style}`}>
      {message}
    </p>
  );
}
