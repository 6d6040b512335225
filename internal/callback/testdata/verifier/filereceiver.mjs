// A file callback receiver from another ecosystem, run by internal/callback's
// TestFileReceiverInNode: it reads each post with busboy (the multipart parser
// most Node.js servers use, which nobody here wrote) and checks its
// signature twice:
//   - with the Standard Webhooks reference library (npm standardwebhooks),
//     given the body as a Buffer. Version 1.1.1 decodes a Buffer as UTF-8
//     before it signs it, so it can only verify bodies that are valid UTF-8
//     (text files): the test records what it says, and expects it to agree
//     for text;
//   - over the raw bytes, as the Standard Webhooks specification defines the
//     signature (HMAC-SHA256 of id "." timestamp "." body), with node:crypto.
//
//   WEBHOOK_SECRET=whsec_… node filereceiver.mjs
//
// It listens on 127.0.0.1 at a free port and prints {"listening":"<url>"},
// then one JSON line per post: {"library":bool,"raw":bool,"id","fields",
// "file":{"name","type","size","sha256"}}. A post whose raw signature
// verifies is answered as AmplifyReach's receivers answer,
// {"status":0,"uid":"U-<fileId>","url":…}; any other with 401.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import busboy from "busboy";
import { Webhook } from "standardwebhooks";

const secret = process.env.WEBHOOK_SECRET ?? "";
const wh = new Webhook(secret);
const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");

function rawVerified(headers, body) {
  const id = headers["webhook-id"] ?? "";
  const ts = headers["webhook-timestamp"] ?? "";
  if (Math.abs(Date.now() / 1000 - Number(ts)) > 300) return false;
  const mac = createHmac("sha256", key).update(`${id}.${ts}.`).update(body).digest();
  return (headers["webhook-signature"] ?? "").split(" ").some((s) => {
    const [v, sig] = s.split(",");
    const got = Buffer.from(sig ?? "", "base64");
    return v === "v1" && got.length === mac.length && timingSafeEqual(got, mac);
  });
}

function parse(headers, body) {
  return new Promise((resolve, reject) => {
    const fields = {};
    let file = null;
    const bb = busboy({ headers, limits: { fileSize: Infinity } });
    bb.on("field", (name, value) => (fields[name] = value));
    bb.on("file", (name, stream, info) => {
      const hash = createHash("sha256");
      let size = 0;
      stream.on("data", (d) => {
        hash.update(d);
        size += d.length;
      });
      stream.on("end", () => {
        file = { field: name, name: info.filename, type: info.mimeType, size, sha256: hash.digest("hex") };
      });
    });
    bb.on("close", () => resolve({ fields, file }));
    bb.on("error", reject);
    bb.end(body);
  });
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", async () => {
    const body = Buffer.concat(chunks);
    let library = true;
    try {
      wh.verify(body, req.headers, { jsonParse: false });
    } catch {
      library = false;
    }
    const raw = rawVerified(req.headers, body);
    let line = { library, raw, id: req.headers["webhook-id"], length: body.length };
    try {
      Object.assign(line, await parse(req.headers, body));
    } catch (err) {
      line.error = String(err && err.message);
    }
    process.stdout.write(JSON.stringify(line) + "\n");
    if (!raw) {
      res.writeHead(401).end();
      return;
    }
    const uid = `U-${line.fields?.fileId}`;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ status: 0, uid, url: `https://files.example/${uid}` }));
  });
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  process.stdout.write(JSON.stringify({ listening: `http://127.0.0.1:${port}/files` }) + "\n");
});

// The test closes stdin when it is done.
process.stdin.on("end", () => server.close(() => process.exit(0)));
process.stdin.resume();
