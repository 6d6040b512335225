// A callback receiver from another ecosystem: it checks every delivery with
// the Standard Webhooks reference library (npm standardwebhooks), which
// nobody here wrote. Run by internal/callback's TestReferenceVerifier:
//
//   WEBHOOK_SECRET=whsec_… node verifier.mjs [status,status,…]
//
// It listens on 127.0.0.1 at a free port and prints {"listening":"<url>"},
// then one JSON line per request: {"verified":true,"id":…,"timestamp":…,
// "payload":…} when the library accepts it, or {"verified":false,
// "error":…}. A verified request is answered with the next status of the
// list (the last repeats; 204 when none), a rejected one with 401.
import { createServer } from "node:http";
import { Webhook } from "standardwebhooks";

const wh = new Webhook(process.env.WEBHOOK_SECRET ?? "");
const script = (process.argv[2] ?? "204").split(",").map(Number);
let verified = 0;

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    let line;
    let status;
    try {
      const payload = wh.verify(body, req.headers);
      line = {
        verified: true,
        method: req.method,
        contentType: req.headers["content-type"],
        id: req.headers["webhook-id"],
        timestamp: req.headers["webhook-timestamp"],
        payload,
      };
      status = script[Math.min(verified, script.length - 1)];
      verified++;
    } catch (err) {
      line = { verified: false, error: String(err && err.message) };
      status = 401;
    }
    process.stdout.write(JSON.stringify(line) + "\n");
    res.writeHead(status).end();
  });
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  process.stdout.write(JSON.stringify({ listening: `http://127.0.0.1:${port}/hooks` }) + "\n");
});

// The test closes stdin when it is done.
process.stdin.on("end", () => server.close(() => process.exit(0)));
process.stdin.resume();
