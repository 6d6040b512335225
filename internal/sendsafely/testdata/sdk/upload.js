// upload.js: SendSafely's Node.js SDK, unchanged, makes a package, sets
// its label, encrypts and uploads files from disk with its own code,
// encrypts the keycode to every public key of the package (the Trusted
// Browser key among them) and finalizes. argv[2] is a JSON request:
// {url, apiKey, apiSecret, label, files: [paths]}. It prints one JSON line:
// {packageId, packageCode, serverSecret, keyCode, link, files: [{fileId,
// fileName, fileSize}]}.
'use strict';
const { request, client } = require('./common');

const req = request();
const sdk = client(req);

sdk.createPackage((packageId, serverSecret, packageCode, keyCode) => {
  const out = { packageId, packageCode, serverSecret, keyCode, files: [] };
  sdk.updatePackage(packageId, { label: req.label }, () => {
    sdk.encryptAndUploadFiles(packageId, keyCode, serverSecret, req.files, 'NODE_API', (pid, fileId, fileSize, fileName) => {
      out.files.push({ fileId, fileName, fileSize });
      if (out.files.length < req.files.length) {
        return;
      }
      sdk.finalizePackage(packageId, packageCode, keyCode, (link) => {
        out.link = link;
        process.stdout.write(JSON.stringify(out) + '\n');
        process.exit(0);
      });
    });
  });
});
