// /api-docs — the REST API reference, rendered from the same OpenAPI document as /api/v1/openapi.json
import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { openApiDocument } from "@/lib/api/openapi";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "API reference" };
// The curl examples show this deployment's own URL, which is runtime configuration.
export const dynamic = "force-dynamic";

export default function ApiDocsPage() {
  const doc = openApiDocument();
  const base = (env().PUBLIC_BASE_URL ?? env().NEXTAUTH_URL).replace(/\/$/, "");
  const operations = listOperations(doc);
  return (
    <main className="mx-auto flex max-w-4xl flex-col gap-6 px-6 py-12">
      <header>
        <h1 className="text-3xl font-bold tracking-tight">{doc.info.title}</h1>
        <p className="mt-2 text-slate-600">{doc.info.description}</p>
        <p className="mt-2 text-sm text-slate-500">
          Version {doc.info.version} · OpenAPI {doc.openapi} ·{" "}
          <a href="/api/v1/openapi.json" className="text-indigo-600 hover:underline">
            openapi.json
          </a>{" "}
          for code generators
        </p>
      </header>

      <Card title="Authentication">
        <div className="space-y-2 text-sm text-slate-700">
          <p>
            Every request except the OpenAPI document carries an API key: create one under <strong>Settings → API keys</strong> (it is
            shown once) and send it as a bearer token. A missing, wrong or revoked key gets <Code>401</Code>.
          </p>
          <Pre>{`Authorization: Bearer fdk_live_…`}</Pre>
          <p>
            A key acts for its account only: another account&apos;s campaign id answers <Code>404</Code>, as an unknown one does.
          </p>
        </div>
      </Card>

      <Card title="Create a campaign from a CSV">
        <div className="space-y-2 text-sm text-slate-700">
          <p>
            Send the text fields first and the file last. Columns named phone, name and timezone are recognised; every other column
            becomes a variable of the lead. The campaign is created as a draft; start it with <Code>POST …/start</Code>.
          </p>
          <Pre>{`curl -X POST "${base}/api/v1/campaigns" \\
  -H "Authorization: Bearer $FAIRDIAL_API_KEY" \\
  -F name="Spring outreach" \\
  -F defaultCountry=US \\
  -F file=@leads.csv`}</Pre>
          <p>Or send the leads as JSON:</p>
          <Pre>{`curl -X POST "${base}/api/v1/campaigns" \\
  -H "Authorization: Bearer $FAIRDIAL_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{
    "name": "Spring outreach",
    "leads": [{"phone": "+14155550123", "name": "Ada", "variables": {"plan": "gold"}}]
  }'`}</Pre>
        </div>
      </Card>

      <Card title="Errors">
        <div className="space-y-2 text-sm text-slate-700">
          <p>
            Errors share one shape. <Code>fields</Code> comes with validation errors (422), <Code>line</Code> with a CSV that cannot be
            imported.
          </p>
          <Pre>{`{
  "error": {
    "code": "validation_failed",
    "message": "The request has invalid fields.",
    "fields": {"leads.0.phone": ["phone is required"]}
  }
}`}</Pre>
        </div>
      </Card>

      <nav aria-label="Endpoints" className="rounded-lg border border-slate-200 bg-white p-5 text-sm shadow-sm">
        <h2 className="mb-2 text-base font-semibold">Endpoints</h2>
        <ul className="space-y-1">
          {operations.map((op) => (
            <li key={op.id}>
              <Link href={`#${op.id}`} className="hover:underline">
                <Method method={op.method} /> <span className="font-mono">{op.path}</span> <span className="text-slate-500">— {op.summary}</span>
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      {operations.map((op) => (
        <OperationCard key={op.id} op={op} doc={doc} />
      ))}
    </main>
  );
}

function OperationCard({ op, doc }: { op: Operation; doc: Doc }) {
  const parameters = op.parameters ?? [];
  const bodies = Object.entries(op.requestBody?.content ?? {});
  return (
    <section id={op.id} className="scroll-mt-6 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <h2 className="flex flex-wrap items-center gap-2 text-base font-semibold">
        <Method method={op.method} />
        <span className="font-mono">{op.path}</span>
        {op.public && <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs font-normal text-slate-600">no key needed</span>}
      </h2>
      <p className="mt-1 text-sm text-slate-800">{op.summary}</p>
      {op.description && <p className="mt-1 text-sm text-slate-500">{inlineCode(op.description)}</p>}

      {parameters.length > 0 && (
        <Section title="Parameters">
          <FieldTable rows={parameters.map((p) => ({ name: p.name, where: p.in, type: typeOf(p.schema, doc), required: !!p.required, note: p.description ?? p.schema?.description }))} />
        </Section>
      )}
      {bodies.map(([mediaType, { schema }]) => (
        <Section key={mediaType} title={`Request body · ${mediaType}`}>
          <FieldTable rows={fieldsOf(schema, doc)} />
        </Section>
      ))}
      <Section title="Responses">
        <ul className="space-y-1 text-sm">
          {Object.entries(op.responses).map(([status, response]) => (
            <li key={status} className="flex gap-3">
              <span className={`w-10 shrink-0 font-mono font-semibold ${status.startsWith("2") ? "text-emerald-700" : "text-rose-700"}`}>{status}</span>
              <span className="text-slate-700">
                {inlineCode(response.description ?? "")}
                {Object.entries(response.content ?? {}).map(([mediaType, { schema }]) => (
                  <span key={mediaType} className="text-slate-500">
                    {" "}
                    · <Code>{mediaType}</Code> {typeOf(schema, doc)}
                  </span>
                ))}
              </span>
            </li>
          ))}
        </ul>
      </Section>
    </section>
  );
}

function FieldTable({ rows }: { rows: { name: string; where?: string; type: string; required: boolean; note?: string }[] }) {
  return (
    <table className="w-full table-fixed text-left text-sm">
      <colgroup>
        <col className="w-44" />
        <col className="w-60" />
        <col />
      </colgroup>
      <tbody className="divide-y divide-slate-100">
        {rows.map((row) => (
          <tr key={`${row.where ?? ""}${row.name}`} className="align-top">
            <td className="py-1.5 pr-3 font-mono break-words">
              {row.name}
              {row.required && <span className="text-rose-600" title="required">*</span>}
            </td>
            <td className="py-1.5 pr-3 break-words text-slate-500">{[row.where, row.type].filter(Boolean).join(" · ")}</td>
            <td className="py-1.5 text-slate-700">{inlineCode(row.note ?? "")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="mt-4">
      <h3 className="mb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">{title}</h3>
      {children}
    </div>
  );
}

const METHOD_COLOURS: Record<string, string> = { GET: "bg-sky-100 text-sky-800", POST: "bg-emerald-100 text-emerald-800" };

function Method({ method }: { method: string }) {
  return <span className={`inline-block w-12 rounded px-1.5 py-0.5 text-center font-mono text-xs font-semibold ${METHOD_COLOURS[method] ?? "bg-slate-100"}`}>{method}</span>;
}

function Code({ children }: { children: React.ReactNode }) {
  return <code className="rounded bg-slate-100 px-1 py-0.5 font-mono text-[0.85em]">{children}</code>;
}

/** Descriptions in the document use Markdown's `code` spans; that is all the Markdown they use. */
function inlineCode(text: string) {
  return text.split("`").map((part, i) => (i % 2 === 1 ? <Code key={i}>{part}</Code> : part));
}

function Pre({ children }: { children: string }) {
  return <pre className="overflow-x-auto rounded-md bg-slate-900 p-3 font-mono text-xs leading-relaxed text-slate-100">{children}</pre>;
}

// Walking the generated document: just enough of OpenAPI 3.1 to name types and list fields.

type Doc = ReturnType<typeof openApiDocument>;
type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema | boolean;
  anyOf?: Schema[];
  description?: string;
  format?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  maxItems?: number;
};
type Media = Record<string, { schema?: Schema }>;
type Operation = {
  id: string;
  method: string;
  path: string;
  summary?: string;
  description?: string;
  public: boolean;
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: Schema }[];
  requestBody?: { content: Media };
  responses: Record<string, { description?: string; content?: Media }>;
};

function listOperations(doc: Doc): Operation[] {
  return Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Omit<Operation, "id" | "method" | "path" | "public"> & { operationId?: string; security?: unknown[] }>).map(([method, op]) => ({
      ...op,
      id: op.operationId ?? `${method}-${path}`,
      method: method.toUpperCase(),
      path,
      public: Array.isArray(op.security) && op.security.length === 0,
    })),
  );
}

function resolve(schema: Schema | undefined, doc: Doc): Schema | undefined {
  if (!schema?.$ref) return schema;
  const name = schema.$ref.split("/").pop()!;
  return (doc.components?.schemas as Record<string, Schema> | undefined)?.[name];
}

function typeOf(schema: Schema | undefined, doc: Doc): string {
  if (!schema) return "";
  if (schema.$ref) return schema.$ref.split("/").pop()!;
  if (schema.enum) return schema.enum.join(" | ");
  if (schema.anyOf) return schema.anyOf.map((s) => typeOf(s, doc)).join(" | ");
  const types = Array.isArray(schema.type) ? schema.type : [schema.type ?? "any"];
  return types
    .map((t) => {
      if (t === "array") return `${typeOf(schema.items, doc)}[]`;
      if (t === "object" && schema.properties) return `{ ${Object.keys(schema.properties).join(", ")} }`;
      if (t === "object" && typeof schema.additionalProperties === "object") return `map of ${typeOf(schema.additionalProperties, doc)}`;
      if (t === "integer" && schema.minimum !== undefined && schema.maximum !== undefined) return `integer ${schema.minimum}–${schema.maximum}`;
      return schema.format === "binary" ? "file" : t;
    })
    .join(" | ");
}

/** The fields of a body schema; an array of objects (JSON leads) lists its items' fields as `leads[].phone`. */
function fieldsOf(ref: Schema | undefined, doc: Doc, prefix = ""): { name: string; type: string; required: boolean; note?: string }[] {
  const schema = resolve(ref, doc);
  // A body of several shapes (one number or `numbers`) lists each shape's fields, numbered.
  if (schema?.anyOf) {
    return schema.anyOf.flatMap((alternative, i) => fieldsOf(alternative, doc, prefix).map((row) => ({ ...row, note: [`shape ${i + 1}`, row.note].filter(Boolean).join("; ") })));
  }
  // A raw body (a CSV file as text/csv) is one value: the whole body.
  if (!prefix && schema?.type === "string") return [{ name: "(the body)", type: "string", required: true, note: schema.description }];
  const rows: { name: string; type: string; required: boolean; note?: string }[] = [];
  for (const [name, field] of Object.entries(schema?.properties ?? {})) {
    const limits = [field.default !== undefined && `default ${JSON.stringify(field.default)}`, field.maxLength && `at most ${field.maxLength} characters`, field.maxItems && `at most ${field.maxItems.toLocaleString("en-US")}`];
    const note = [field.description, ...limits].filter(Boolean).join("; ");
    rows.push({ name: prefix + name, type: typeOf(field, doc), required: !!schema?.required?.includes(name), note });
    if (field.type === "array" && field.items?.properties) rows.push(...fieldsOf(field.items, doc, `${prefix}${name}[].`));
  }
  return rows;
}
