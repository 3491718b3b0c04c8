// Checks the SDK's HPKE (RFC 9180) and job envelope against an independent implementation,
// @hpke/core with @hpke/dhkem-x25519 and @hpke/chacha20poly1305:
//  - contexts set up by either side, in base and auth modes, with AES-256-GCM and
//    ChaCha20-Poly1305, open on the other side and export the same secrets;
//  - a job envelope made by the SDK opens here following docs/envelope.md, and an answer sealed
//    here by that document (OHTTP-style key derivation, STREAM frames) opens in the SDK.
// Usage: node hpke.mjs <path to hpke_driver>. Exit 77 (skipped) when the packages are absent.
import { execFileSync, spawn } from "node:child_process";
import { createCipheriv, createHmac, randomBytes } from "node:crypto";

let hpke;
try {
  const core = await import("@hpke/core");
  const { DhkemX25519HkdfSha256 } = await import("@hpke/dhkem-x25519");
  const { Chacha20Poly1305 } = await import("@hpke/chacha20poly1305");
  hpke = { core, DhkemX25519HkdfSha256, Chacha20Poly1305 };
} catch (error) {
  console.log(`SKIPPED: @hpke packages not installed (${error.code ?? error.message})`);
  process.exit(77);
}

const driver = process.argv[2];
const hex = (buffer) => Buffer.from(buffer).toString("hex");
const unhex = (text) => new Uint8Array(Buffer.from(text, "hex"));
// Large values travel on stdin ("-" in their place): a command line holds at most 128 KiB per argument.
// A refusal the test expects is quiet: its message goes to a pipe, not to the test's output.
const run = (args, quiet) => {
  const big = args.findIndex((arg) => arg.length > 4096);
  const input = big >= 0 ? args[big] + "\n" : "";
  if (big >= 0) args[big] = "-";
  const stdio = ["pipe", "pipe", quiet ? "pipe" : "inherit"];
  return execFileSync(driver, args, { encoding: "utf8", input, maxBuffer: 1 << 26, stdio }).trim().split("\n");
};
const call = (...args) => run(args, false);
let checks = 0;
function expect(condition, what) {
  if (!condition) throw new Error(`interop check failed: ${what}`);
  checks++;
}

const aeads = { "0002": new hpke.core.Aes256Gcm(), "0003": new hpke.Chacha20Poly1305() };
const suiteFor = (id) =>
  new hpke.core.CipherSuite({ kem: new hpke.DhkemX25519HkdfSha256(), kdf: new hpke.core.HkdfSha256(), aead: aeads[id] });

// Empty, small, odd and several-MiB messages, in both modes and with both AEADs.
const sizes = [0, 1, 200, 1 + Math.floor(Math.random() * 70000), 3 * 1024 * 1024 + 17];
for (const aeadId of Object.keys(aeads)) {
  const suite = suiteFor(aeadId);
  for (const [index, size] of sizes.entries()) {
    const auth = index % 2 === 1;
    const mode = `${aeadId === "0002" ? "AES-256-GCM" : "ChaCha20-Poly1305"}, ${auth ? "auth" : "base"} mode, ${size} bytes`;
    const info = hex(randomBytes(12));
    const aad = hex(randomBytes(9));
    const plaintext = hex(randomBytes(size));

    // SDK seals, @hpke opens.
    const recipient = await suite.kem.generateKeyPair();
    const recipientPublic = hex(await suite.kem.serializePublicKey(recipient.publicKey));
    const senderSeed = hex(randomBytes(32));
    const [enc, ciphertext, exported] = call("seal", recipientPublic, aeadId, info, aad, plaintext,
                                             ...(auth ? [senderSeed] : []));
    const senderPublic = auth ? await suite.kem.deserializePublicKey(unhex(call("public-key", senderSeed)[0]).buffer) : undefined;
    const opener = await suite.createRecipientContext({
      recipientKey: recipient, enc: unhex(enc).buffer, info: unhex(info).buffer, senderPublicKey: senderPublic });
    expect(hex(await opener.open(unhex(ciphertext).buffer, unhex(aad).buffer)) === plaintext, `SDK seal -> @hpke open (${mode})`);
    expect(hex(await opener.export(new TextEncoder().encode("interop").buffer, 32)) === exported, `export (${mode})`);

    // @hpke seals, SDK opens.
    const seed = hex(randomBytes(32));
    const sdkPublic = await suite.kem.deserializePublicKey(unhex(call("public-key", seed)[0]).buffer);
    const jsSender = auth ? await suite.kem.generateKeyPair() : undefined;
    const sealer = await suite.createSenderContext({
      recipientPublicKey: sdkPublic, info: unhex(info).buffer, senderKey: jsSender });
    const sealed = await sealer.seal(unhex(plaintext).buffer, unhex(aad).buffer);
    const args = ["open", seed, hex(sealer.enc), aeadId, info, aad, hex(sealed)];
    if (auth) args.push(hex(await suite.kem.serializePublicKey(jsSender.publicKey)));
    expect(call(...args)[0] === plaintext, `@hpke seal -> SDK open (${mode})`);

    // A tampered ciphertext is refused by the SDK.
    const forged = Buffer.from(sealed);
    forged[forged.length - 1] ^= 1;
    args[6] = hex(forged);
    let refused = false;
    try { run(args, true); } catch { refused = true; }
    expect(refused, `SDK refuses a tampered ciphertext (${mode})`);
  }
}

// The job envelope, opened and answered by this independent reading of docs/envelope.md.
{
  const suite = suiteFor("0002");
  const worker = await suite.kem.generateKeyPair();
  const workerPublic = Buffer.from(await suite.kem.serializePublicKey(worker.publicKey));
  const child = spawn(driver, ["envelope", workerPublic.toString("hex"), "Hello from the interop test"]);
  const lines = [];
  let buffered = "";
  const nextLine = () => new Promise((resolve, reject) => {
    const take = () => {
      const at = buffered.indexOf("\n");
      if (at < 0) return false;
      resolve(buffered.slice(0, at));
      buffered = buffered.slice(at + 1);
      return true;
    };
    if (take()) return;
    child.stdout.on("data", function onData(data) { buffered += data; if (take()) child.stdout.off("data", onData); });
    child.on("exit", (code) => reject(new Error(`driver exited with ${code}`)));
  });
  const envelope = Buffer.from(await nextLine(), "hex");
  expect(envelope[0] === 1 && envelope.readUInt16BE(1) === 0x20 && envelope.readUInt16BE(3) === 1 &&
         envelope.readUInt16BE(5) === 2, "envelope header: version 1, DHKEM(X25519), HKDF-SHA256, AES-256-GCM");
  const keyId = (await crypto.subtle.digest("SHA-256", workerPublic));
  expect(envelope.subarray(7, 39).equals(Buffer.from(keyId)), "envelope key id is SHA-256 of the worker key");
  const enc = envelope.subarray(39, 71);
  const context = await suite.createRecipientContext({
    recipientKey: worker, enc: new Uint8Array(enc).buffer,
    info: new TextEncoder().encode("cocoon job envelope v1").buffer });
  const inner = Buffer.from(await context.open(new Uint8Array(envelope.subarray(71)).buffer,
                                               new Uint8Array(envelope.subarray(0, 71)).buffer));
  const issued = inner.readBigUInt64BE(16);
  const expires = inner.readBigUInt64BE(24);
  const now = BigInt(Math.floor(Date.now() / 1000));
  expect(expires - issued === 300n && issued <= now + 5n && issued >= now - 60n, "validity window of 300 s from now");
  const job = JSON.parse(inner.subarray(32).toString("utf8"));
  expect(job.model === "interop-model" && job.messages[0].role === "user" && job.messages[0].text === "Hello from the interop test",
         "the sealed job is the canonical JSON of the job");

  // Answer: OHTTP-style keys from Export("cocoon response"), STREAM frames under AES-256-GCM.
  const secret = Buffer.from(await context.export(new TextEncoder().encode("cocoon response").buffer, 32));
  const responseHeader = Buffer.concat([Buffer.from([1]), randomBytes(32)]);
  const prk = createHmac("sha256", Buffer.concat([enc, responseHeader.subarray(1)])).update(secret).digest();
  const key = createHmac("sha256", prk).update(Buffer.from("key\x01")).digest();
  const nonceBase = createHmac("sha256", prk).update(Buffer.from("nonce\x01")).digest().subarray(0, 12);
  const pieces = ["Answer ", "from ", "an independent ", "implementation."];
  const frames = pieces.map((text, index) => {
    const final = index === pieces.length - 1;
    const nonce = Buffer.from(nonceBase);
    const counter = Buffer.alloc(8);
    counter.writeBigUInt64BE(BigInt(index));
    for (let i = 0; i < 8; i++) nonce[3 + i] ^= counter[i];
    if (final) nonce[11] ^= 1;
    const cipher = createCipheriv("aes-256-gcm", key, nonce);
    cipher.setAAD(responseHeader);
    const sealedPiece = Buffer.concat([cipher.update(text, "utf8"), cipher.final(), cipher.getAuthTag()]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE((sealedPiece.length | (final ? 0x80000000 : 0)) >>> 0);
    return Buffer.concat([length, sealedPiece]);
  });
  child.stdin.end(Buffer.concat([responseHeader, ...frames]).toString("hex") + "\n");
  expect((await nextLine()) === pieces.join(""), "an answer sealed here opens in the SDK");
}

console.log(`hpke interop: ${checks} checks passed against @hpke/core`);
