// download.js: SendSafely's Node.js SDK, unchanged, downloads and
// decrypts one file with its own code (package information,
// download-urls, a GET of each part, OpenPGP). argv[2] is a JSON request:
// {url, apiKey, apiSecret, packageId, fileId, keyCode, out, timeoutMs?}. The file is
// written to out; one JSON line {fileId, bytes} is printed.
'use strict';
const fs = require('fs');
const { request, client } = require('./common');

const req = request();
const sdk = client(req);

sdk.on('save.file', (ev) => {
  fs.writeFileSync(req.out, ev.file);
  process.stdout.write(JSON.stringify({ fileId: ev.fileId, bytes: ev.file.length }) + '\n');
  process.exit(0);
});
sdk.downloadFile(req.packageId, req.fileId, req.keyCode);
