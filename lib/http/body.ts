// Request bodies read with a ceiling, before anything parses them: a declared Content-Length over the limit is
// refused without reading, and a body without one (chunked) is cut off as soon as it passes the limit.
export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`The request body is larger than ${limitBytes.toLocaleString("en-US")} bytes.`);
  }
}

/** The body's bytes, at most `limitBytes` of them; throws BodyTooLargeError past that. */
export async function readCappedBody(req: Request, limitBytes: number): Promise<Uint8Array> {
  const declared = req.headers.get("content-length");
  if (declared !== null && (!/^\d+$/.test(declared) || Number(declared) > limitBytes)) throw new BodyTooLargeError(limitBytes);
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limitBytes) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLargeError(limitBytes);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

export async function readCappedText(req: Request, limitBytes: number): Promise<string> {
  return new TextDecoder().decode(await readCappedBody(req, limitBytes));
}

/**
 * The same request with its body already read under the cap, for handing on to code that reads the body itself
 * (next-auth, form parsers): they then see at most `limitBytes`.
 */
export async function withCappedBody(req: Request, limitBytes: number): Promise<Request> {
  if (req.method === "GET" || req.method === "HEAD") return req;
  const body = await readCappedBody(req, limitBytes);
  const headers = new Headers(req.headers);
  headers.set("content-length", String(body.byteLength));
  return new Request(req.url, { method: req.method, headers, body: body as BodyInit, signal: req.signal });
}

export function tooLargeResponse(err: BodyTooLargeError): Response {
  return Response.json({ error: { code: "payload_too_large", message: err.message } }, { status: 413 });
}
