"use client";
import { type ComponentProps, useSyncExternalStore } from "react";
import { Button } from "./button";

const subscribe = () => () => {};

/**
 * True once React has hydrated this tree: false in the server's HTML, true on the client.
 */
export function useHydrated() {
  return useSyncExternalStore(subscribe, () => true, () => false);
}

/**
 * The submit button of a form handled by an onSubmit handler. It stays disabled until the page
 * has hydrated: a click before that would submit the form natively, as a GET to the page itself,
 * which reloads it, loses what was typed and puts the fields (a password, say) in the URL.
 */
export function SubmitButton({ disabled, ...props }: Omit<ComponentProps<typeof Button>, "type">) {
  const hydrated = useHydrated();
  return <Button type="submit" disabled={disabled || !hydrated} {...props} />;
}
