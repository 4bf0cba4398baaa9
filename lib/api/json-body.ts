// The one way REST routes read a JSON body: under API_JSON_MAX_BYTES, refused before anything parses it.
// A JSON document is parsed whole (50 MB of leads took ~150 MB of heap), unlike a CSV, which streams.
import { env } from "../env";
import { BodyTooLargeError, readCappedBody } from "../http/body";
import { formatBytes } from "../imports/byte-guard";
import { PayloadTooLargeError } from "./handler";

/** The body's bytes, re-streamed for readers that take a stream; PayloadTooLargeError (413) past the cap. */
export async function cappedJsonBody(req: Request): Promise<{ body: ReadableStream<Uint8Array>; length: number }> {
  const limit = env().API_JSON_MAX_BYTES;
  try {
    const bytes = await readCappedBody(req, limit);
    return { body: new Blob([bytes as BlobPart]).stream(), length: bytes.byteLength };
  } catch (err) {
    if (!(err instanceof BodyTooLargeError)) throw err;
    throw new PayloadTooLargeError(`The JSON body is larger than ${formatBytes(limit)}; send fewer leads per request, or upload them as a CSV.`);
  }
}
