// The one way REST routes read a JSON body: under API_JSON_MAX_BYTES, refused before anything parses it.
// A JSON document is parsed whole (50 MB of leads took ~150 MB of heap), unlike a CSV, which streams.
import { env } from "../env";
import { FieldError } from "../errors";
import { BodyTooLargeError, readCappedBody } from "../http/body";
import { formatBytes } from "../imports/byte-guard";
import { PayloadTooLargeError } from "./handler";

/** The body's bytes, re-streamed for readers that take a stream; PayloadTooLargeError (413) past the cap. */
export async function cappedJsonBody(req: Request): Promise<{ body: ReadableStream<Uint8Array>; length: number }> {
  const bytes = await cappedBytes(req);
  return { body: new Blob([bytes as BlobPart]).stream(), length: bytes.byteLength };
}

/** The body parsed as JSON under the same cap; a body that is not JSON is a 422. `optional`: an empty body is `{}`. */
export async function readJsonBody(req: Request, { optional = false }: { optional?: boolean } = {}): Promise<unknown> {
  const bytes = await cappedBytes(req);
  if (optional && bytes.byteLength === 0) return {};
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new FieldError({ _: ["The body is not valid JSON."] }, "The body is not valid JSON.");
  }
}

async function cappedBytes(req: Request): Promise<Uint8Array> {
  const limit = env().API_JSON_MAX_BYTES;
  try {
    return await readCappedBody(req, limit);
  } catch (err) {
    if (!(err instanceof BodyTooLargeError)) throw err;
    throw new PayloadTooLargeError(`The JSON body is larger than ${formatBytes(limit)}; send fewer leads per request, or upload them as a CSV.`);
  }
}
