// Independent verifiers of Ekraf's e-certificates, run by tests/credentials/test_interop.py
// against a live server on loopback:
//   * Digital Bazaar's vc (verifyCredential) with the eddsa-rdfc-2022 cryptosuite;
//   * the Digital Credentials Consortium's verifier-core (behind Learner Credential Wallet and
//     VerifierPlus), used unmodified;
//   * jose, on the Open Badges JWT (its kid dereferenced) and on QR codes printed as JWS;
//   * cbor2 and node:crypto on the COSE_Sign1 QR token, keyed from the served JWKS.
// No JSON-LD context is fetched from the internet: every fetch is answered from the pinned
// contexts (the platform's own files, and the context packages locked in package-lock.json)
// or goes to the server on this machine; anything else is refused and reported.
//
// Usage: node verify.mjs input.json output.json   (see test_interop.py for the input);
// the results go to output.json (verifier-core logs to the console).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gunzipSync } from 'node:zlib';
import crypto from 'node:crypto';

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const require = createRequire(import.meta.url);

const pinned = new Map();
for (const [url, file] of Object.entries(input.contexts)) {
  pinned.set(url, JSON.parse(readFileSync(file, 'utf8')));
}
for (const name of ['@digitalbazaar/security-context', '@digitalbazaar/data-integrity-context']) {
  for (const [url, context] of require(name).contexts) {
    if (!pinned.has(url)) pinned.set(url, context);
  }
}

const local = (url) => ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
const refused = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (resource, init) => {
  const url = typeof resource === 'string' ? resource : (resource.url ?? String(resource));
  if (pinned.has(url)) {
    return new Response(JSON.stringify(pinned.get(url)), {
      status: 200,
      headers: { 'content-type': 'application/ld+json' },
    });
  }
  if (local(url)) return realFetch(resource, init);
  refused.push(url);
  throw new TypeError(`refused: ${url} is neither pinned nor on this machine`);
};

async function documentLoader(url) {
  if (pinned.has(url)) return { contextUrl: null, documentUrl: url, document: pinned.get(url) };
  if (!local(url)) {
    refused.push(url);
    throw new Error(`refused: ${url} is neither pinned nor on this machine`);
  }
  const response = await fetch(url.split('#')[0], { headers: { accept: 'application/ld+json' } });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return { contextUrl: null, documentUrl: url, document: await response.json() };
}

const vc = await import('@digitalbazaar/vc');
const { DataIntegrityProof } = await import('@digitalbazaar/data-integrity');
const { cryptosuite } = await import('@digitalbazaar/eddsa-rdfc-2022-cryptosuite');
const { verifyCredential: dccVerify } = await import('@digitalcredentials/verifier-core');
const jose = await import('jose');
const { decode: cborDecode, encode: cborEncode } = await import('cbor2');

const suite = new DataIntegrityProof({ cryptosuite });

// Bitstring Status List, read by hand from the (verified) status list credential.
async function checkStatus({ credential }) {
  const entry = credential.credentialStatus;
  const { document: list } = await documentLoader(entry.statusListCredential);
  const listResult = await vc.verifyCredential({ credential: list, suite, documentLoader });
  if (!listResult.verified) return { verified: false, error: listResult.error };
  const encoded = list.credentialSubject.encodedList;
  const bits = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
  const index = Number(entry.statusListIndex);
  const revoked = (bits[index >> 3] & (0x80 >> (index & 7))) !== 0;
  return { verified: !revoked };
}

function summary(error) {
  if (!error) return null;
  const errors = error.errors ?? [error];
  return errors.map((e) => String(e.message ?? e)).join('; ').slice(0, 500);
}

const out = { credentials: [], jwt: [], qr: null, printedQr: null, refused };

for (const item of input.credentials) {
  const credential = JSON.parse(readFileSync(item.json, 'utf8'));
  const db = await vc.verifyCredential({ credential, suite, documentLoader, checkStatus });
  const dcc = await dccVerify({ credential, knownDIDRegistries: [] });
  const log = Object.fromEntries((dcc.log ?? []).map((entry) => [entry.id, entry.valid]));
  out.credentials.push({
    code: item.code,
    digitalbazaar: { verified: db.verified, error: summary(db.error) },
    verifierCore: { log, errors: (dcc.errors ?? []).map((e) => `${e.name}: ${e.message}`) },
  });

  const token = readFileSync(item.jwt, 'utf8').trim();
  const header = jose.decodeProtectedHeader(token);
  const jwk = await (await fetch(header.kid)).json();
  const key = await jose.importJWK(jwk, header.alg);
  try {
    const { payload, protectedHeader } = await jose.jwtVerify(token, key, { typ: 'JWT' });
    out.jwt.push({
      code: item.code,
      verified: true,
      header: protectedHeader,
      claims: { iss: payload.iss, jti: payload.jti, nbf: payload.nbf, sub: payload.sub, exp: payload.exp },
      matches:
        payload.iss === payload.issuer.id &&
        payload.jti === payload.id &&
        payload.sub === payload.credentialSubject.id &&
        payload.nbf === Math.floor(Date.parse(payload.validFrom) / 1000),
    });
  } catch (error) {
    out.jwt.push({ code: item.code, verified: false, error: String(error) });
  }
}

const jwks = await (await fetch(input.jwksUrl)).json();
const keyFor = (kid) => jwks.keys.find((k) => k.kid === kid);

// The QR: a COSE_Sign1 (tag 18) as one decimal number.
{
  const hex = BigInt(input.qr.digits).toString(16);
  // Plain Uint8Arrays: cbor2 would encode a Buffer as an object.
  const bytes = new Uint8Array(Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex'));
  const message = cborDecode(bytes);
  const [protectedBytes, , payload, signature] = message.contents.map((x) =>
    x instanceof Uint8Array ? new Uint8Array(x) : x,
  );
  const headers = cborDecode(protectedBytes);
  const kid = Buffer.from(headers.get(4)).toString();
  const alg = headers.get(1);
  const empty = new Uint8Array(0);
  const sigStructure = cborEncode(['Signature1', protectedBytes, empty, payload]);
  const publicKey = crypto.createPublicKey({ key: keyFor(kid), format: 'jwk' });
  const verified = crypto.verify(null, sigStructure, publicKey, signature);
  const tampered = Buffer.from(payload);
  tampered[tampered.length - 1] ^= 1;
  const forged = crypto.verify(
    null,
    cborEncode(['Signature1', protectedBytes, empty, new Uint8Array(tampered)]),
    publicKey,
    signature,
  );
  out.qr = { tag: message.tag, alg, kid, verified, forgedVerified: forged, claims: cborDecode(payload) };
}

// A QR printed before issue 14: a compact JWS.
{
  const token = input.printedQr;
  const { kid } = jose.decodeProtectedHeader(token);
  const key = await jose.importJWK(keyFor(kid), 'Ed25519');
  const { payload } = await jose.compactVerify(token, key);
  out.printedQr = { verified: true, claims: JSON.parse(new TextDecoder().decode(payload)) };
}

writeFileSync(
  process.argv[3],
  JSON.stringify(out, (k, v) => (typeof v === 'bigint' ? v.toString() : v)),
);
