import type { FormEvent } from "react";

/**
 * An onSubmit handler that hands the form's data to `handler` and keeps what the user typed.
 * (A function passed as `<form action>` makes React reset every field once the action settles,
 * which wipes input after an error and races with someone still typing.) Return true to clear
 * the form, e.g. after something was created.
 */
export function submitForm(handler: (form: FormData) => unknown) {
  return (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const element = event.currentTarget;
    void Promise.resolve(handler(new FormData(element))).then((clear) => {
      if (clear === true) element.reset();
    });
  };
}
