"use client";
import type { GuessedMapping } from "@/lib/imports/mapping";
import type { ImportResult } from "@/lib/imports/schema";
import type { Delimiter } from "@/lib/imports/csv-reader";

export const PREVIEW_BYTES = 64 * 1024;

export interface CsvPreview {
  headers: string[];
  rows: string[][];
  delimiter: Delimiter;
  mapping: GuessedMapping;
}

export type Failure = { ok: false; status: number; message: string; fields?: Record<string, string[]> };

/** The server parses the first 64 KB with the import's own CSV reader, so quoting rules match exactly. */
export async function previewCsv(file: File): Promise<{ ok: true; preview: CsvPreview } | Failure> {
  const truncated = file.size > PREVIEW_BYTES;
  try {
    const res = await fetch(`/api/campaigns/preview${truncated ? "?truncated=1" : ""}`, { method: "POST", body: file.slice(0, PREVIEW_BYTES) });
    const body = await res.json().catch(() => null);
    if (res.ok) return { ok: true, preview: body as CsvPreview };
    return failure(res.status, body);
  } catch {
    return { ok: false, status: 0, message: "Could not reach the server to read the file. Check your connection and try again." };
  }
}

/**
 * Sends the form with XMLHttpRequest, the one browser API that reports upload progress. The file must be
 * the form's last entry: the server reads the fields first and streams the file.
 */
export function uploadCampaign(form: FormData, onProgress: (fraction: number) => void): Promise<{ ok: true; result: ImportResult } | Failure> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/campaigns");
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status === 201) resolve({ ok: true, result: xhr.response as ImportResult });
      else resolve(failure(xhr.status, xhr.response));
    };
    xhr.onerror = () => resolve({ ok: false, status: 0, message: "The upload was interrupted. Check your connection and try again; nothing was imported." });
    xhr.send(form);
  });
}

function failure(status: number, body: unknown): Failure {
  const error = (body as { error?: { message?: string; fields?: Record<string, string[]>; line?: number } } | null)?.error;
  if (status === 401) return { ok: false, status, message: "Your session has ended. Sign in again, then retry." };
  if (!error?.message) return { ok: false, status, message: `The server could not process the file (HTTP ${status}). Nothing was imported.` };
  return { ok: false, status, message: error.message, fields: error.fields };
}
