// The offline verifier (/verifikasi/offline): a certificate's QR is checked here, in the
// browser, against the issuer's public keys kept from /.well-known/jwks.json; no request
// leaves the device. Its service worker (/verifikasi/offline-sw.js) keeps this page, this
// script and the keys, so once loaded it works with no network at all.
//
// A signature stays valid after the issuer revokes or re-issues a certificate, so the page
// also keeps /verifikasi/offline-status.json: the revoked and the superseded certificates, each
// as the first 16 hex characters of SHA-256 over its code (the code as the QR carries it, the
// same string the server hashes), and when that list was made. A valid signature is then
// shown as revoked or superseded when listed, with the list's date; without any list, the
// answer says that revocation could not be checked.
//
// Two QR forms are read:
// * /V/<digits>: a COSE_Sign1 (RFC 9052, EdDSA with Ed25519) written as one decimal number;
//   its payload is a CBOR array [code, days since 1970-01-01, holder, agency, training];
// * /v/<JWS>: the compact JWS of QR codes printed before, with JSON claims {c, n, t, a, d}.
// Signatures are checked with WebCrypto's Ed25519 (current Chromium, Firefox, Safari). A
// browser without it says so and shows nothing as verified.
// Every text comes from the page's data- attributes (the page is translated, not this file).
(function () {
  "use strict";
  var root = document.getElementById("offline-verifier");
  if (!root) { return; }
  var text = function (name) { return root.getAttribute("data-" + name) || ""; };
  var statusLine = document.getElementById("offline-status");
  var output = document.getElementById("offline-result");
  var input = document.getElementById("offline-token");
  var STORE = "ekraf-offline-jwks";
  var STATUS_STORE = "ekraf-offline-status";
  var ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  var CHECK = ALPHABET + "*~$=U";

  // --- the service worker and the keys ------------------------------------------------------
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(text("worker-url"), { scope: text("scope") }).catch(function () {});
  }

  // A public document the page keeps: fetched fresh when there is a network, else the copy
  // kept in localStorage. `usable` checks its shape; `newer(kept, fresh)`, when given, keeps the
  // kept copy if it is the more recent (offline, the fetch answers from the worker's copy,
  // which may be older than the one kept here).
  function loadKept(url, store, usable, newer) {
    var kept = null;
    try { kept = usable(JSON.parse(localStorage.getItem(store) || "null")); } catch (e) { kept = null; }
    return fetch(url, { cache: "no-cache" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (fresh) {
        fresh = usable(fresh);
        if (!fresh || (kept && newer && newer(kept, fresh))) { return kept; }
        try { localStorage.setItem(store, JSON.stringify(fresh)); } catch (e) { /* private mode */ }
        return fresh;
      })
      .catch(function () { return kept; });
  }

  function loadKeys() {
    return loadKept(text("jwks-url"), STORE, function (jwks) { return jwks || null; });
  }

  var keysReady = loadKeys().then(function (jwks) {
    var count = jwks && jwks.keys ? jwks.keys.length : 0;
    statusLine.textContent = count ? text("ready") + " " + text("keys-label") + ": " + count + "." : text("no-keys");
    return jwks;
  });

  // The status list: kept like the keys; the newer of it and the kept copy is used.
  function usableStatus(status) {
    return status && typeof status.generated === "string" && Array.isArray(status.revoked) &&
      Array.isArray(status.superseded) && !isNaN(Date.parse(status.generated)) ? status : null;
  }

  function loadStatus() {
    return loadKept(text("status-url"), STATUS_STORE, usableStatus, function (kept, fresh) {
      return Date.parse(kept.generated) > Date.parse(fresh.generated);
    });
  }

  var statusReady = loadStatus();
  Promise.all([keysReady, statusReady]).then(function (ready) {
    if (ready[0] && ready[0].keys && ready[0].keys.length && ready[1]) {
      statusLine.textContent += " " + text("status-as-of") + " " + formatMoment(ready[1].generated) + ".";
    }
  });

  // --- bytes ------------------------------------------------------------------------------------
  function utf8(s) { return new TextEncoder().encode(s); }

  function b64url(s) {
    var base = s.replace(/-/g, "+").replace(/_/g, "/");
    while (base.length % 4) { base += "="; }
    var raw = atob(base);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { out[i] = raw.charCodeAt(i); }
    return out;
  }

  function digitsToBytes(digits) {
    var hex = BigInt(digits).toString(16);
    if (hex.length % 2) { hex = "0" + hex; }
    var out = new Uint8Array(hex.length / 2);
    for (var i = 0; i < out.length; i++) { out[i] = parseInt(hex.substr(i * 2, 2), 16); }
    return out;
  }

  function concat(parts) {
    var length = parts.reduce(function (n, p) { return n + p.length; }, 0);
    var out = new Uint8Array(length);
    var at = 0;
    parts.forEach(function (p) { out.set(p, at); at += p.length; });
    return out;
  }

  // --- CBOR: just what a COSE_Sign1 and its payload use -------------------------------------
  function cborDecode(bytes) {
    var pos = 0;
    function need(n) { if (pos + n > bytes.length) { throw new Error("cbor: short"); } }
    function argument(info) {
      if (info < 24) { return info; }
      var size = { 24: 1, 25: 2, 26: 4, 27: 8 }[info];
      if (!size) { throw new Error("cbor: argument"); }
      need(size);
      var value = 0n;
      for (var i = 0; i < size; i++) { value = (value << 8n) | BigInt(bytes[pos++]); }
      return value <= 9007199254740991n ? Number(value) : value;
    }
    function item(depth) {
      if (depth > 8) { throw new Error("cbor: deep"); }
      need(1);
      var initial = bytes[pos++];
      var major = initial >> 5;
      var value = argument(initial & 31);
      var i, list, map;
      switch (major) {
        case 0: return value;
        case 1: return typeof value === "bigint" ? -1n - value : -1 - value;
        case 2: need(value); pos += value; return bytes.slice(pos - value, pos);
        case 3: need(value); pos += value; return new TextDecoder("utf-8", { fatal: true }).decode(bytes.slice(pos - value, pos));
        case 4: list = []; for (i = 0; i < value; i++) { list.push(item(depth + 1)); } return list;
        case 5: map = new Map(); for (i = 0; i < value; i++) { map.set(item(depth + 1), item(depth + 1)); } return map;
        case 6: return { tag: value, value: item(depth + 1) };
        default: throw new Error("cbor: type");
      }
    }
    var result = item(0);
    if (pos !== bytes.length) { throw new Error("cbor: trailing"); }
    return result;
  }

  function cborHead(major, n) {
    if (n < 24) { return new Uint8Array([(major << 5) | n]); }
    if (n < 256) { return new Uint8Array([(major << 5) | 24, n]); }
    return new Uint8Array([(major << 5) | 25, n >> 8, n & 255]);
  }

  function sigStructure(protectedBytes, payload) {
    var label = utf8("Signature1");
    return concat([
      new Uint8Array([0x84]),
      cborHead(3, label.length), label,
      cborHead(2, protectedBytes.length), protectedBytes,
      new Uint8Array([0x40]),
      cborHead(2, payload.length), payload
    ]);
  }

  // --- the verification code -----------------------------------------------------------------
  function codeFromValue(value) {
    var big = BigInt(value);
    var data = "";
    for (var i = 11; i >= 0; i--) { data += ALPHABET[Number((big >> BigInt(5 * i)) & 31n)]; }
    var rest = 0;
    for (var j = 0; j < data.length; j++) { rest = (rest * 32 + ALPHABET.indexOf(data[j])) % 37; }
    return data + CHECK[rest];
  }

  function grouped(code) { return code.match(/.{1,4}/g).join("-"); }

  // What the status document lists a certificate by: SHA-256 over its code, 16 hex characters.
  function statusHash(code) {
    return crypto.subtle.digest("SHA-256", utf8(code)).then(function (digest) {
      return Array.prototype.map.call(new Uint8Array(digest).slice(0, 8), function (b) {
        return (b < 16 ? "0" : "") + b.toString(16);
      }).join("");
    });
  }

  function formatDate(iso) {
    var parts = iso.split("-");
    var months = text("months").split(",");
    return Number(parts[2]) + " " + (months[Number(parts[1]) - 1] || parts[1]) + " " + parts[0];
  }

  // The list's time as the site wrote it (its own time zone), e.g. "2 Desember 2026 18.05".
  function formatMoment(iso) {
    var match = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})/.exec(iso);
    return match ? formatDate(match[1]) + " " + match[2] + "." + match[3] : iso;
  }

  // --- reading a QR's content -----------------------------------------------------------------
  function parse(content) {
    var value = content.trim();
    var cose = value.match(/\/V\/(\d{20,1200})\s*$/) || value.match(/^(\d{20,1200})$/);
    if (cose) { return { form: "cose", token: cose[1] }; }
    var jws = value.match(/\/v\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\s*$/) ||
      value.match(/^([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/);
    if (jws) { return { form: "jws", token: jws[1] }; }
    return null;
  }

  function readCose(digits) {
    var message = cborDecode(digitsToBytes(digits));
    var parts = message && message.tag === 18 ? message.value : message;
    if (!Array.isArray(parts) || parts.length !== 4) { throw new Error("not COSE_Sign1"); }
    var headers = cborDecode(parts[0]);
    if (headers.get(1) !== -8) { throw new Error("alg"); }
    var body = cborDecode(parts[2]);
    var days = body[1];
    return {
      kid: new TextDecoder().decode(headers.get(4)),
      signed: sigStructure(parts[0], parts[2]),
      signature: parts[3],
      claims: {
        code: codeFromValue(body[0]),
        holder: body[2] || "",
        agency: body[3] || "",
        training: body[4] || "",
        issued: new Date(Date.UTC(1970, 0, 1) + days * 86400000).toISOString().slice(0, 10)
      }
    };
  }

  function readJws(token) {
    var pieces = token.split(".");
    var header = JSON.parse(new TextDecoder().decode(b64url(pieces[0])));
    if (header.alg !== "Ed25519" && header.alg !== "EdDSA") { throw new Error("alg"); }
    var claims = JSON.parse(new TextDecoder().decode(b64url(pieces[1])));
    return {
      kid: header.kid,
      signed: utf8(pieces[0] + "." + pieces[1]),
      signature: b64url(pieces[2]),
      claims: { code: claims.c, holder: claims.n || "", agency: claims.a || "", training: claims.t || "", issued: claims.d || "" }
    };
  }

  function verify(read, jwks) {
    var jwk = jwks && jwks.keys ? jwks.keys.filter(function (k) { return k.kid === read.kid; })[0] : null;
    if (!jwk) { return Promise.resolve(false); }
    if (!window.crypto || !crypto.subtle) { return Promise.reject(new Error("unsupported")); }
    return crypto.subtle
      .importKey("jwk", { kty: "OKP", crv: "Ed25519", x: jwk.x }, { name: "Ed25519" }, false, ["verify"])
      .then(function (key) { return crypto.subtle.verify({ name: "Ed25519" }, key, read.signature, read.signed); });
  }

  // --- showing the answer ---------------------------------------------------------------------
  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (content !== undefined) { node.textContent = content; }
    return node;
  }

  function show(kind, title, note, read, status) {
    output.textContent = "";
    var box = element("div", "alert " + kind);
    box.setAttribute("role", kind === "alert-success" ? "status" : "alert");
    box.appendChild(element("h2", "h4 alert-heading", title));
    if (note) { box.appendChild(element("p", "mb-0", note)); }
    output.appendChild(box);
    if (!read) { return; }
    var list = element("dl", "row");
    var c = read.claims;
    [
      ["field-holder", c.holder, "fs-5 fw-semibold"],
      ["field-code", c.code ? grouped(c.code) : ""],
      ["field-agency", c.agency],
      ["field-training", c.training],
      ["field-issued", c.issued ? formatDate(c.issued) : ""],
      ["field-key", read.kid]
    ].forEach(function (row) {
      if (!row[1]) { return; }
      list.appendChild(element("dt", "col-sm-4", text(row[0])));
      list.appendChild(element("dd", "col-sm-8 " + (row[2] || ""), row[1]));
    });
    output.appendChild(list);
    if ([c.holder, c.agency, c.training].some(function (v) { return /…$/.test(v); })) {
      output.appendChild(element("p", "small text-body-secondary", text("shortened")));
    }
    if (status) {
      output.appendChild(element("p", "small text-body-secondary", text("status-as-of") + " " + formatMoment(status.generated)));
    }
  }

  // A verified QR's answer: revoked, superseded or valid by the kept status list.
  function showVerified(read, status) {
    if (!status) {
      show("alert-success", text("valid"), text("valid-unchecked"), read, null);
      return Promise.resolve();
    }
    return statusHash(read.claims.code).then(function (hash) {
      if (status.revoked.indexOf(hash) !== -1) {
        show("alert-danger", text("revoked"), text("revoked-note"), read, status);
      } else if (status.superseded.indexOf(hash) !== -1) {
        show("alert-warning", text("superseded"), text("superseded-note"), read, status);
      } else {
        show("alert-success", text("valid"), text("valid-note"), read, status);
      }
    });
  }

  function check(content) {
    var parsed = parse(content);
    var read;
    try {
      read = parsed && (parsed.form === "cose" ? readCose(parsed.token) : readJws(parsed.token));
    } catch (e) {
      read = null;
    }
    if (!read) {
      show("alert-warning", text("unreadable"), "", null);
      return Promise.resolve();
    }
    return Promise.all([keysReady, statusReady]).then(function (ready) {
      var jwks = ready[0];
      if (!jwks || !jwks.keys || !jwks.keys.length) {
        show("alert-warning", text("no-keys"), "", null);
        return;
      }
      return verify(read, jwks).then(function (ok) {
        if (ok) {
          return showVerified(read, ready[1]);
        }
        show("alert-danger", text("invalid"), text("invalid-note"), null);
      }, function () {
        show("alert-warning", text("unchecked"), text("unsupported"), read);
      });
    });
  }

  document.getElementById("offline-form").addEventListener("submit", function (event) {
    event.preventDefault();
    check(input.value);
  });

  // --- the camera: the shared QR scanning wrapper (ekraf/qrscan.js), when the page has it ---
  var scanner = root.querySelector("[data-scanner]");
  var QR = window.EkrafQR;
  if (scanner && QR) {
    var start = scanner.querySelector("[data-scan-start]");
    var stop = scanner.querySelector("[data-scan-stop]");
    var video = scanner.querySelector("[data-scan-video]");
    var note = scanner.querySelector("[data-scan-note]");
    var session = null;
    var end = function () {
      if (session) { session.stop(); session = null; }
      video.hidden = true; stop.hidden = true; start.hidden = false;
    };
    scanner.hidden = false;
    var why = QR.unavailable();
    if (why) {
      start.disabled = true;
      note.textContent = QR.message(scanner, why);
    }
    start.addEventListener("click", function () {
      note.textContent = "";
      video.hidden = false; stop.hidden = false; start.hidden = true;
      session = QR.start(video, function (content) {
        input.value = content;
        end();
        check(content);
      }, function (reason) {
        session = null;
        end();
        note.textContent = QR.message(scanner, reason);
      });
    });
    stop.addEventListener("click", end);
  }
})();
