// MD5 (RFC 1321) of a string's UTF-8 bytes, as lowercase hex. imgix signatures are MD5, and WebCrypto has no MD5,
// so the playground carries this small implementation to sign URLs in the page: the token never leaves the browser.
// MD5 is only used here because the URL scheme demands it; it is not a choice of hash for anything new.
'use strict';

const md5 = (() => {
  // Per-round left-rotation amounts, four per round.
  const SHIFTS = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
  // floor(abs(sin(i + 1)) * 2^32), written out so no engine's sin() rounding can change it.
  const K = new Uint32Array([
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
  ]);

  const rotateLeft = (x, n) => ((x << n) | (x >>> (32 - n))) >>> 0;

  return function md5(text) {
    const bytes = new TextEncoder().encode(text);
    // Message, a 0x80 byte, zeros, then the bit length as 64-bit little endian: a whole number of 64-byte blocks.
    const padded = new Uint8Array((((bytes.length + 8) >>> 6) << 6) + 64);
    padded.set(bytes);
    padded[bytes.length] = 0x80;
    const view = new DataView(padded.buffer);
    const bits = bytes.length * 8;
    view.setUint32(padded.length - 8, bits >>> 0, true);
    view.setUint32(padded.length - 4, Math.floor(bits / 0x100000000), true);

    const state = new Uint32Array([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476]);
    for (let block = 0; block < padded.length; block += 64) {
      let [a, b, c, d] = state;
      for (let i = 0; i < 64; i++) {
        let f;
        let word;
        if (i < 16) {
          f = (b & c) | (~b & d);
          word = i;
        } else if (i < 32) {
          f = (d & b) | (~d & c);
          word = (5 * i + 1) % 16;
        } else if (i < 48) {
          f = b ^ c ^ d;
          word = (3 * i + 5) % 16;
        } else {
          f = c ^ (b | ~d);
          word = (7 * i) % 16;
        }

        const sum = (a + (f >>> 0) + K[i] + view.getUint32(block + word * 4, true)) >>> 0;
        a = d;
        d = c;
        c = b;
        b = (b + rotateLeft(sum, SHIFTS[(i >>> 4) * 4 + (i & 3)])) >>> 0;
      }

      state[0] += a;
      state[1] += b;
      state[2] += c;
      state[3] += d;
    }

    const digest = new Uint8Array(state.buffer);
    return Array.from(digest, (x) => x.toString(16).padStart(2, '0')).join('');
  };
})();
