// Checks the SDK's cells, bags of cells and addresses against @ton/core, an independent
// implementation:
//  - every BoC the SDK writes parses in @ton/core to the same hash and depth, and @ton/core
//    re-serializes it to the same bytes (same cell order and size fields), with and without index;
//  - comments (snake text), coins and addresses built by @ton/core's own builder hash the same as
//    the SDK's; addresses print the same in all eight friendly forms;
//  - random cell trees and DAGs built and serialized by @ton/core (all flag combinations) parse in
//    the SDK to the same hash and depth; random addresses parse to the same raw form.
// Usage: node ton.mjs <path to ton_driver>. Exit 77 (skipped) when @ton/core is absent.
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";

let ton;
try {
  ton = await import("@ton/core");
} catch (error) {
  console.log(`SKIPPED: @ton/core not installed (${error.code ?? error.message})`);
  process.exit(77);
}
const { Address, Cell, beginCell } = ton;

const driver = process.argv[2];
const call = (...args) => execFileSync(driver, args, { encoding: "utf8" });
let checks = 0;
function expect(condition, what) {
  if (!condition) throw new Error(`interop check failed: ${what}`);
  checks++;
}

const formKey = (bounceable, testOnly, urlSafe) => `${bounceable ? "b" : "n"}${testOnly ? "t" : "m"}${urlSafe ? "u" : "s"}`;
function checkForms(address, forms, what) {
  expect(address.toRawString() === forms.raw, `${what}: raw form`);
  for (const bounceable of [false, true]) {
    for (const testOnly of [false, true]) {
      for (const urlSafe of [false, true]) {
        const key = formKey(bounceable, testOnly, urlSafe);
        expect(address.toString({ bounceable, testOnly, urlSafe }) === forms[key], `${what}: friendly form ${key}`);
      }
    }
  }
}

// 1. What the SDK writes.
for (const line of call("emit").trim().split("\n")) {
  const item = JSON.parse(line);
  if (item.kind === "address") {
    checkForms(Address.parseRaw(item.raw), item, item.raw);
    continue;
  }
  const c = Cell.fromBase64(item.boc);
  expect(c.hash().toString("hex") === item.hash, `${item.name}: hash`);
  expect(c.depth() === item.depth, `${item.name}: depth`);
  expect(c.toBoc({ idx: false, crc32: true }).toString("base64") === item.boc, `${item.name}: BoC bytes`);
  expect(c.toBoc({ idx: true, crc32: true }).toString("base64") === item.boc_idx, `${item.name}: indexed BoC bytes`);
  expect(Cell.fromBase64(item.boc_idx).hash().toString("hex") === item.hash, `${item.name}: indexed BoC hash`);

  const [kind, value] = [item.name.slice(0, item.name.indexOf(":")), item.name.slice(item.name.indexOf(":") + 1)];
  let rebuilt;
  if (kind === "comment") rebuilt = beginCell().storeUint(0, 32).storeStringTail(value).endCell();
  if (kind === "coins") rebuilt = beginCell().storeCoins(BigInt(value)).endCell();
  if (kind === "address") rebuilt = beginCell().storeAddress(Address.parseRaw(value)).endCell();
  if (rebuilt) expect(rebuilt.hash().toString("hex") === item.hash, `${item.name}: @ton/core builder agrees`);
}

// 2. What @ton/core writes.
function randomCell(budget, pool) {
  const b = beginCell();
  const bits = randomInt(0, 1024 - 64);
  for (let left = bits; left > 0;) {
    const width = Math.min(left, randomInt(1, 48));  // randomInt spans under 2^48
    b.storeUint(randomInt(0, 2 ** width), width);
    left -= width;
  }
  const refs = budget > 0 ? randomInt(0, 5) : 0;
  for (let i = 0; i < refs; i++) {
    // Reuse an earlier cell now and then, so the trees are DAGs with shared cells.
    b.storeRef(pool.length > 0 && randomInt(0, 3) === 0 ? pool[randomInt(0, pool.length)] : randomCell(budget - 1, pool));
  }
  const c = b.endCell();
  pool.push(c);
  return c;
}
for (let round = 0; round < 40; round++) {
  const root = randomCell(randomInt(0, 5), []);
  const options = { idx: round % 2 === 1, crc32: round % 4 >= 2 };
  const boc = root.toBoc(options).toString("base64");
  const parsed = JSON.parse(call("parse", boc));
  expect(parsed.hash === root.hash().toString("hex"), `random cell ${round}: hash`);
  expect(parsed.depth === root.depth(), `random cell ${round}: depth`);
}
for (let round = 0; round < 20; round++) {
  const address = new Address(round % 2 === 0 ? 0 : -1, randomBytes(32));
  const text = address.toString({ bounceable: round % 3 === 0, testOnly: round % 4 === 0, urlSafe: round % 5 !== 0 });
  checkForms(address, JSON.parse(call("address", text)), `random address ${round}`);
}

// 4. Thousands of random DAGs both ways: the SDK's parse to the same hash and re-serialize to the
//    same bytes in @ton/core, and @ton/core's parse to the same hash and bytes in the SDK.
const seed = randomInt(0, 2 ** 32);
let ours = 0;
for (const line of execFileSync(driver, ["random", String(seed), "2000"], { encoding: "utf8", maxBuffer: 1 << 28 })
  .trim().split("\n")) {
  const item = JSON.parse(line);
  const c = Cell.fromBase64(item.boc);
  const same = c.hash().toString("hex") === item.hash && c.depth() === item.depth &&
               c.toBoc({ idx: false, crc32: true }).toString("base64") === item.boc &&
               c.toBoc({ idx: true, crc32: true }).toString("base64") === item.boc_idx;
  expect(same, `SDK random DAG ${item.name} (seed ${seed}): hash, depth and bytes in @ton/core`);
  ours++;
}
const theirs = [];
for (let round = 0; round < 2000; round++) theirs.push(randomCell(randomInt(0, 6), []));
const answers = execFileSync(driver, ["parse-lines"], {
  encoding: "utf8", maxBuffer: 1 << 28,
  input: theirs.map((c, i) => c.toBoc({ idx: i % 2 === 1, crc32: i % 4 >= 2 }).toString("base64")).join("\n") + "\n",
}).trim().split("\n");
expect(answers.length === theirs.length, "one answer per @ton/core BoC");
theirs.forEach((c, i) => {
  const answer = JSON.parse(answers[i]);
  expect(answer.hash === c.hash().toString("hex") && answer.depth === c.depth() &&
         answer.boc === c.toBoc({ idx: false, crc32: true }).toString("base64"),
         `@ton/core random DAG ${i}: hash, depth and bytes in the SDK`);
});
console.log(`random DAGs: ${ours} built by the SDK, ${theirs.length} by @ton/core, all agree`);

// 3. The SDK refuses what it must: a tampered CRC, trailing bytes.
const good = beginCell().storeUint(7, 8).endCell().toBoc({ idx: false, crc32: true });
const tampered = Buffer.from(good);
tampered[tampered.length - 1] ^= 1;
expect(spawnSync(driver, ["parse", tampered.toString("base64")]).status === 1, "tampered CRC refused");
const trailing = Buffer.concat([beginCell().endCell().toBoc({ idx: false, crc32: false }), Buffer.from([0])]);
expect(spawnSync(driver, ["parse", trailing.toString("base64")]).status === 1, "trailing byte refused");

console.log(`ton interop: ${checks} checks passed against @ton/core`);
