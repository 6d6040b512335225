// An MCP client from another ecosystem: the official TypeScript SDK, run
// against the connector by internal/mcp's TestTypeScriptClient.
//
//   node client.mjs <mcp url> <api token> <email>
//
// It lists the tools, calls generate_upload_link and get_secure_link (which
// answers Pending), prints what it saw as one JSON line, then waits for a
// line on stdin (the test submits files and retrieves them in between),
// calls get_secure_link again, list_files, and read_file of every file
// listed, and prints those results as a second JSON line.
import { createInterface } from "node:readline";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [url, token, email] = process.argv.slice(2);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

const transport = new StreamableHTTPClientTransport(new URL(url), {
  requestInit: { headers: { Authorization: `Bearer ${token}` } },
});
const client = new Client({ name: "connector-ts-test", version: "1.0.0" });
await client.connect(transport);

const { tools } = await client.listTools();
const generated = await client.callTool({ name: "generate_upload_link", arguments: { email } });
const uploadId = generated.structuredContent?.uploadId;
const pending = await client.callTool({ name: "get_secure_link", arguments: { uploadId, email } });
const unknown = await client.callTool({
  name: "get_secure_link",
  arguments: { uploadId: "0b7f3c2e-9d4a-4e1b-8c6d-5a3f2e1d0c9b", email },
});
console.log(JSON.stringify({
  protocolVersion: transport.protocolVersion,
  server: client.getServerVersion(),
  tools: tools.map((t) => ({ name: t.name, readOnlyHint: t.annotations?.readOnlyHint ?? false, outputSchema: !!t.outputSchema })),
  generated: { structuredContent: generated.structuredContent, text: generated.content?.[0]?.text },
  pending: { isError: !!pending.isError, structuredContent: pending.structuredContent },
  unknown: { isError: !!unknown.isError, text: unknown.content?.[0]?.text },
}));

await lines.next();
const ready = await client.callTool({ name: "get_secure_link", arguments: { uploadId, email } });
const listed = await client.callTool({ name: "list_files", arguments: { uploadId, email } });
const reads = {};
for (const f of listed.structuredContent?.files ?? []) {
  const read = await client.callTool({ name: "read_file", arguments: { uploadId, email, fileId: f.id } });
  reads[f.name] = {
    isError: !!read.isError,
    structuredContent: read.structuredContent,
    content: read.content.map((c) => ({ type: c.type, text: c.text, data: c.data, mimeType: c.mimeType, uri: c.uri })),
  };
}
console.log(JSON.stringify({
  ready: { isError: !!ready.isError, structuredContent: ready.structuredContent },
  listed: { isError: !!listed.isError, structuredContent: listed.structuredContent },
  reads,
}));
await client.close();
process.exit(0);
