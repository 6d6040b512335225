// An MCP client from another ecosystem: the official TypeScript SDK, run
// against the connector by internal/mcp's TestTypeScriptClient.
//
//   node client.mjs <mcp url> <api token> <email>
//
// It lists the tools, calls generate_upload_link and get_secure_link (which
// answers Pending), prints what it saw as one JSON line, then waits for a
// line on stdin (the test submits files in between), calls get_secure_link
// again and prints that result as a second JSON line.
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
console.log(JSON.stringify({ ready: { isError: !!ready.isError, structuredContent: ready.structuredContent } }));
await client.close();
process.exit(0);
