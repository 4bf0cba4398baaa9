"use client";
import { useState } from "react";
import { formatFileSize } from "./format";

/** A file input that also takes a dropped file. The input stays in the tab order (visually hidden). */
export function CsvDropZone({ file, onFile, disabled }: { file: File | null; onFile: (file: File) => void; disabled?: boolean }) {
  const [over, setOver] = useState(false);
  return (
    <div className="text-sm">
      <span id="csv-file-label" className="font-medium text-slate-700">CSV file</span>
      <label
        htmlFor="csv-file"
        onDragOver={(e) => {
          e.preventDefault();
          if (!disabled) setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          const dropped = e.dataTransfer.files[0];
          if (dropped && !disabled) onFile(dropped);
        }}
        className={`mt-1 flex cursor-pointer flex-col items-center justify-center gap-1 rounded-lg border-2 border-dashed px-6 py-8 text-center transition focus-within:border-indigo-500 focus-within:ring-1 focus-within:ring-indigo-500 ${
          over ? "border-indigo-500 bg-indigo-50" : "border-slate-300 bg-slate-50 hover:bg-slate-100"
        } ${disabled ? "cursor-not-allowed opacity-60" : ""}`}
      >
        <svg aria-hidden viewBox="0 0 24 24" className="h-8 w-8 text-slate-400" fill="none" stroke="currentColor" strokeWidth={1.5}>
          <path strokeLinecap="round" strokeLinejoin="round" d="M12 16V4m0 0-4 4m4-4 4 4M4 16v2a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-2" />
        </svg>
        {file ? (
          <span className="font-medium text-slate-800" data-testid="chosen-file">
            {file.name} <span className="font-normal text-slate-500">({formatFileSize(file.size)})</span>
          </span>
        ) : (
          <span className="font-medium text-slate-800">Drop a CSV file here, or click to choose one</span>
        )}
        <span className="text-xs text-slate-500">{file ? "Drop or choose another file to replace it" : "UTF-8, comma, semicolon or tab separated, with a header row"}</span>
        <input
          id="csv-file"
          name="file"
          type="file"
          accept=".csv,.txt,text/csv,text/plain"
          aria-labelledby="csv-file-label"
          disabled={disabled}
          className="sr-only"
          onChange={(e) => {
            const chosen = e.currentTarget.files?.[0];
            if (chosen) onFile(chosen);
          }}
        />
      </label>
    </div>
  );
}
