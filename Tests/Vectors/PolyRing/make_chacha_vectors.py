#!/usr/bin/env python3
"""Known answers for PolyRing's seeded sampler, from the `cryptography`
package's ChaCha20 (an implementation independent of PolyRing's).

SeededGenerator(seed) is the RFC 8439 keystream with the seed as key, a zero
nonce and block counter 0: its k-th UInt64 is keystream bytes 8k..8k+7 read
little-endian. The uniform sampler masks each word to the bit width of q and
keeps it when below q. Writes chacha.json. Run: python3 make_chacha_vectors.py
"""
import json

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms


def keystream(key, counter, nonce, length):
    full_nonce = counter.to_bytes(4, "little") + nonce
    return Cipher(algorithms.ChaCha20(key, full_nonce), None).encryptor().update(bytes(length))


def main():
    seed = bytes(range(32))
    stream = keystream(seed, 0, bytes(12), 8 * 4096)
    words = [int.from_bytes(stream[8 * i:8 * i + 8], "little") for i in range(4096)]
    q = 1152921504606846577  # 60 bits, ≡ 1 mod 16
    mask = (1 << q.bit_length()) - 1
    uniform = [w & mask for w in words if w & mask < q][:8]
    rfc = keystream(bytes(range(32)), 1, bytes.fromhex("000000090000004a00000000"), 64)
    with open("chacha.json", "w") as f:
        json.dump({
            "rfc8439Block": rfc.hex(),
            "seed": seed.hex(),
            "firstWords": [str(w) for w in words[:10]],
            "uniformModulus": str(q),
            "uniformDegree": 8,
            "uniformFirstLimb": [str(u) for u in uniform],
        }, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
