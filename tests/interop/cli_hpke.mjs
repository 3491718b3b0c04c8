// `cocoon crypto keygen|seal|open` against an independent HPKE implementation, @hpke/core with
// @hpke/dhkem-x25519 and @hpke/chacha20poly1305 (single-shot base mode, DHKEM(X25519,
// HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305; the CLI's output is enc (32 bytes) || ciphertext):
//  - @hpke seals to a key the CLI generated, the CLI opens it;
//  - the CLI seals to a key @hpke generated, @hpke opens it;
//  - with and without info and aad, empty and large messages; a wrong aad is refused both ways.
// Usage: node cli_hpke.mjs <path to cocoon>. Exit 77 (skipped) when the packages are absent.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";

let core, DhkemX25519HkdfSha256, Chacha20Poly1305;
try {
  core = await import("@hpke/core");
  ({ DhkemX25519HkdfSha256 } = await import("@hpke/dhkem-x25519"));
  ({ Chacha20Poly1305 } = await import("@hpke/chacha20poly1305"));
} catch (error) {
  console.log(`SKIPPED: @hpke packages not installed (${error.code ?? error.message})`);
  process.exit(77);
}

const cocoon = process.argv[2];
const suite = new core.CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new core.HkdfSha256(), aead: new Chacha20Poly1305() });
const work = mkdtempSync(join(tmpdir(), "cocoon-cli-hpke-"));
const cli = (args, input) => execFileSync(cocoon, args, { input, maxBuffer: 1 << 26, stdio: ["pipe", "pipe", "pipe"] });
const contextFlags = (info, aad) => [...(info ? ["--info", info] : []), ...(aad ? ["--aad", aad] : [])];
const bytes = (text) => new TextEncoder().encode(text);
let checks = 0;
function expect(condition, what) {
  if (!condition) throw new Error(`interop check failed: ${what}`);
  checks++;
}

try {
  const cases = [
    { size: 0, info: "", aad: "" },
    { size: 1, info: "cocoon-cli", aad: "" },
    { size: 300, info: "", aad: "job 42" },
    { size: 1 + Math.floor(Math.random() * 100000), info: "app/v1", aad: "request-id 7" },
    { size: 2 * 1024 * 1024 + 5, info: "big", aad: "big" },
  ];
  for (const { size, info, aad } of cases) {
    const what = `${size} bytes, info '${info}', aad '${aad}'`;
    const plaintext = randomBytes(size);

    // @hpke seals to the CLI's key; the CLI opens.
    const keys = JSON.parse(cli(["crypto", "keygen", "--json"]).toString());
    const keyFile = join(work, "key.json");
    writeFileSync(keyFile, JSON.stringify(keys));
    const recipientPublic = await suite.kem.deserializePublicKey(Buffer.from(keys.public_key, "hex"));
    const sealed = await suite.seal({ recipientPublicKey: recipientPublic, info: bytes(info) }, plaintext, bytes(aad));
    const wire = Buffer.concat([Buffer.from(sealed.enc), Buffer.from(sealed.ct)]);
    const opened = cli(["crypto", "open", "--secret-file", keyFile, ...contextFlags(info, aad)], wire);
    expect(Buffer.compare(opened, plaintext) === 0, `CLI opens what @hpke sealed (${what})`);
    let refused = false;
    try {
      cli(["crypto", "open", "--secret-file", keyFile, ...contextFlags(info, `${aad}!`)], wire);
    } catch {
      refused = true;
    }
    expect(refused, `CLI refuses @hpke's ciphertext under another aad (${what})`);

    // The CLI seals to @hpke's key; @hpke opens.
    const recipient = await suite.kem.generateKeyPair();
    const publicHex = Buffer.from(await suite.kem.serializePublicKey(recipient.publicKey)).toString("hex");
    const output = cli(["crypto", "seal", "--recipient", publicHex, ...contextFlags(info, aad)], plaintext);
    expect(output.length === 32 + size + 16, `CLI output is enc || ciphertext || tag (${what})`);
    const enc = output.subarray(0, 32);
    const ct = output.subarray(32);
    const back = await suite.open({ recipientKey: recipient.privateKey, enc, info: bytes(info) }, ct, bytes(aad));
    expect(Buffer.compare(Buffer.from(back), plaintext) === 0, `@hpke opens what the CLI sealed (${what})`);
    refused = false;
    try {
      await suite.open({ recipientKey: recipient.privateKey, enc, info: bytes(info) }, ct, bytes(`${aad}!`));
    } catch {
      refused = true;
    }
    expect(refused, `@hpke refuses the CLI's ciphertext under another aad (${what})`);
  }
  console.log(`cli hpke interop: ${checks} checks passed`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
