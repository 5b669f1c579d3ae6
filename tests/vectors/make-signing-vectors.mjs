// Writes signing-vectors.json: URLs signed by the official imgix JavaScript client
// (@imgix/js-core, pinned in package.json), so the C# Signature implementation is checked
// against what real imgix users' code produces, not against our own reading of the spec.
//
//   npm ci && node make-signing-vectors.mjs            # rewrites signing-vectors.json
//   node make-signing-vectors.mjs --check              # exits 1 if the committed file differs
//
// Output is deterministic (no timestamps, fixed order) so the committed JSON can be diffed.
import ImgixClient from '@imgix/js-core';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const outFile = join(here, 'signing-vectors.json');
// The domain is not part of the signature (imgix signs token + path + query only);
// any valid host will do, and the tests strip it.
const DOMAIN = 'imageproxy.example.com';

const pkgVersion = JSON.parse(
  readFileSync(join(here, 'node_modules/@imgix/js-core/package.json'), 'utf8')).version;

// Splits a full URL into the raw (still encoded) path and raw query without '?'.
// Plain string work on purpose: URL/URI parsers may re-encode characters.
function split(url) {
  const afterScheme = url.replace(/^https?:\/\//, '');
  const slash = afterScheme.indexOf('/');
  const target = afterScheme.slice(slash);
  const q = target.indexOf('?');
  return q < 0
    ? { pathAndQuery: target, rawPath: target, rawQuery: '' }
    : { pathAndQuery: target, rawPath: target.slice(0, q), rawQuery: target.slice(q + 1) };
}

function entry(url, descriptor) {
  const e = { url, ...split(url) };
  if (descriptor !== undefined) e.descriptor = descriptor;
  return e;
}

function client(token, includeLibraryParam) {
  return new ImgixClient({ domain: DOMAIN, secureURLToken: token, includeLibraryParam, useHTTPS: true });
}

const cases = [];

// A single buildURL call.
function url(name, token, path, params = {}, { ixlib = false, options = {} } = {}) {
  const u = client(token, ixlib).buildURL(path, params, options);
  cases.push({ name, kind: 'url', token, ixlib, input: { path, params, options }, urls: [entry(u)] });
}

// A buildSrcSet call; every candidate URL is a vector, plus the srcset text itself.
function srcset(name, token, path, params = {}, options = {}, { ixlib = false } = {}) {
  const s = client(token, ixlib).buildSrcSet(path, params, options);
  const urls = s.split(',\n').map((c) => {
    const sp = c.lastIndexOf(' ');
    return entry(c.slice(0, sp), c.slice(sp + 1));
  });
  cases.push({ name, kind: 'srcset', token, ixlib, input: { path, params, options }, srcset: s, urls });
}

const T1 = 'FOO123bar';
const T2 = 'aB3dE6gH9jK2mN5p';
const T3 = 'token with spaces & ünïcödé'; // tokens are opaque bytes to md5 (UTF-8 in js-core's md5)

// Plain paths.
url('plain path, one param', T1, '/users/1.png', { w: 400 });
url('plain path, no params (only s)', T1, '/users/1.png');
url('plain path without leading slash', T1, 'users/1.png', { h: 300 });
url('nested path, several params', T2, '/a/b/c/photo.jpg', { w: 800, h: 600, fit: 'crop', crop: 'faces,center' });
url('dots and dashes in path', T2, '/img/2024-01-01/v1.2.3_final~x.webp', { q: 75 });
url('third token, several params', T3, '/photos/beach.jpg', { w: 320, auto: 'format,compress' });

// Paths that need encoding: js-core uses encodeURI and then also encodes # ? : +.
url('path with space', T1, '/images/my cat.jpg', { w: 100 });
url('path with unicode', T1, '/images/ñandú/café.jpg', { w: 100 });
url('path with CJK and emoji', T2, '/画像/猫😺.png', { fm: 'webp' });
url('path with plus', T1, '/images/a+b.jpg', { w: 100 });
url('path with percent sign', T1, '/images/100%.jpg', { w: 100 });
url('path with already-encoded sequence', T2, '/images/a%20b.jpg', { w: 100 });
url('path with # ? : characters', T2, '/images/what?#no:yes.jpg', { h: 50 });
url('path with @ & = , ; $ ! \' ( ) *', T1, "/images/a@b&c=d,e;f$g!h'(i)*.jpg", { w: 10 });
url('path encoding disabled (pre-encoded by caller)', T2, '/images/pre%2Fencoded%20name.jpg', { w: 100 },
  { options: { disablePathEncoding: true } });

// Web-proxy style: a full URL as the path; js-core encodes it with encodeURIComponent.
url('web proxy URL as path', T1, 'https://assets.example.com/images/cat.jpg', { w: 400 });
url('web proxy URL with query and spaces', T2, 'http://assets.example.com/a b/c.png?v=2&x=y#frag', { w: 200, fm: 'png' });
url('web proxy URL with unicode host path', T3, 'https://例え.jp/画像.jpg', { dpr: 2 });

// Parameter order is preserved by the client, so both orders are separate vectors.
url('params order w,h,fit', T1, '/p.jpg', { w: 100, h: 200, fit: 'crop' });
url('params order fit,h,w', T1, '/p.jpg', { fit: 'crop', h: 200, w: 100 });
url('params needing encoding', T2, '/p.jpg', { txt: 'Hello, World & friends = 100%', 'txt-font': 'Avenir Next Demi,Bold', bg: '#ff0000' });
url('param with unicode value', T2, '/p.jpg', { txt: 'Grüße aus Köln ☃' });
url('numeric and boolean-like values', T1, '/p.jpg', { w: 0.5, q: 100, 'fp-debug': true, sat: -50 });

// Base64 variants: keys ending in 64 are encoded with js-base64's encodeURI (URL-safe, no padding).
url('txt64', T1, '/p.jpg', { txt64: 'Hello, World!' });
url('txt64 unicode', T2, '/p.jpg', { txt64: 'I cannøt belîév∑ it wors! 😱', 'txt-size': 48 });
url('mark64 URL', T1, '/p.jpg', { mark64: 'https://assets.imgix.net/logo.png?w=50', 'mark-align': 'bottom,right' });
url('blend64 and txt64 together', T3, '/p.jpg', { blend64: 'https://assets.imgix.net/blend.png', txt64: 'a/b+c=d?' });

// ixlib on: the client prepends ixlib=js-<version>, which is signed like any param.
url('ixlib on, one param', T1, '/users/1.png', { w: 400 }, { ixlib: true });
url('ixlib on, no params', T2, '/users/1.png', {}, { ixlib: true });
url('ixlib on, space in path, base64', T2, '/images/my cat.jpg', { txt64: 'ixlib test' }, { ixlib: true });
url('ixlib on, web proxy', T3, 'https://assets.example.com/x.jpg', { w: 10, h: 10 }, { ixlib: true });

// Full srcset outputs.
srcset('fluid srcset, default widths', T1, '/images/garden.jpg');
srcset('fluid srcset, params, min/max widths', T2, '/images/garden.jpg', { fm: 'webp', q: 70 }, { minWidth: 320, maxWidth: 1920 });
srcset('fluid srcset, custom widths, ixlib', T1, '/images/my garden.jpg', { auto: 'format' }, { widths: [100, 300, 500, 1000] }, { ixlib: true });
srcset('fluid srcset, width tolerance', T3, 'https://assets.example.com/garden.jpg', {}, { widthTolerance: 0.2, minWidth: 200, maxWidth: 2000 });
srcset('DPR srcset with variable quality', T1, '/images/garden.jpg', { w: 400 });
srcset('DPR srcset, h and ar, variable quality off', T2, '/images/garden.jpg', { h: 300, ar: '16:9', fit: 'crop' }, { disableVariableQuality: true });
srcset('DPR srcset, custom ratios and qualities, ixlib', T2, '/images/ñandú.jpg', { w: 250 }, { devicePixelRatios: [1, 1.5, 2], variableQualities: { 1: 80, 2: 40 } }, { ixlib: true });

const doc = {
  generator: `@imgix/js-core ${pkgVersion} (ImgixClient with secureURLToken; buildURL and buildSrcSet)`,
  note: 'Generated by tests/vectors/make-signing-vectors.mjs; do not edit. rawPath is still encoded; rawQuery has no leading "?" and includes s.',
  domain: DOMAIN,
  cases,
};
const text = JSON.stringify(doc, null, 2) + '\n';

if (process.argv.includes('--check')) {
  let old = '';
  try { old = readFileSync(outFile, 'utf8'); } catch { /* missing counts as different */ }
  if (old !== text) {
    console.error('signing-vectors.json differs from what @imgix/js-core produces now; run: node make-signing-vectors.mjs');
    process.exit(1);
  }
  console.log(`signing-vectors.json is up to date (${cases.length} cases)`);
} else {
  writeFileSync(outFile, text);
  const n = cases.reduce((a, c) => a + c.urls.length, 0);
  console.log(`wrote ${outFile}: ${cases.length} cases, ${n} signed URLs`);
}
