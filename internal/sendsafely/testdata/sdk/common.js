// Shared by upload.js and download.js: the request from argv, the SDK
// client, and failing loudly on any of the SDK's error events.
'use strict';
const SendSafely = require('@sendsafely/sendsafely');

function request() {
  return JSON.parse(process.argv[2]);
}

function client(req) {
  const sdk = new SendSafely(req.url, req.apiKey, req.apiSecret);
  const die = (event) => (...args) => {
    process.stderr.write(event + ': ' + JSON.stringify(args) + '\n');
    process.exit(1);
  };
  for (const event of ['sendsafely.error', 'file.upload.error', 'server.error', 'limit.exceeded',
    'duplicate.file', 'invalid.file.name', 'finalization.error', 'session.timeout',
    'create.package.failed', 'package.information.failed', 'keycode.get.failed', 'add.keycode.failed']) {
    sdk.on(event, die(event));
  }
  // Nothing the tests ask of the SDK takes a minute: a hang is a failure.
  // make bench downloads a gigabyte and gives its own bound (timeoutMs).
  setTimeout(die('timeout'), req.timeoutMs || 60000).unref();
  return sdk;
}

module.exports = { request, client };
