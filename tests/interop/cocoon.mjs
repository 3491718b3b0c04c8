// Checks the SDK's COCOON payment messages against independent implementations.
//  core mode (@ton/core, @ton/crypto):
//   - every client-contract body, built here with @ton/core's builder from the layouts, hashes as
//     the SDK's, for random query ids, amounts, nonces, secrets and addresses;
//   - COCOON wallet requests: @ton/core derives the same wallet address from code, key and owner,
//     reads the external message back (destination, state init, subwallet, valid_until, seqno,
//     modes, out-messages) and @ton/crypto verifies its signature;
//   - root contract data built with @ton/core's Dictionary (params versions 0 to 4, proxies,
//     allowed hashes, key manager) parses in the SDK to the values put in;
//   - proxy and client contract addresses derived here match the SDK's;
//   - payments signed here by a proxy key verify in the SDK, tampered ones do not.
//  sandbox mode (@ton/sandbox): the COCOON wallet code (shared/vectors/cocoon/contract-code.json)
//   runs the SDK's signed requests: accepted when correct (deploys at the derived address, seqno
//   increments, the payment arrives, the client-contract messages leave with the op, query id,
//   value and body we built), refused with a bad signature, a wrong or replayed seqno, an
//   expired valid_until or another subwallet; wallets v4r2 and v5r1 (shared/vectors/ton/
//   wallets.json) deploy from our requests and emit the messages we built.
// Usage: node cocoon.mjs <cocoon_driver> <vectors dir> [sandbox]. Exit 77 (skipped) when the
// packages (or, in sandbox mode, the vectors) are absent.
import { spawnSync } from "node:child_process";
import { createHash, randomBytes, randomInt } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";

const [driver, vectorsDir, mode] = process.argv.slice(2);
let core, crypto, sandbox;
try {
  core = await import("@ton/core");
  crypto = await import("@ton/crypto");
  if (mode === "sandbox") sandbox = await import("@ton/sandbox");
} catch (error) {
  console.log(`SKIPPED: interop packages not installed (${error.code ?? error.message})`);
  process.exit(77);
}
const { Address, Cell, Dictionary, beginCell, contractAddress, loadMessage, loadMessageRelaxed, storeStateInit } = core;

let checks = 0;
function expect(condition, what) {
  if (!condition) throw new Error(`interop check failed: ${what}`);
  checks++;
}
function call(request) {
  const run = spawnSync(driver, [], { input: JSON.stringify(request), encoding: "utf8" });
  if (run.status !== 0) throw new Error(`driver failed on ${request.cmd}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}
const randomAddress = (wc = 0) => new Address(wc, randomBytes(32));
const random64 = () => randomBytes(8).readBigUInt64BE();
const hashOf = (boc) => Cell.fromBase64(boc).hash().toString("hex");
const head = (op, qid) => beginCell().storeUint(op, 32).storeUint(qid, 64);

const codeFile = `${vectorsDir}/cocoon/contract-code.json`;
const codes = existsSync(codeFile) ? JSON.parse(readFileSync(codeFile, "utf8")) : null;
const walletCodeHex = codes?.cocoon_wallet_code_boc_hex;

function walletRequest(seed, owner, seqno, validUntil, extra) {
  return call({ cmd: "wallet", code: walletCodeHex, seed: seed.toString("hex"), owner: owner.toRawString(), seqno,
                valid_until: validUntil, query_id: "7", ...extra });
}

if (mode !== "sandbox") {
  // 1. Client-contract bodies.
  for (let round = 0; round < 25; round++) {
    const qid = random64();
    const nonce = random64();
    const amount = round === 0 ? 0n : random64() >> BigInt(randomInt(0, 64));
    const stake = random64() >> 8n;
    const secret = randomBytes(randomInt(0, 40)).toString("hex");
    const excesses = randomAddress(round % 3 === 0 ? -1 : 0);
    const ours = call({ cmd: "bodies", query_id: qid.toString(), nonce: nonce.toString(), amount: amount.toString(),
                        stake: stake.toString(), secret, excesses: excesses.toRawString() });
    const secretHash = createHash("sha256").update(secret).digest();
    expect(ours.secret_hash === secretHash.toString("hex"), "secret hash is SHA-256");
    const expected = {
      register: head(0xc45f9f3b, qid).storeUint(nonce, 64).storeAddress(excesses),
      top_up: head(0xf172e6c2, qid).storeCoins(amount).storeAddress(excesses),
      top_up_reopen: head(0x29111ceb, qid).storeCoins(amount).storeAddress(excesses),
      increase_stake: head(0x6a1f6a60, qid).storeCoins(stake).storeAddress(excesses),
      withdraw: head(0xda068e78, qid).storeAddress(excesses),
      request_refund: head(0xfafa6cc1, qid).storeAddress(excesses),
      change_secret_hash: head(0xa9357034, qid).storeBuffer(secretHash).storeAddress(excesses),
      change_secret_hash_and_top_up: head(0x8473b408, qid).storeCoins(amount).storeBuffer(secretHash).storeAddress(excesses),
    };
    for (const [name, builder] of Object.entries(expected)) {
      expect(hashOf(ours[name]) === builder.endCell().hash().toString("hex"), `${name} body, round ${round}`);
    }
  }

  // 2. COCOON wallet requests, if the wallet code is at hand.
  if (walletCodeHex) {
    const code = Cell.fromHex(walletCodeHex);
    for (let round = 0; round < 8; round++) {
      const seed = randomBytes(32);
      const keys = crypto.keyPairFromSeed(seed);
      const owner = randomAddress();
      const contract = randomAddress();
      const seqno = round % 2 === 0 ? 0 : randomInt(1, 2 ** 31);
      const validUntil = randomInt(1, 2 ** 32);
      const amount = BigInt(randomInt(1, 2 ** 40));
      const ops = [{ op: "top_up", amount: amount.toString() }, { op: "withdraw" }];
      if (round % 3 === 0) ops.push({ op: "pay", amount: "1" });
      const ours = walletRequest(seed, owner, seqno, validUntil, { to: contract.toRawString(), ops });
      const data = beginCell().storeInt(0, 32).storeInt(0, 32).storeBuffer(keys.publicKey).storeUint(0, 32)
        .storeAddress(owner).endCell();
      const init = { code, data };
      const wallet = contractAddress(0, init);
      expect(ours.address === wallet.toRawString(), `wallet address, round ${round}`);
      expect(hashOf(ours.state_init) === beginCell().store(storeStateInit(init)).endCell().hash().toString("hex"),
             `wallet state init, round ${round}`);

      const message = loadMessage(Cell.fromBase64(ours.external).beginParse());
      expect(message.info.type === "external-in" && message.info.dest.equals(wallet), `external destination ${round}`);
      expect((message.init != null) === (seqno === 0), `state init only with seqno 0, round ${round}`);
      if (message.init) expect(message.init.data.hash().equals(data.hash()), `deployed data, round ${round}`);
      const body = message.body.beginParse();
      const signature = body.loadBuffer(64);
      const signed = body.asCell();
      expect(crypto.signVerify(signed.hash(), signature, keys.publicKey), `signature verifies, round ${round}`);
      const rest = signed.beginParse();
      expect(rest.loadUint(32) === 0, "subwallet 0");
      expect(rest.loadUint(32) === validUntil, "valid_until");
      expect(rest.loadUint(32) === seqno, "seqno");
      const bodies = [head(0xf172e6c2, 7n).storeCoins(amount).storeAddress(wallet).endCell(),
                      head(0xda068e78, 7n).storeAddress(wallet).endCell()];
      const values = [amount + 700000000n, 700000000n];
      for (let i = 0; i < ops.length; i++) {
        const sendMode = rest.loadUint(8);
        const out = loadMessageRelaxed(rest.loadRef().beginParse());
        expect(out.info.type === "internal" && out.info.dest.equals(contract), `out-message ${i} destination`);
        if (i < 2) {
          expect(sendMode === 0 && out.info.bounce, `out-message ${i} mode 0, bounceable`);
          expect(out.info.value.coins === values[i], `out-message ${i} value`);
          expect(out.body.hash().equals(bodies[i].hash()), `out-message ${i} body`);
        } else {
          expect(sendMode === 1 && out.info.value.coins === 1n, "a 1-nanoton message pays fees separately");
          expect(out.body.bits.length === 0 && out.body.refs.length === 0, "no body is an empty inline body");
        }
      }
      expect(rest.remainingBits === 0 && rest.remainingRefs === 0, "nothing after the messages");
    }
  }

  // 3. Root contract data built with @ton/core's dictionaries.
  const noValue = { serialize: () => {}, parse: () => true };
  const proxyText = {
    serialize: (text, b) => b.storeBit(0).storeUint(text.length, 7).storeBuffer(Buffer.from(text)),
    parse: () => { throw new Error("unused"); },
  };
  const keyInfo = {
    serialize: (v, b) => b.storeUint(v.type, 8).storeUint(v.expire_at, 32),
    parse: () => { throw new Error("unused"); },
  };
  const hashSet = (count) => {
    const dict = Dictionary.empty(Dictionary.Keys.BigUint(256), noValue);
    const keys = [];
    for (let i = 0; i < count; i++) {
      const key = randomBytes(32);
      dict.set(BigInt("0x" + key.toString("hex")), true);
      keys.push(key.toString("hex"));
    }
    return { dict, keys: keys.sort() };
  };
  for (let version = 0; version <= 4; version++) {
    for (let round = 0; round < 3; round++) {
      const p = {
        params_version: randomInt(0, 2 ** 32), unique_id: randomInt(0, 2 ** 32), is_test: round % 2 === 0,
        price: BigInt(randomInt(1, 2 ** 40)), fee: BigInt(randomInt(0, 2 ** 40)),
        multipliers: [randomInt(0, 2 ** 32), randomInt(0, 2 ** 32), randomInt(0, 2 ** 32), randomInt(0, 2 ** 32)],
        delays: [randomInt(0, 2 ** 32), randomInt(0, 2 ** 32)],
        stakes: [random64() >> 4n, random64() >> 4n],
      };
      const codesHere = [0, 1, 2].map((i) => beginCell().storeUint(i + 100 * round, 16).endCell());
      const paramsCell = (proxy, worker, client) => {
        const b = beginCell().storeUint(version, 8).storeUint(p.params_version, 32).storeUint(p.unique_id, 32)
          .storeBit(p.is_test).storeCoins(p.price).storeCoins(p.fee);
        if (version >= 3) b.storeUint(p.multipliers[0], 32);
        if (version >= 2) b.storeUint(p.multipliers[1], 32);
        if (version >= 3) b.storeUint(p.multipliers[2], 32);
        if (version >= 2) b.storeUint(p.multipliers[3], 32);
        b.storeUint(p.delays[0], 32).storeUint(p.delays[1], 32);
        if (version >= 1) b.storeCoins(p.stakes[0]).storeCoins(p.stakes[1]);
        return b.storeMaybeRef(proxy).storeMaybeRef(worker).storeMaybeRef(client).endCell();
      };
      const proxies = Dictionary.empty(Dictionary.Keys.Uint(32), proxyText);
      const expectedProxies = [];
      const proxyCount = randomInt(0, 6);
      for (let seqno = 1; expectedProxies.length < proxyCount; seqno += randomInt(1, 1000)) {
        const text = seqno % 2 === 0 ? `10.0.${seqno % 250}.1:8000` : `10.0.0.1:${seqno % 60000} 192.0.2.${seqno % 250}:9000`;
        proxies.set(seqno, text);
        expectedProxies.push({ seqno, text });
      }
      const proxyHashes = hashSet(randomInt(0, 5));
      const workerHashes = hashSet(randomInt(0, 5));
      const modelHashes = hashSet(randomInt(0, 5));
      const state = beginCell().storeDict(proxyHashes.dict).storeDict(proxies).storeUint(9, 32)
        .storeDict(workerHashes.dict).storeDict(modelHashes.dict).endCell();
      const owner = randomAddress();
      const root = beginCell().storeAddress(owner).storeUint(round, 32).storeRef(state)
        .storeRef(paramsCell(...codesHere));
      const managed = Dictionary.empty(Dictionary.Keys.BigUint(256), keyInfo);
      const managerKey = randomBytes(32);
      const managerImage = randomBytes(32);
      const expectedKeys = [];
      if (version === 4) {
        for (let i = 0; i < 3; i++) {
          const key = randomBytes(32);
          const info = { type: randomInt(0, 256), expire_at: randomInt(0, 2 ** 32) };
          managed.set(BigInt("0x" + key.toString("hex")), info);
          expectedKeys.push({ key: key.toString("hex"), ...info });
        }
        expectedKeys.sort((a, b) => (a.key < b.key ? -1 : 1));
        root.storeRef(beginCell().storeDict(managed).storeBuffer(managerKey).storeBuffer(managerImage)
          .storeBit(0).storeUint(14, 7).storeBuffer(Buffer.from("10.9.8.7:65000")).endCell());
      }
      const data = root.endCell();
      const what = `root v${version} round ${round}`;
      const ours = call({ cmd: "root", data: data.toBoc().toString("base64") });
      expect(ours.owner === owner.toRawString() && ours.version === round && ours.last_proxy_seqno === 9, `${what}: header`);
      expect(JSON.stringify(ours.proxies) === JSON.stringify(expectedProxies), `${what}: proxies`);
      expect(JSON.stringify(ours.proxy_hashes) === JSON.stringify(proxyHashes.keys), `${what}: proxy hashes`);
      expect(JSON.stringify(ours.worker_hashes) === JSON.stringify(workerHashes.keys), `${what}: worker hashes`);
      expect(JSON.stringify(ours.model_hashes) === JSON.stringify(modelHashes.keys), `${what}: model hashes`);
      expect(ours.struct_version === version && ours.params_version === p.params_version &&
             ours.unique_id === p.unique_id && ours.is_test === p.is_test, `${what}: params header`);
      expect(ours.price_per_token === p.price.toString() && ours.worker_fee_per_token === p.fee.toString(), `${what}: prices`);
      const multipliers = [version >= 3 ? p.multipliers[0] : 10000, version >= 2 ? p.multipliers[1] : 10000,
                           version >= 3 ? p.multipliers[2] : 10000, version >= 2 ? p.multipliers[3] : 10000];
      expect(JSON.stringify(ours.multipliers) === JSON.stringify(multipliers), `${what}: multipliers`);
      expect(JSON.stringify(ours.delays) === JSON.stringify(p.delays), `${what}: delays`);
      const stakes = version >= 1 ? p.stakes.map(String) : ["1000000000", "1000000000"];
      expect(JSON.stringify(ours.stakes) === JSON.stringify(stakes), `${what}: stakes`);
      expect(hashOf(ours.client_params) === paramsCell(null, null, null).hash().toString("hex"), `${what}: client params`);
      expect(hashOf(ours.proxy_params) === paramsCell(null, codesHere[1], codesHere[2]).hash().toString("hex"),
             `${what}: proxy params`);
      if (version === 4) {
        const keysSeen = ours.key_manager.keys.map((k) => ({ key: k.key, type: k.type, expire_at: k.expire_at }));
        expect(JSON.stringify(keysSeen) === JSON.stringify(expectedKeys), `${what}: managed keys`);
        expect(ours.key_manager.public_key === managerKey.toString("hex") &&
               ours.key_manager.image_hash === managerImage.toString("hex") &&
               ours.key_manager.address === "10.9.8.7:65000", `${what}: key manager`);
      } else {
        expect(ours.key_manager === undefined, `${what}: no key manager`);
      }

      // 4. Proxy and client contracts under this root.
      const rootAddress = randomAddress();
      const proxyOwner = randomAddress();
      const proxyKey = randomBytes(32);
      const wallet = randomAddress();
      const derived = call({ cmd: "contracts", root_data: data.toBoc().toString("base64"), root: rootAddress.toRawString(),
                             proxy_owner: proxyOwner.toRawString(), proxy_key: proxyKey.toString("hex"),
                             wallet: wallet.toRawString() });
      const proxyData = beginCell().storeAddress(proxyOwner).storeBuffer(proxyKey).storeAddress(rootAddress)
        .storeUint(0, 2).storeCoins(0).storeCoins(0).storeUint(0, 32)
        .storeRef(paramsCell(null, codesHere[1], codesHere[2])).endCell();
      const proxyAddress = contractAddress(0, { code: codesHere[0], data: proxyData });
      expect(derived.proxy === proxyAddress.toRawString(), `${what}: proxy contract address`);
      const clientData = beginCell().storeUint(0, 2).storeCoins(0).storeCoins(version >= 1 ? p.stakes[1] : 1000000000n)
        .storeUint(0, 64).storeUint(0, 32).storeBuffer(Buffer.alloc(32))
        .storeRef(beginCell().storeAddress(wallet).storeAddress(proxyAddress).storeBuffer(proxyKey).endCell())
        .storeRef(paramsCell(null, null, null)).endCell();
      expect(derived.client === contractAddress(0, { code: codesHere[2], data: clientData }).toRawString(),
             `${what}: client contract address`);
    }
  }

  // 5. Payments signed by a proxy key.
  for (let round = 0; round < 10; round++) {
    const proxy = crypto.keyPairFromSeed(randomBytes(32));
    const client = randomAddress();
    const op = round % 2 === 0 ? 0xbb63ff93 : 0xefd711e1;
    const qid = random64();
    const tokens = random64();
    const payload = head(op, qid).storeUint(tokens, 64).storeAddress(client).endCell();
    const signature = crypto.sign(payload.hash(), proxy.secretKey);
    const body = (sig, excess) => head(op, qid).storeAddress(excess).storeBuffer(sig).storeRef(payload).endCell();
    const boc = body(signature, randomAddress()).toBoc().toString("base64");
    const request = { cmd: "verify", boc, proxy_key: proxy.publicKey.toString("hex"), client: client.toRawString() };
    const ours = call(request);
    expect(ours.op === op && ours.query_id === qid.toString() && ours.tokens === tokens.toString(), `payment ${round}`);
    expect(hashOf(ours.repacked) === body(signature, client).hash().toString("hex"), `re-packed payment ${round}`);
    const tampered = Buffer.from(signature);
    tampered[randomInt(0, 64)] ^= 1 << randomInt(0, 8);
    const forged = body(tampered, client).toBoc().toString("base64");
    expect(call({ ...request, boc: forged }).error === 313, `tampered signature refused ${round}`);
    expect(call({ ...request, client: randomAddress().toRawString() }).error === 314, `other client refused ${round}`);
    const stranger = crypto.keyPairFromSeed(randomBytes(32)).publicKey.toString("hex");
    expect(call({ ...request, proxy_key: stranger }).error === 313, `other proxy key refused ${round}`);
  }
  console.log(`cocoon interop: ${checks} checks passed against @ton/core and @ton/crypto` +
              (walletCodeHex ? "" : " (no COCOON wallet code: wallet requests not checked)"));
} else {
  // Sandbox: the real COCOON wallet code runs the SDK's requests.
  if (!walletCodeHex) {
    console.log(`SKIPPED: no COCOON wallet code at ${codeFile}`);
    process.exit(77);
  }
  const { Blockchain } = sandbox;
  const { toNano } = core;
  const blockchain = await Blockchain.create();
  const now = 1767225600;
  blockchain.now = now;
  const treasury = await blockchain.treasury("funder");
  const seed = randomBytes(32);
  const owner = randomAddress();
  const target = await blockchain.treasury("target");
  const request = (seqno, validUntil, amount = "1000000000") =>
    walletRequest(seed, owner, seqno, validUntil, { to: target.address.toRawString(), ops: [{ op: "pay", amount }] });
  const first = request(0, now + 60);
  const walletAddress = Address.parseRaw(first.address);
  await treasury.send({ to: walletAddress, value: toNano("10"), bounce: false });

  const refused = async (boc, what) => {
    let accepted = true;
    try {
      await blockchain.sendMessage(Cell.fromBase64(boc));
    } catch (error) {
      accepted = !/not accepted/.test(String(error.message ?? error));
    }
    expect(!accepted, `${what} refused`);
  };
  const accepted = async (boc, what) => {
    const before = (await blockchain.getContract(target.address)).balance;
    const result = await blockchain.sendMessage(Cell.fromBase64(boc));
    const tx = result.transactions.find((t) => t.inMessage?.info.dest?.equals?.(walletAddress));
    expect(tx && tx.description.computePhase.type === "vm" && tx.description.computePhase.success, `${what}: accepted`);
    expect(tx.outMessagesCount === 1, `${what}: one out-message`);
    const after = (await blockchain.getContract(target.address)).balance;
    expect(after > before, `${what}: the payment arrived`);
  };
  const seqnoOf = async () => (await blockchain.runGetMethod(walletAddress, "seqno")).stackReader.readNumber();

  // A bad signature (one bit of the signature flipped) on the deploying request.
  const message = loadMessage(Cell.fromBase64(first.external).beginParse());
  const bits = message.body.beginParse();
  const signature = Buffer.from(bits.loadBuffer(64));
  signature[5] ^= 0x10;
  const forgedBody = beginCell().storeBuffer(signature).storeSlice(bits).endCell();
  const forged = beginCell().storeUint(2, 2).storeUint(0, 2).storeAddress(walletAddress).storeCoins(0)
    .storeBit(1).storeBit(1).storeRef(beginCell().store(storeStateInit(message.init)).endCell())
    .storeBit(1).storeRef(forgedBody).endCell();
  await refused(forged.toBoc().toString("base64"), "bad signature");
  await refused(request(0, now - 1).external, "expired valid_until");
  await accepted(first.external, "deploying request (seqno 0)");
  expect(await seqnoOf() === 1, "seqno 1 after the first request");
  await refused(first.external, "replayed seqno 0");
  await refused(request(2, now + 60).external, "seqno ahead");
  await refused(request(1, now).external, "valid_until equal to now");
  await accepted(request(1, now + 60).external, "second request (seqno 1, no state init)");
  await accepted(request(2, now + 60, "1").external, "1-nanoton request (mode 1)");
  expect(await seqnoOf() === 3, "seqno 3 after three requests");
  const ownerSeen = (await blockchain.runGetMethod(walletAddress, "get_owner_address")).stackReader.readAddress();
  expect(ownerSeen.equals(owner), "get_owner_address is the owner");

  // The wallet emits exactly the client-contract messages we built: op, query id, value, body.
  const client = randomAddress();
  // Mode 0 (the COCOON wallet's) takes the forwarding fee from the value; mode 3 pays it apart.
  const checkEmitted = (result, from, ours, what, feesFromValue = false) => {
    const tx = result.transactions.find((t) => t.inMessage?.info.dest?.equals?.(from));
    expect(tx && tx.description.computePhase.type === "vm" && tx.description.computePhase.success, `${what}: accepted`);
    const sent = [...tx.outMessages.values()];
    expect(sent.length === ours.messages.length, `${what}: ${ours.messages.length} out-messages`);
    sent.forEach((m, i) => {
      const mine = ours.messages[i];
      const fee = BigInt(mine.value) - m.info.value.coins;
      const valueOk = feesFromValue ? fee >= m.info.forwardFee && fee < 10000000n : fee === 0n;
      expect(m.info.dest.toRawString() === mine.to && valueOk && m.info.bounce === mine.bounce,
             `${what}: message ${i} destination, value, bounce`);
      if (mine.body_hash) {
        expect(m.body.hash().toString("hex") === mine.body_hash, `${what}: message ${i} body`);
        const body = m.body.beginParse();
        expect([0xf172e6c2, 0xda068e78].includes(body.loadUint(32)) && body.loadUintBig(64) === 7n,
               `${what}: message ${i} op and query id`);
      }
    });
  };
  const topUp = walletRequest(seed, owner, 3, now + 60, {
    to: client.toRawString(), ops: [{ op: "top_up", amount: "2000000000" }, { op: "withdraw" }] });
  checkEmitted(await blockchain.sendMessage(Cell.fromBase64(topUp.external)), walletAddress, topUp, "top-up and withdraw",
               true);
  expect(await seqnoOf() === 4, "seqno 4");

  // Subwallet: the same request signed here with subwallet 1 is refused, with subwallet 0 accepted.
  const keys = crypto.keyPairFromSeed(seed);
  const pay = beginCell().storeUint(0, 1).storeBit(1).storeBit(1).storeBit(0).storeUint(0, 2)
    .storeAddress(target.address).storeCoins(1000000000n).storeBit(0).storeUint(0, 4).storeCoins(0)
    .storeUint(0, 64).storeUint(0, 32).storeBit(0).storeBit(0).endCell();
  const external = (subwallet) => {
    const signed = beginCell().storeUint(subwallet, 32).storeUint(now + 60, 32).storeUint(4, 32)
      .storeUint(0, 8).storeRef(pay).endCell();
    const body = beginCell().storeBuffer(crypto.sign(signed.hash(), keys.secretKey)).storeSlice(signed.beginParse())
      .endCell();
    return beginCell().storeUint(2, 2).storeUint(0, 2).storeAddress(walletAddress).storeCoins(0).storeBit(0)
      .storeBit(1).storeRef(body).endCell().toBoc().toString("base64");
  };
  await refused(external(1), "subwallet 1");
  await accepted(external(0), "the same request with subwallet 0");
  expect(await seqnoOf() === 5, "seqno 5");

  // Wallets v4r2 and v5r1 (code from shared/vectors/ton/wallets.json) run our requests too.
  const walletsFile = `${vectorsDir}/ton/wallets.json`;
  if (existsSync(walletsFile)) {
    for (const code of JSON.parse(readFileSync(walletsFile, "utf8")).codes) {
      if (code.name !== "wallet_v4r2" && code.name !== "wallet_v5r1") continue;
      const kind = code.name.slice("wallet_".length);
      const userSeed = randomBytes(32);
      const request = (seqno) => call({ cmd: "wallet", kind, code_base64: code.boc_base64, code: code.boc_hex,
        seed: userSeed.toString("hex"), seqno, valid_until: now + 60, query_id: "7", to: client.toRawString(),
        ops: [{ op: "top_up", amount: "3000000000" }, { op: "withdraw" }] });
      const firstRequest = request(0);
      const address = Address.parseRaw(firstRequest.address);
      await treasury.send({ to: address, value: toNano("20"), bounce: false });
      checkEmitted(await blockchain.sendMessage(Cell.fromBase64(firstRequest.external)), address, firstRequest,
                   `${kind} deploying request`);
      await refused(firstRequest.external, `${kind} replayed seqno 0`);
      const second = request(1);
      checkEmitted(await blockchain.sendMessage(Cell.fromBase64(second.external)), address, second,
                   `${kind} second request`);
      const seqno = (await blockchain.runGetMethod(address, "seqno")).stackReader.readNumber();
      expect(seqno === 2, `${kind} seqno 2`);
    }
  }
  console.log(`cocoon sandbox: ${checks} checks passed against the COCOON wallet code in @ton/sandbox`);
}
