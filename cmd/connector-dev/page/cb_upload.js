// The local stand-in for the SendSafely Dropzone upload page. It does what
// the real page does: make the package at SendSafely (in verified mode, at
// connector-dev's SendSafely stand-in: label = the upload id, sender = the
// email, the chosen files in it; finalizing it encrypts the keycode to
// every registered key), ask SendSafely's server (here connector-dev, on
// this page's origin) to sign the submission, then post digest, data and secureLink, form-encoded, to
// every integration URL, cross-origin, and read the answer
// {"result":"success"}. With verified mode off, it makes up the package
// id and link instead. The "Don't notify the connector" switch stops after
// the package is made, as a tab closed too early would.
"use strict";
(function () {
  const params = new URLSearchParams(location.search);
  const uploadId = params.get("id") || "";
  const dropzoneId = params.get("dz") || "";
  const host = params.get("h") || "";

  const form = document.getElementById("upload");
  const email = document.getElementById("email");
  const files = document.getElementById("files");
  const button = document.getElementById("submit");
  const status = document.getElementById("status");
  const noNotify = document.getElementById("no-notify");
  let verified = false;

  email.value = params.get("e") || "";
  document.getElementById("upload-id").textContent = uploadId;
  document.getElementById("dropzone-id").textContent = dropzoneId;
  document.getElementById("host").textContent = host;

  function setStatus(kind, text) {
    status.hidden = false;
    status.className = kind;
    status.textContent = text;
  }

  function base64url(bytes) {
    let s = "";
    bytes.forEach(function (b) { s += String.fromCharCode(b); });
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function randomBytes(n) {
    const b = new Uint8Array(n);
    crypto.getRandomValues(b);
    return b;
  }

  // A package id shaped like SendSafely's, such as A4Z1-MBLN.
  function newPackageId() {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let id = "";
    randomBytes(8).forEach(function (b, i) {
      if (i === 4) { id += "-"; }
      id += alphabet[b % alphabet.length];
    });
    return id;
  }

  if (!uploadId || !dropzoneId || !host) {
    setStatus("error", "This link is incomplete: it needs the id, dz and h parameters.");
    button.disabled = true;
    return;
  }

  // Whether packages are made at the SendSafely stand-in (verified mode);
  // the closed-tab switch is shown only then.
  const ready = fetch("/dev/mode").then(function (r) { return r.json(); }).then(function (m) {
    verified = m.verified === true;
    document.getElementById("no-notify-row").hidden = !verified;
  }).catch(function () { verified = false; });

  // makePackage makes the package at the SendSafely stand-in with the
  // chosen files and finalizes it, as the real page does with SendSafely's
  // API. The real page encrypts each file in the browser; this one sends
  // them, multipart, to connector-dev, which stores them encrypted as the
  // real page would.
  async function makePackage() {
    const body = new FormData();
    body.append("name", uploadId);
    body.append("email", email.value.trim());
    for (const f of files.files) {
      body.append("files", f, f.name);
    }
    const resp = await fetch("/dev/package", { method: "POST", body: body });
    const p = await resp.json();
    if (p.success !== "true") {
      throw new Error(p.message || "the package could not be made");
    }
    return p;
  }

  function showPackage(packageId) {
    document.getElementById("package-id").textContent = packageId;
    document.getElementById("package").hidden = false;
    form.hidden = true;
  }

  form.addEventListener("submit", async function (ev) {
    ev.preventDefault();
    if (files.files.length === 0) {
      setStatus("error", "Choose at least one file.");
      return;
    }
    button.disabled = true;
    setStatus("busy", "Submitting…");

    // The package is shown on success only: beside "Submission failed" it
    // would read as if something had been sent.
    document.getElementById("package").hidden = true;

    try {
      await ready;
      let packageId, packageCode, secureLink;
      if (verified) {
        // 0. The package, made and finalized at SendSafely.
        const p = await makePackage();
        packageId = p.packageId;
        packageCode = p.packageCode;
        secureLink = p.secureLink;
        if (noNotify.checked) {
          // The tab closes here: the connector hears of nothing.
          setStatus("success", "Files submitted; the connector was not notified");
          showPackage(packageId);
          return;
        }
      } else {
        packageId = newPackageId();
        packageCode = base64url(randomBytes(32));
        const keyCode = base64url(randomBytes(32)); // never leaves the browser but in the link
        secureLink = "https://" + host + "/receive/?thread=" + encodeURIComponent(packageId) +
          "&packageCode=" + encodeURIComponent(packageCode) + "#keyCode=" + encodeURIComponent(keyCode);
      }

      // 1. SendSafely's server signs the submission.
      const signResp = await fetch("/auth/json/?action=submitHostedDropzone", {
        method: "POST",
        body: new URLSearchParams({
          name: uploadId, email: email.value.trim(), packageCode: packageCode,
          publicApiKey: dropzoneId, packageId: packageId,
        }),
      });
      const signed = await signResp.json();
      if (signed.success !== "true") {
        throw new Error(signed.message || "the submission could not be signed");
      }

      // 2. Notify every integration URL, from this browser, cross-origin.
      const failures = [];
      const urls = signed.integrationUrls || [];
      for (const url of urls) {
        try {
          const resp = await fetch(url, {
            method: "POST",
            body: new URLSearchParams({ digest: signed.digest, data: signed.data, secureLink: secureLink }),
          });
          let answer = {};
          try { answer = await resp.json(); } catch (e) { /* not JSON: judged by the status below */ }
          if (String(answer.result).toLowerCase() !== "success") {
            failures.push(answer.error || ("HTTP " + resp.status));
          }
        } catch (e) {
          // What a browser reports when CORS, or the network, blocks the call.
          failures.push(url + ": " + e.message);
        }
      }
      if (urls.length === 0) {
        failures.push("no integration URL is configured");
      }
      if (failures.length > 0) {
        throw new Error(failures.join("; "));
      }
      setStatus("success", "Files submitted");
      showPackage(packageId);
    } catch (err) {
      setStatus("error", "Submission failed: " + err.message);
      button.disabled = false;
    }
  });
})();
