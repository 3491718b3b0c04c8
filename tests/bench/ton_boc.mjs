// BoC parse (hashing every cell) + serialize: the SDK against @ton/core on the same inputs, in
// the same run. Inputs: a realistic message (a wallet deploy with code, data and a comment) and
// a large random DAG. Prints rates and ratios; asserts nothing about speed.
// Usage: node ton_boc.mjs <path to bench_ton> [--quick]. Exit 77 when @ton/core is absent.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { randomInt } from "node:crypto";

// The packages live with the interop tests.
const require = createRequire(new URL("../interop/package.json", import.meta.url));
let ton;
try {
  ton = require("@ton/core");
} catch (error) {
  console.log(`SKIPPED: @ton/core not installed (${error.code ?? error.message})`);
  process.exit(77);
}
const { Address, Cell, beginCell, internal, storeMessageRelaxed } = ton;

const [bench, flag] = process.argv.slice(2);
const quick = flag === "--quick";
const budget = quick ? 20 : 1000;  // milliseconds per measurement

function randomCell(depth, pool) {
  const b = beginCell();
  for (let left = randomInt(0, 960); left > 0;) {
    const width = Math.min(left, randomInt(1, 48));
    b.storeUint(randomInt(0, 2 ** width), width);
    left -= width;
  }
  const refs = depth > 0 ? randomInt(1, 5) : 0;
  for (let i = 0; i < refs; i++) {
    b.storeRef(pool.length > 8 && randomInt(0, 4) === 0 ? pool[randomInt(0, pool.length)] : randomCell(depth - 1, pool));
  }
  const c = b.endCell();
  pool.push(c);
  return c;
}

// A wallet-deploy-shaped message: StateInit with a 40-cell code tree and data, a comment body.
const code = randomCell(3, []);
const data = beginCell().storeUint(0, 32).storeUint(698983191, 32).storeBuffer(Buffer.alloc(32, 7)).storeBit(0).endCell();
const message = beginCell()
  .store(storeMessageRelaxed(internal({
    to: new Address(0, Buffer.alloc(32, 1)), value: 1500000000n, bounce: false,
    init: { code, data }, body: beginCell().storeUint(0, 32).storeStringTail("top up the client contract").endCell(),
  })))
  .endCell();
const large = randomCell(quick ? 4 : 7, []);

const inputs = [["message", message], ["large-random-dag", large]];
const theirs = {};
for (const [name, root] of inputs) {
  const boc = root.toBoc({ idx: false, crc32: true });
  let runs = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  do {
    Cell.fromBoc(boc)[0].toBoc({ idx: false, crc32: true });
    runs++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  } while (elapsed < budget);
  theirs[name] = (runs * 1000) / elapsed;
}

const input = inputs.map(([name, root]) => `${name} ${root.toBoc({ idx: false, crc32: true }).toString("base64")}`).join("\n");
const ours = execFileSync(bench, quick ? ["--quick"] : [], { input, encoding: "utf8", maxBuffer: 1 << 28 })
  .trim().split("\n").map((line) => JSON.parse(line));
for (const result of ours) {
  const ratio = result.per_second / theirs[result.name];
  console.log(`${result.name.padEnd(18)} ${String(result.cells).padStart(6)} cells: SDK ${result.per_second.toFixed(0)}/s, ` +
              `@ton/core ${theirs[result.name].toFixed(0)}/s, x${ratio.toFixed(1)}`);
}
