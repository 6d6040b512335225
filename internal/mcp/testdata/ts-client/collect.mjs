// collect_files from a client nobody here wrote: the TypeScript SDK v2
// (@modelcontextprotocol/client) on protocol 2026-07-28, run by
// internal/mcp's TestCollectFilesTypeScript.
//
//   node collect.mjs <mcp url> <api token> <email> <url|none>
//
// With "url" the client declares URL elicitation and answers the
// elicitation/create input request of collect_files: it prints the request
// as a JSON line, waits for a line on stdin (the test opens the URL and
// submits files in between) and accepts; the SDK then retries the call
// with the requestState by itself. With "none" it declares nothing. Either
// way it prints the tool's final result as the last JSON line.
import { createInterface } from "node:readline";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";

const [url, token, email, mode] = process.argv.slice(2);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

const transport = new StreamableHTTPClientTransport(new URL(url), {
  requestInit: { headers: { Authorization: `Bearer ${token}` } },
});
const client = new Client(
  { name: "connector-ts-v2-test", version: "1.0.0" },
  {
    capabilities: mode === "url" ? { elicitation: { url: {} } } : {},
    versionNegotiation: { mode: { pin: "2026-07-28" } },
  },
);
let elicitations = 0;
if (mode === "url") {
  client.setRequestHandler("elicitation/create", async (request) => {
    elicitations++;
    console.log(JSON.stringify({ elicitation: request.params }));
    await lines.next();
    return { action: "accept" };
  });
}
await client.connect(transport);

const result = await client.callTool({
  name: "collect_files",
  arguments: { email, purpose: "A scan of your signed contract." },
});
console.log(JSON.stringify({
  protocolVersion: client.getNegotiatedProtocolVersion(),
  elicitations,
  result: { isError: !!result.isError, structuredContent: result.structuredContent, text: result.content?.[0]?.text },
}));
await client.close();
process.exit(0);
