// The Node.js reference of the cold-start row in docs/performance.md: what a
// first generateId must ask of AWS (read the secret, one conditional
// PutItem), with AWS SDK v3, under the smallest Lambda Runtime API loop.
// Like bench/floor, it does nothing else: no validation, no sealing.
import { randomBytes } from "node:crypto";
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

const api = `http://${process.env.AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime`;
// Clients are built once, outside the handler, as the Go function does; the
// SDK reads the region and credentials from the environment.
const endpoint = process.env.AWS_ENDPOINT_URL || undefined;
const ddb = new DynamoDBClient({ endpoint });
const sm = new SecretsManagerClient({ endpoint });
let secret;

async function handle() {
  if (secret === undefined) {
    const out = await sm.send(new GetSecretValueCommand({ SecretId: process.env.SECRET_ARN }));
    secret = out.SecretString;
  }
  const key = randomBytes(32).toString("hex");
  await ddb.send(new PutItemCommand({
    TableName: process.env.TABLE_NAME,
    Item: {
      pk: { S: key },
      v: { N: "1" },
      expiresAt: { N: String(Math.floor(Date.now() / 1000) + 86400) },
      d: { B: randomBytes(128) },
    },
    ConditionExpression: "attribute_not_exists(pk)",
  }));
  return { statusCode: 200, headers: { "Content-Type": "application/json" }, body: JSON.stringify({ Result: "Success", UploadId: key }) };
}

for (;;) {
  const next = await fetch(`${api}/invocation/next`);
  const id = next.headers.get("lambda-runtime-aws-request-id");
  await next.text();
  try {
    const res = await handle();
    await fetch(`${api}/invocation/${id}/response`, { method: "POST", body: JSON.stringify(res) });
  } catch (err) {
    await fetch(`${api}/invocation/${id}/error`, {
      method: "POST",
      body: JSON.stringify({ errorMessage: String(err), errorType: err?.name ?? "Error" }),
    });
  }
}
