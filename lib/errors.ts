// Domain errors that every entry point (page, action, REST route) maps the same way.
export class NotFoundError extends Error {
  constructor(what = "Not found") {
    super(what);
  }
}

export class ForbiddenError extends Error {}

/** A state conflict the user can understand, e.g. "cannot start a cancelled campaign". */
export class ConflictError extends Error {
  constructor(message: string, readonly code = "conflict") {
    super(message);
  }
}

export class FieldError extends Error {
  constructor(readonly fields: Record<string, string[]>, message = "Some fields need attention") {
    super(message);
  }
}
